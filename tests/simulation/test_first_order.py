"""First-order plus dead time plant against its closed-form step response."""

import math

import pytest

from app.simulation import SetManualOutput

from .helpers import simulate

GAIN = 2.0
TIME_CONSTANT = 30.0
INPUT = 40.0


def open_loop_outputs(dead_time: float, dt: float, steps: int) -> list[float]:
    """Return the plant output of each step after a step of the input from 0 to INPUT at step 0."""
    snapshots = simulate(
        steps,
        {0: [SetManualOutput(INPUT)]},
        plant="first_order",
        plant_params={"gain": GAIN, "time_constant": TIME_CONSTANT, "dead_time": dead_time},
        controller="manual",
        dt=dt,
    )
    return [snapshot.signals["output"] for snapshot in snapshots]


def expected_output(sim_time: float, delay: float) -> float:
    """Return K*u*(1 - exp(-(t - delay)/tau)) after the delay and 0 before."""
    if sim_time < delay:
        return 0.0
    return GAIN * INPUT * -math.expm1(-(sim_time - delay) / TIME_CONSTANT)


@pytest.mark.parametrize("dt", [0.1, 1.0, 7.5])
def test_step_response_matches_exponential(dt):
    outputs = open_loop_outputs(dead_time=0.0, dt=dt, steps=400)

    for step, output in enumerate(outputs):
        assert output == pytest.approx(expected_output(step * dt, 0.0), rel=1e-12, abs=1e-12), step


def test_dead_time_shifts_by_whole_steps():
    dt = 0.5
    outputs = open_loop_outputs(dead_time=4.0, dt=dt, steps=300)
    delay_steps = 8

    for step, output in enumerate(outputs):
        assert output == pytest.approx(expected_output(step * dt, delay_steps * dt), rel=1e-12, abs=1e-12), step


def test_dead_time_rounds_to_nearest_step():
    rounded = open_loop_outputs(dead_time=5.4, dt=1.0, steps=100)
    exact = open_loop_outputs(dead_time=5.0, dt=1.0, steps=100)

    assert rounded == exact


def test_delayed_input_signal_lags_input():
    snapshots = simulate(
        20,
        {0: [SetManualOutput(10.0)], 6: [SetManualOutput(30.0)]},
        plant="first_order",
        plant_params={"dead_time": 3.0},
        controller="manual",
    )
    inputs = [snapshot.signals["input"] for snapshot in snapshots]
    delayed = [snapshot.signals["delayed_input"] for snapshot in snapshots]

    assert delayed == [0.0] * 3 + inputs[:-3]


def test_load_disturbance_shifts_steady_output():
    snapshots = simulate(
        2000,
        {0: [SetManualOutput(INPUT)]},
        plant="first_order",
        plant_params={"gain": GAIN, "time_constant": TIME_CONSTANT, "dead_time": 0.0},
        controller="manual",
        disturbance={"profile": "constant", "params": {"value": -7.0}},
    )

    assert snapshots[-1].signals["output"] == pytest.approx(GAIN * INPUT - 7.0, rel=1e-12)
