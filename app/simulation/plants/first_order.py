"""First-order plus dead time process, the standard model for tuning rules."""

import math
from collections import deque
from collections.abc import Mapping
from typing import Any

from app.simulation.checks import check_number, join_field
from app.simulation.errors import ValidationError
from app.simulation.params import ParamSpec
from app.simulation.plants.base import Plant
from app.simulation.signals import Signal

MAX_DEAD_TIME_STEPS = 1000


class FirstOrder(Plant):
    """First-order lag with dead time: tau dy/dt = K*u(t - dead_time) + d - y.

    y is the output, which is the process value and has no unit. u is the
    input, the control output in percent, limited to [input_min, input_max].
    K is the gain, positive so that a rising input raises the output, and tau
    the time constant (s). d is a load disturbance in output units, so a
    constant d shifts the steady output by d.

    Dead time is a whole number of steps n = round(dead_time/dt). A dead
    time that is not a multiple of dt is rounded to the nearest one (ties to
    even, as Python's round), so the effective dead time is n*dt. The last n
    inputs are part of the state, so n is limited to 1000 steps to keep
    snapshots small.

    With the delayed input and d held over a step the discretization is
    exact: a = exp(-dt/tau), y[k+1] = a*y[k] + (1-a)*(K*u[k-n] + d[k]).
    Before step 0 the input is the initial input.

    Defaults: K = 1, tau = 60 s and a dead time of 5 s, a fast process such
    as a flow or a small heater, whose 0 to 50 step response shows within a
    few seconds of wall-clock time at 60 simulated seconds per second.
    """

    NAME = "first_order"
    PARAMS = {
        "gain": ParamSpec(1.0, "", minimum=0.0, min_exclusive=True),
        "time_constant": ParamSpec(60.0, "s", minimum=0.0, min_exclusive=True),
        "dead_time": ParamSpec(5.0, "s", minimum=0.0),
        "input_min": ParamSpec(0.0, "%"),
        "input_max": ParamSpec(100.0, "%"),
    }
    SIGNALS = (
        Signal("output", "", "Process output y, without measurement noise"),
        Signal("input", "%", "Input u, the control output of this step"),
        Signal("delayed_input", "%", "Input that acts on the process now, u delayed by the dead time"),
        Signal("load", "", "Load disturbance d, in output units"),
    )
    PROCESS_VALUE_UNIT = ""
    CONTROL_OUTPUT_UNIT = "%"
    DISTURBANCE_UNIT = ""
    DEFAULT_SETPOINT = 50.0
    DISTURBANCE_DEFAULTS = {
        "constant": {"value": 0.0},
        "sinusoid": {"mean": 0.0, "amplitude": 5.0, "period": 600.0, "phase": 0.0},
        "step": {"before": 0.0, "after": 10.0, "time": 300.0},
    }
    DEFAULT_DISTURBANCE_PROFILE = "constant"

    def __init__(self, params: Mapping[str, float], dt: float) -> None:
        super().__init__(params, dt)
        self.process_gain = params["gain"]
        self.input_min = params["input_min"]
        self.input_max = params["input_max"]
        self.dead_time_steps = round(params["dead_time"] / dt)

        exponent = -dt / params["time_constant"]
        self.decay = math.exp(exponent)
        self.weight = -math.expm1(exponent)  # 1 - decay, without cancellation for small dt
        self.value = 0.0
        self.pending_inputs: deque[float] = deque(maxlen=self.dead_time_steps or None)

    @classmethod
    def check_params(cls, params: Mapping[str, float], dt: float, prefix: str) -> None:
        if params["input_min"] >= params["input_max"]:
            field = join_field(prefix, "input_min")
            raise ValidationError(
                field,
                f"{field} must be less than input_max ({params['input_max']!r}), got {params['input_min']!r}.",
            )

        steps = round(params["dead_time"] / dt)
        if steps > MAX_DEAD_TIME_STEPS:
            field = join_field(prefix, "dead_time")
            raise ValidationError(
                field,
                f"{field} must be at most {MAX_DEAD_TIME_STEPS} steps of dt = {dt:g} s "
                f"({MAX_DEAD_TIME_STEPS * dt:g} s), got {params['dead_time']!r} s. Reduce it or increase dt.",
            )

    @property
    def actuator_limits(self) -> tuple[float, float]:
        return (self.input_min, self.input_max)

    def initial_specs(self) -> dict[str, ParamSpec]:
        return {
            "output": ParamSpec(0.0, ""),
            "input": ParamSpec(self.input_min, "%", minimum=self.input_min, maximum=self.input_max),
        }

    def default_controller_params(self, controller: str) -> dict[str, Any]:
        if controller == "pid":
            # SIMC rule with a closed-loop time constant of twice the dead time:
            # kp = tau/(K*(2*theta + theta)) = 4 and Ti = min(tau, 4*3*theta) = 60 s.
            # ki = 0.07 rounds kp/Ti = 0.067.
            return {
                "kp": 4.0,
                "ki": 0.07,
                "kd": 0.0,
                "output_min": self.input_min,
                "output_max": self.input_max,
                "derivative_filter": 2.0,
                "tracking_time": 20.0,
            }
        if controller == "on_off":
            return {"hysteresis": 2.0, "output_on": self.input_max, "output_off": self.input_min}
        return {}

    def reset(self, initial: Mapping[str, float]) -> None:
        self.value = initial["output"]
        self.pending_inputs.clear()
        self.pending_inputs.extend([initial["input"]] * self.dead_time_steps)

    def output(self) -> float:
        return self.value

    def delayed_input(self, control_output: float) -> float:
        """Return the input that acts during this step: the oldest pending one, or the new one without dead time."""
        return self.pending_inputs[0] if self.dead_time_steps else control_output

    def signal_values(self, control_output: float, disturbance: float) -> tuple[float, ...]:
        return (self.value, control_output, self.delayed_input(control_output), disturbance)

    def advance(self, control_output: float, disturbance: float) -> None:
        acting = self.delayed_input(control_output)
        if self.dead_time_steps:
            self.pending_inputs.append(control_output)  # drops the oldest, as maxlen == n

        forcing = self.process_gain * acting + disturbance
        self.value = self.decay * self.value + self.weight * forcing

    def state_dict(self) -> dict[str, Any]:
        return {"output": self.value, "pending_inputs": list(self.pending_inputs)}

    def load_state(self, state: Any, prefix: str) -> None:
        state = self._check_state_keys(state, prefix, ("output", "pending_inputs"))
        value = check_number(state["output"], join_field(prefix, "output"))

        field = join_field(prefix, "pending_inputs")
        pending = state["pending_inputs"]
        if not isinstance(pending, list | tuple) or len(pending) != self.dead_time_steps:
            raise ValidationError(
                field,
                f"{field} must be a list of {self.dead_time_steps} inputs (dead time / dt), got {pending!r}.",
            )
        inputs = [
            check_number(item, f"{field}[{index}]", minimum=self.input_min, maximum=self.input_max, unit="%")
            for index, item in enumerate(pending)
        ]

        self.value = value
        self.pending_inputs.clear()
        self.pending_inputs.extend(inputs)
