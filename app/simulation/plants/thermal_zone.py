"""Thermal zone: one room heated by an electric heater, losing heat to the outdoor air."""

import math
from collections.abc import Mapping
from typing import Any

from app.simulation.params import ParamSpec
from app.simulation.plants.base import Plant
from app.simulation.signals import Signal


class ThermalZone(Plant):
    """First-order RC model of a room: C dT/dt = (T_out - T)/R + Q.

    T is the zone temperature (degC) and T_out the outdoor temperature (degC),
    which is the disturbance. Q is the heater power (W), the control output,
    limited to [0, max_power]. R is the thermal resistance between zone and
    outdoor air (K/W) and C the heat capacity of the zone (J/K).

    With Q and T_out held over a step (zero-order hold) the discretization is
    exact: a = exp(-dt/(R*C)), T[k+1] = a*T[k] + (1-a)*(T_out[k] + R*Q[k]).

    Defaults describe a small office of about 20 m2:
    R = 0.02 K/W, so a heat loss coefficient of 50 W/K, in the range of a
    moderately insulated room with one window. C = 1.0e6 J/K, which counts
    the air (about 60 kJ/K) plus the furniture and inner wall layers that
    follow the air temperature. The time constant R*C is 20000 s (5.6 h).
    A 3000 W heater warms the zone by up to 0.18 K per minute, so at 60
    simulated seconds per wall-clock second a setpoint change shows within a
    few seconds. It keeps the zone at 21 degC down to an outdoor temperature of -39 degC.
    The zone starts at 16 degC, below the default setpoint of 21 degC, so the
    loop acts from the first step.
    """

    NAME = "thermal_zone"
    PARAMS = {
        "resistance": ParamSpec(0.02, "K/W", minimum=0.0, min_exclusive=True),
        "capacitance": ParamSpec(1.0e6, "J/K", minimum=0.0, min_exclusive=True),
        "max_power": ParamSpec(3000.0, "W", minimum=0.0, min_exclusive=True),
    }
    SIGNALS = (
        Signal("zone_temperature", "degC", "Air temperature of the zone, without measurement noise"),
        Signal("outdoor_temperature", "degC", "Outdoor air temperature (the disturbance)"),
        Signal("heater_power", "W", "Heat flow delivered by the heater"),
    )
    PROCESS_VALUE_UNIT = "degC"
    CONTROL_OUTPUT_UNIT = "W"
    DISTURBANCE_UNIT = "degC"
    DEFAULT_SETPOINT = 21.0
    DISTURBANCE_DEFAULTS = {
        "constant": {"value": 5.0},
        "sinusoid": {"mean": 10.0, "amplitude": 5.0, "period": 86400.0, "phase": 0.0},
        "step": {"before": 10.0, "after": 0.0, "time": 3600.0},
        "weather": {"file": None, "start_hour": 0.0},
    }
    DEFAULT_DISTURBANCE_PROFILE = "weather"

    # Plausible range of air temperatures, which catches unit mix-ups such as kelvin.
    TEMPERATURE_LIMITS = (-60.0, 100.0)

    def __init__(self, params: Mapping[str, float], dt: float) -> None:
        super().__init__(params, dt)
        self.resistance = params["resistance"]
        self.max_power = params["max_power"]

        exponent = -dt / (params["resistance"] * params["capacitance"])
        self.decay = math.exp(exponent)
        self.gain = -math.expm1(exponent)  # 1 - decay, without cancellation for small dt
        self.temperature = 0.0

    @property
    def actuator_limits(self) -> tuple[float, float]:
        return (0.0, self.max_power)

    @property
    def setpoint_limits(self) -> tuple[float | None, float | None]:
        return self.TEMPERATURE_LIMITS

    def initial_specs(self) -> dict[str, ParamSpec]:
        low, high = self.TEMPERATURE_LIMITS
        return {"temperature": ParamSpec(16.0, "degC", minimum=low, maximum=high)}

    def default_controller_params(self, controller: str) -> dict[str, Any]:
        if controller == "pid":
            # For small setpoint changes kp = 2000 W/K gives a closed-loop time
            # constant of about C/kp = 500 s. Ti = kp/ki = 2000 s is about the
            # shortest integral time without overshoot after the 5 K warm-up
            # from the default start, during which the heater saturates.
            return {
                "kp": 2000.0,
                "ki": 1.0,
                "kd": 0.0,
                "output_min": 0.0,
                "output_max": self.max_power,
                "derivative_filter": 60.0,
                "tracking_time": 400.0,
            }
        if controller == "on_off":
            return {"hysteresis": 0.5, "output_on": self.max_power, "output_off": 0.0}
        return {}

    def reset(self, initial: Mapping[str, float]) -> None:
        self.temperature = initial["temperature"]

    def output(self) -> float:
        return self.temperature

    def signal_values(self, control_output: float, disturbance: float) -> tuple[float, ...]:
        return (self.temperature, disturbance, control_output)

    def advance(self, control_output: float, disturbance: float) -> None:
        forcing = disturbance + self.resistance * control_output
        self.temperature = self.decay * self.temperature + self.gain * forcing

    def state_dict(self) -> dict[str, Any]:
        return {"temperature": self.temperature}

    def load_state(self, state: Any, prefix: str) -> None:
        state = self._check_state_keys(state, prefix, ("temperature",))
        # Only finiteness is checked: a long run may leave the plausible initial range.
        self.temperature = self._check_state_value(state, prefix, "temperature", ParamSpec(0.0, "degC"))
