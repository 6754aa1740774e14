"""Thermal zone open and closed loop against scipy's discrete-time simulation of the same model."""

import numpy as np
import pytest
from scipy import signal

from app.simulation import SetManualOutput

from .helpers import simulate

R = 0.02  # K/W
C = 1.0e6  # J/K
DT = 60.0  # s
STEPS = 600
SINUSOID = {"mean": 8.0, "amplitude": 6.0, "period": 86400.0, "phase": 0.3}


def outdoor_temperatures() -> np.ndarray:
    """Return the sinusoidal outdoor temperature at each step time, sampled as a zero-order hold."""
    times = np.arange(STEPS) * DT
    return SINUSOID["mean"] + SINUSOID["amplitude"] * np.sin(2 * np.pi * times / SINUSOID["period"] + SINUSOID["phase"])


def discrete_zone() -> tuple[np.ndarray, np.ndarray]:
    """Return (Ad, Bd) of C dT/dt = (T_out - T)/R + Q, inputs [Q, T_out], discretized with scipy's ZOH."""
    a = np.array([[-1.0 / (R * C)]])
    b = np.array([[1.0 / C, 1.0 / (R * C)]])
    ad, bd, *_ = signal.cont2discrete((a, b, np.eye(1), np.zeros((1, 2))), DT, method="zoh")
    return ad, bd


def zone_config(**overrides) -> dict:
    return {
        "plant": "thermal_zone",
        "plant_params": {"resistance": R, "capacitance": C, "max_power": 3000.0},
        "dt": DT,
        "disturbance": {"profile": "sinusoid", "params": SINUSOID},
        **overrides,
    }


def test_open_loop_matches_dlsim():
    heater_steps = {0: 0.0, 100: 2500.0, 250: 800.0, 400: 3000.0}
    commands = {step: [SetManualOutput(power)] for step, power in heater_steps.items()}
    snapshots = simulate(STEPS, commands, **zone_config(controller="manual", initial={"temperature": 12.0}))

    power = np.zeros(STEPS)
    for step, value in heater_steps.items():
        power[step:] = value
    inputs = np.column_stack([power, outdoor_temperatures()])
    ad, bd = discrete_zone()
    _, expected, _ = signal.dlsim((ad, bd, np.eye(1), np.zeros((1, 2)), DT), inputs, x0=[12.0])

    temperatures = np.array([snapshot.signals["zone_temperature"] for snapshot in snapshots])
    np.testing.assert_allclose(temperatures, expected[:, 0], rtol=1e-9, atol=0)


def test_pid_closed_loop_matches_dlsim():
    kp, ki, setpoint, start = 400.0, 0.15, 21.0, 20.0
    params = {"kp": kp, "ki": ki, "kd": 0.0}
    snapshots = simulate(
        STEPS, **zone_config(controller="pid", controller_params=params, setpoint=setpoint, initial={"temperature": start})
    )

    # Closed loop with state [T, I] and inputs [setpoint, T_out], from the PID
    # docstring: u = kp*(sp - T) + I, I[k+1] = I[k] + ki*dt*(sp - T[k]).
    ad, bd = discrete_zone()
    bq, bo = bd[0, 0], bd[0, 1]
    a_closed = np.array([[ad[0, 0] - bq * kp, bq], [-ki * DT, 1.0]])
    b_closed = np.array([[bq * kp, bo], [ki * DT, 0.0]])
    c_closed = np.array([[1.0, 0.0], [-kp, 1.0]])
    d_closed = np.array([[0.0, 0.0], [kp, 0.0]])
    inputs = np.column_stack([np.full(STEPS, setpoint), outdoor_temperatures()])
    _, expected, _ = signal.dlsim((a_closed, b_closed, c_closed, d_closed, DT), inputs, x0=[start, 0.0])

    outputs = np.array([snapshot.control_output for snapshot in snapshots])
    temperatures = np.array([snapshot.process_value for snapshot in snapshots])
    assert outputs.min() > 0.0, "the heater saturated at 0 W, so the loop is not linear"
    assert outputs.max() < 3000.0, "the heater saturated at max_power, so the loop is not linear"
    np.testing.assert_allclose(temperatures, expected[:, 0], rtol=1e-9, atol=0)
    np.testing.assert_allclose(outputs, expected[:, 1], rtol=1e-9, atol=1e-9)


def test_signals_report_zone_inputs():
    snapshots = simulate(3, {0: [SetManualOutput(1200.0)]}, **zone_config(controller="manual"))
    first = snapshots[0]

    assert list(first.signals) == ["zone_temperature", "outdoor_temperature", "heater_power"]
    assert first.signals["heater_power"] == 1200.0
    assert first.signals["outdoor_temperature"] == pytest.approx(outdoor_temperatures()[0], rel=1e-15)
    assert first.signals["zone_temperature"] == first.process_value


def test_default_weather_starts_at_new_year():
    snapshots = simulate(3, plant="thermal_zone", dt=1800.0)
    outdoor = [snapshot.signals["outdoor_temperature"] for snapshot in snapshots]

    # The Greensboro TMY3 year has 2.2 degC at 24:00 on 31 December, which is
    # also midnight at the start of the year, and 10.0 degC at 01:00 on 1 January.
    assert outdoor[0] == 2.2
    assert outdoor[1] == pytest.approx(6.1, abs=1e-12)
    assert outdoor[2] == 10.0
