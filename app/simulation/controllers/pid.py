"""PID controller with derivative on measurement, derivative filter and anti-windup."""

from collections.abc import Mapping
from typing import Any

from app.simulation.checks import check_known_keys, check_mapping, check_number, check_required_keys, join_field
from app.simulation.controllers.base import Controller
from app.simulation.errors import ValidationError
from app.simulation.params import ParamSpec

_STATE_KEYS = ("integral", "derivative", "last_process_value", "start_output")


class PidController(Controller):
    """Positional PID: u = kp*e + I + D, limited to [output_min, output_max], with e = setpoint - PV.

    Units: kp in output units per PV unit, ki per PV unit and second, kd in
    output units times seconds per PV unit. The output rises when the PV
    falls below the setpoint (reverse action), as heating and filling need.

    - Integral I: forward Euler, I += ki*e*dt after each step.
    - Derivative on measurement: D = -kd*dPV/dt, so a setpoint change gives
      no derivative kick. A first-order filter with time constant
      derivative_filter (s, 0 = none) smooths it, discretized by backward
      Euler: D[k] = f*D[k-1] + (1-f)*raw, f = Tf/(Tf + dt).
    - Anti-windup by back-calculation: I also moves by
      min(1, dt/tracking_time)*(u - v), where v is the output before the
      limits. While the output is saturated, I tracks the limit, so the
      output leaves it as soon as the error changes sign.
    - Bumpless transfer: start_from(u) makes the next step compute I so that
      the output equals u, used on a switch to auto, a change of controller
      and a change of parameters.
    - Manual mode: track() follows the operator's output with I = u - P - D,
      and keeps D and the last PV current.
    """

    NAME = "pid"
    PARAMS = {
        "kp": ParamSpec(1.0, "", minimum=0.0),
        "ki": ParamSpec(0.0, "", minimum=0.0),
        "kd": ParamSpec(0.0, "", minimum=0.0),
        "output_min": ParamSpec(0.0, ""),
        "output_max": ParamSpec(1.0, ""),
        "derivative_filter": ParamSpec(0.0, "s", minimum=0.0),
        "tracking_time": ParamSpec(1.0, "s", minimum=0.0, min_exclusive=True),
    }
    OUTPUT_PARAMS = ("output_min", "output_max")

    def __init__(self, params: Mapping[str, Any], dt: float) -> None:
        super().__init__(params, dt)
        self.kp = params["kp"]
        self.ki_dt = params["ki"] * dt
        self.kd_per_dt = params["kd"] / dt
        self.output_min = params["output_min"]
        self.output_max = params["output_max"]
        filter_time = params["derivative_filter"]
        self.filter_weight = filter_time / (filter_time + dt)
        self.tracking_gain = min(1.0, dt / params["tracking_time"])

        self.integral = 0.0
        self.derivative = 0.0
        self.last_process_value: float | None = None
        self.start_output: float | None = None

    @classmethod
    def check_params(cls, params: Mapping[str, Any], prefix: str) -> None:
        if params["output_min"] >= params["output_max"]:
            field = join_field(prefix, "output_min")
            raise ValidationError(
                field,
                f"{field} must be less than output_max ({params['output_max']!r}), got {params['output_min']!r}.",
            )

    def _update_derivative(self, process_value: float) -> float:
        """Return the filtered derivative term for this step and store the PV."""
        raw = 0.0
        if self.last_process_value is not None:
            raw = -self.kd_per_dt * (process_value - self.last_process_value)

        self.derivative = self.filter_weight * self.derivative + (1.0 - self.filter_weight) * raw
        self.last_process_value = process_value
        return self.derivative

    def compute(self, setpoint: float, process_value: float) -> float:
        error = setpoint - process_value
        proportional = self.kp * error
        derivative = self._update_derivative(process_value)

        integral = self.integral
        if self.start_output is not None:
            integral = self.start_output - proportional - derivative
            self.start_output = None

        unlimited = proportional + integral + derivative
        output = min(max(unlimited, self.output_min), self.output_max)
        self.integral = integral + self.ki_dt * error + self.tracking_gain * (output - unlimited)
        return output

    def track(self, setpoint: float, process_value: float, control_output: float) -> None:
        proportional = self.kp * (setpoint - process_value)
        derivative = self._update_derivative(process_value)
        self.integral = control_output - proportional - derivative

    def start_from(self, control_output: float) -> None:
        self.start_output = control_output

    def state_dict(self) -> dict[str, Any]:
        return {
            "integral": self.integral,
            "derivative": self.derivative,
            "last_process_value": self.last_process_value,
            "start_output": self.start_output,
        }

    def load_state(self, state: Any, prefix: str) -> None:
        state = check_mapping(state, prefix)
        check_known_keys(state, prefix, _STATE_KEYS)
        check_required_keys(state, prefix, _STATE_KEYS)

        integral = check_number(state["integral"], join_field(prefix, "integral"))
        derivative = check_number(state["derivative"], join_field(prefix, "derivative"))
        last = _optional_number(state["last_process_value"], join_field(prefix, "last_process_value"))
        start = _optional_number(state["start_output"], join_field(prefix, "start_output"))

        self.integral, self.derivative = integral, derivative
        self.last_process_value, self.start_output = last, start


def _optional_number(value: Any, field: str) -> float | None:
    """Return None for None (JSON null), else a finite float."""
    return None if value is None else check_number(value, field)
