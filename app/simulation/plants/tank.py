"""Tank: liquid level in an open tank filled through a valve and drained by gravity."""

import math
from collections.abc import Mapping
from typing import Any

from app.simulation.checks import join_field
from app.simulation.errors import ValidationError
from app.simulation.params import ParamSpec
from app.simulation.plants.base import Plant
from app.simulation.signals import Signal

STANDARD_GRAVITY = 9.80665  # m/s2


class Tank(Plant):
    """Open tank with a free outlet: A dh/dt = q_in - a_out*sqrt(2*g*h) (Torricelli).

    h is the level (m), A the cross-section (m2), a_out the effective outlet
    area including its discharge coefficient (m2) and g = 9.80665 m/s2.
    The inflow q_in = valve*max_inflow + d (m3/s), where valve is the
    control output in [0, 1] and d an extra inflow from the disturbance,
    which may be negative.

    The level stays in [0, height]. Liquid above the rim overflows: the
    overflow signal is the inflow the outlet cannot take at the rim, and it
    is not an error. The equation is nonlinear, so each step integrates it
    with classic fourth-order Runge-Kutta over equal substeps of at most
    max_substep seconds, clamping the level to [0, height] after each one.

    Defaults: a 1 m2, 2 m tall process tank with a 10 L/s fill valve and a
    13 cm2 outlet (about 4 cm diameter). The steady level is
    h = (q_in/(a_out*sqrt(2g)))**2, so a fully open valve would settle at
    3.0 m and overflow, and the default setpoint of 1.0 m needs the valve
    at about 58 %. Around 1 m the level responds with a time constant of
    about 350 s (2*A*h/q), which is 6 s of wall-clock time at 60 simulated
    seconds per second. The tank starts at 0.5 m, half the setpoint.
    """

    NAME = "tank"
    PARAMS = {
        "area": ParamSpec(1.0, "m2", minimum=0.0, min_exclusive=True),
        "height": ParamSpec(2.0, "m", minimum=0.0, min_exclusive=True),
        "max_inflow": ParamSpec(0.01, "m3/s", minimum=0.0, min_exclusive=True),
        "outlet_area": ParamSpec(0.0013, "m2", minimum=0.0, min_exclusive=True),
        "max_substep": ParamSpec(0.5, "s", minimum=0.0, min_exclusive=True),
    }
    SIGNALS = (
        Signal("level", "m", "Liquid level above the outlet, without measurement noise"),
        Signal("inflow", "m3/s", "Valve inflow plus the disturbance inflow"),
        Signal("outflow", "m3/s", "Gravity outflow through the outlet"),
        Signal("overflow", "m3/s", "Inflow spilling over the rim while the tank is full"),
        Signal("valve", "1", "Valve opening as a fraction of fully open"),
    )
    PROCESS_VALUE_UNIT = "m"
    CONTROL_OUTPUT_UNIT = "1"
    DISTURBANCE_UNIT = "m3/s"
    DEFAULT_SETPOINT = 1.0
    DISTURBANCE_DEFAULTS = {
        "constant": {"value": 0.0},
        "sinusoid": {"mean": 0.0, "amplitude": 0.001, "period": 600.0, "phase": 0.0},
        "step": {"before": 0.0, "after": 0.002, "time": 600.0},
    }
    DEFAULT_DISTURBANCE_PROFILE = "constant"

    def __init__(self, params: Mapping[str, float], dt: float) -> None:
        super().__init__(params, dt)
        self.area = params["area"]
        self.height = params["height"]
        self.max_inflow = params["max_inflow"]
        self.outlet_coefficient = params["outlet_area"] * math.sqrt(2.0 * STANDARD_GRAVITY)

        self.substeps = max(1, math.ceil(dt / params["max_substep"]))
        self.substep = dt / self.substeps
        self.level = 0.0

    @property
    def actuator_limits(self) -> tuple[float, float]:
        return (0.0, 1.0)

    @property
    def setpoint_limits(self) -> tuple[float | None, float | None]:
        return (0.0, self.height)

    def initial_specs(self) -> dict[str, ParamSpec]:
        return {"level": ParamSpec(min(0.5, self.height), "m", minimum=0.0, maximum=self.height)}

    def default_controller_params(self, controller: str) -> dict[str, Any]:
        if controller == "pid":
            # Around 1 m the valve-to-level gain is about 3.5 m and the time
            # constant about 350 s. kp = 2 gives a closed-loop time constant
            # near 50 s, and Ti = kp/ki = 200 s removes the offset without
            # noticeable overshoot.
            return {
                "kp": 2.0,
                "ki": 0.01,
                "kd": 0.0,
                "output_min": 0.0,
                "output_max": 1.0,
                "derivative_filter": 5.0,
                "tracking_time": 30.0,
            }
        if controller == "on_off":
            return {"hysteresis": 0.05, "output_on": 1.0, "output_off": 0.0}
        return {}

    def reset(self, initial: Mapping[str, float]) -> None:
        self.level = initial["level"]

    def output(self) -> float:
        return self.level

    def signal_values(self, control_output: float, disturbance: float) -> tuple[float, ...]:
        inflow = control_output * self.max_inflow + disturbance
        outflow = self.outlet_coefficient * math.sqrt(self.level)
        overflow = inflow - outflow if self.level >= self.height and inflow > outflow else 0.0
        return (self.level, inflow, outflow, overflow, control_output)

    def advance(self, control_output: float, disturbance: float) -> None:
        inflow = control_output * self.max_inflow + disturbance
        step = self.substep
        half = 0.5 * step
        level = self.level

        for _ in range(self.substeps):
            k1 = self._rate(level, inflow)
            k2 = self._rate(level + half * k1, inflow)
            k3 = self._rate(level + half * k2, inflow)
            k4 = self._rate(level + step * k3, inflow)
            level += step / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
            level = min(max(level, 0.0), self.height)

        self.level = level

    def _rate(self, level: float, inflow: float) -> float:
        """Return dh/dt in m/s, with the level limited to [0, height] as in the real tank."""
        level = min(max(level, 0.0), self.height)
        return (inflow - self.outlet_coefficient * math.sqrt(level)) / self.area

    def state_dict(self) -> dict[str, Any]:
        return {"level": self.level}

    def load_state(self, state: Any, prefix: str) -> None:
        state = self._check_state_keys(state, prefix, ("level",))
        self.level = self._check_state_value(state, prefix, "level", self.initial_specs()["level"])

    @classmethod
    def check_params(cls, params: Mapping[str, float], dt: float, prefix: str) -> None:
        # A step needs at most 10000 substeps, so that one step() call stays cheap.
        substeps = math.ceil(dt / params["max_substep"])
        if substeps > 10_000:
            field = join_field(prefix, "max_substep")
            raise ValidationError(
                field,
                f"{field} must be at least dt/10000 = {dt / 10_000:g} s, got {params['max_substep']!r}.",
            )
