"""Manual controller: the control output is the operator's manual output."""

from app.simulation.controllers.base import Controller


class ManualController(Controller):
    """Open loop: the simulation applies the manual output set by SetManualOutput.

    It has no parameters and no state, because the manual output belongs to
    the simulation state and also serves manual mode.
    """

    NAME = "manual"
    PARAMS = {}

    def compute(self, setpoint: float, process_value: float) -> float:
        raise RuntimeError("Internal error: the simulation applies the manual output itself.")
