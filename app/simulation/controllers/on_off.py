"""On-off (bang-bang) controller with hysteresis."""

from collections.abc import Mapping
from typing import Any

from app.simulation.checks import check_known_keys, check_mapping, check_required_keys, join_field
from app.simulation.controllers.base import Controller
from app.simulation.errors import ValidationError
from app.simulation.params import ParamSpec


class OnOffController(Controller):
    """Switch on below setpoint - hysteresis/2 and off above setpoint + hysteresis/2.

    Between the two thresholds the output keeps its last state, which is
    part of the controller state. On means output_on, off means output_off.
    """

    NAME = "on_off"
    PARAMS = {
        "hysteresis": ParamSpec(0.0, "", minimum=0.0),
        "output_on": ParamSpec(1.0, ""),
        "output_off": ParamSpec(0.0, ""),
    }
    OUTPUT_PARAMS = ("output_on", "output_off")

    def __init__(self, params: Mapping[str, Any], dt: float) -> None:
        super().__init__(params, dt)
        self.half_band = 0.5 * params["hysteresis"]
        self.output_on = params["output_on"]
        self.output_off = params["output_off"]
        self.on = False

    def compute(self, setpoint: float, process_value: float) -> float:
        if process_value < setpoint - self.half_band:
            self.on = True
        elif process_value > setpoint + self.half_band:
            self.on = False
        return self.output_on if self.on else self.output_off

    def start_from(self, control_output: float) -> None:
        # Pick the state whose output is nearer to the current one.
        self.on = abs(control_output - self.output_on) < abs(control_output - self.output_off)

    def state_dict(self) -> dict[str, Any]:
        return {"on": self.on}

    def load_state(self, state: Any, prefix: str) -> None:
        state = check_mapping(state, prefix)
        check_known_keys(state, prefix, ("on",))
        check_required_keys(state, prefix, ("on",))

        field = join_field(prefix, "on")
        if not isinstance(state["on"], bool):
            raise ValidationError(field, f"{field} must be true or false, got {state['on']!r}.")
        self.on = state["on"]
