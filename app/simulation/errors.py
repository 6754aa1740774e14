"""Exceptions raised by the simulation domain layer."""


class ValidationError(ValueError):
    """Invalid input, raised where a config, command, state or file is read.

    ``field`` is the dotted path of the invalid value, for example ``"dt"``,
    ``"controller_params.kp"`` or ``"disturbance.period"``. The message is a
    full sentence that names the value, the field and the allowed values.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class CommandRejected(ValueError):
    """A valid command that cannot apply in the current simulation state.

    ``field`` names the command field at fault, or is None when the command
    as a whole does not fit the state.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NonFiniteResult(ArithmeticError):
    """A step whose result overflowed to infinity or NaN, so the run cannot go on.

    Finite but huge parameters (a gain of 1e308, say) overflow in the
    arithmetic of a step. The step raises instead of storing the value,
    because a non-finite number can be neither persisted nor restored.
    """
