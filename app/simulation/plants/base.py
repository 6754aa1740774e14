"""Interface shared by all plants."""

from collections.abc import Mapping
from typing import Any, ClassVar

from app.simulation.checks import check_known_keys, check_mapping, check_required_keys, join_field
from app.simulation.params import ParamSpec, resolve_params
from app.simulation.signals import Signal


class Plant:
    """A simulated process that a controller drives through one actuator.

    Subclasses define the class constants below and the dynamics. An instance
    contains the mutable plant state. ``advance`` moves it by one step of ``dt``
    seconds with the control output and the disturbance held constant.
    """

    NAME: ClassVar[str]
    PARAMS: ClassVar[Mapping[str, ParamSpec]]
    SIGNALS: ClassVar[tuple[Signal, ...]]
    PROCESS_VALUE_UNIT: ClassVar[str]
    CONTROL_OUTPUT_UNIT: ClassVar[str]
    DISTURBANCE_UNIT: ClassVar[str]
    DEFAULT_SETPOINT: ClassVar[float]
    # Default parameters of each disturbance profile this plant accepts.
    DISTURBANCE_DEFAULTS: ClassVar[Mapping[str, Mapping[str, Any]]]
    DEFAULT_DISTURBANCE_PROFILE: ClassVar[str]

    def __init__(self, params: Mapping[str, float], dt: float) -> None:
        self.params = dict(params)
        self.dt = dt

    @classmethod
    def from_overrides(cls, overrides: Any, dt: float, prefix: str = "plant_params") -> "Plant":
        """Build a plant from parameter overrides, raising ValidationError on a bad one."""
        params = resolve_params(cls.PARAMS, overrides, prefix)
        cls.check_params(params, dt, prefix)
        return cls(params, dt)

    @classmethod
    def check_params(cls, params: Mapping[str, float], dt: float, prefix: str) -> None:
        """Check rules that involve several parameters or dt (none by default)."""

    @property
    def actuator_limits(self) -> tuple[float, float]:
        """Return the (min, max) control output that the actuator accepts."""
        raise NotImplementedError

    @property
    def setpoint_limits(self) -> tuple[float | None, float | None]:
        """Return the (min, max) setpoint that makes sense for this plant, None where unbounded."""
        return (None, None)

    def initial_specs(self) -> dict[str, ParamSpec]:
        """Return the initial state values that a config may override, with their defaults."""
        raise NotImplementedError

    def default_controller_params(self, controller: str) -> dict[str, Any]:
        """Return the default parameters of ``controller`` tuned for this plant."""
        raise NotImplementedError

    def reset(self, initial: Mapping[str, float]) -> None:
        """Set the state from resolved initial values (every key of ``initial_specs``)."""
        raise NotImplementedError

    def output(self) -> float:
        """Return the true process value, without measurement noise."""
        raise NotImplementedError

    def signal_values(self, control_output: float, disturbance: float) -> tuple[float, ...]:
        """Return the values of SIGNALS at the current time, in order."""
        raise NotImplementedError

    def advance(self, control_output: float, disturbance: float) -> None:
        """Move the state forward by dt with both inputs held constant (zero-order hold)."""
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """Return the mutable state as a new JSON-able dict."""
        raise NotImplementedError

    def load_state(self, state: Any, prefix: str) -> None:
        """Replace the state by ``state`` from state_dict, raising ValidationError if malformed."""
        raise NotImplementedError

    def resolve_initial(self, overrides: Any, prefix: str = "initial") -> dict[str, float]:
        """Return the initial state values with the checked overrides applied."""
        return resolve_params(self.initial_specs(), overrides, prefix)

    def _check_state_keys(self, state: Any, prefix: str, keys: tuple[str, ...]) -> Mapping:
        """Return ``state`` after checking that it has exactly ``keys``."""
        state = check_mapping(state, prefix)
        check_known_keys(state, prefix, keys)
        check_required_keys(state, prefix, keys)
        return state

    def _check_state_value(self, state: Mapping, prefix: str, name: str, spec: ParamSpec) -> float:
        """Return ``state[name]`` checked against ``spec``."""
        return spec.check(state[name], join_field(prefix, name))
