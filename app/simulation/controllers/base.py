"""Interface shared by all controllers."""

from collections.abc import Mapping
from typing import Any, ClassVar

from app.simulation.checks import check_known_keys, check_mapping
from app.simulation.params import ParamSpec


class Controller:
    """Feedback law that turns (setpoint, process_value) into a control output once per step.

    ``PARAMS`` gives the plant-independent range of each parameter, and
    ``OUTPUT_PARAMS`` names the parameters that must lie within the
    actuator range of the plant.
    """

    NAME: ClassVar[str]
    PARAMS: ClassVar[Mapping[str, ParamSpec]]
    OUTPUT_PARAMS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, params: Mapping[str, Any], dt: float) -> None:
        self.params = dict(params)
        self.dt = dt

    @classmethod
    def check_params(cls, params: Mapping[str, Any], prefix: str) -> None:
        """Check rules that involve several parameters (none by default)."""

    def compute(self, setpoint: float, process_value: float) -> float:
        """Return the control output of this step and update the controller state."""
        raise NotImplementedError

    def track(self, setpoint: float, process_value: float, control_output: float) -> None:
        """Update the state while an operator sets the output (manual mode)."""

    def start_from(self, control_output: float) -> None:
        """Make the next compute() continue from ``control_output``, for a bumpless transfer."""

    def state_dict(self) -> dict[str, Any]:
        """Return the controller state as a new JSON-able dict."""
        return {}

    def load_state(self, state: Any, prefix: str) -> None:
        """Replace the state by ``state`` from state_dict, raising ValidationError if malformed."""
        check_known_keys(check_mapping(state, prefix), prefix, ())
