"""Tank level against scipy's solve_ivp and the analytic steady state."""

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from app.simulation import SetManualOutput

from .helpers import simulate

G = 9.80665  # m/s2
AREA = 1.5  # m2
HEIGHT = 2.0  # m
MAX_INFLOW = 0.01  # m3/s
OUTLET_AREA = 0.0013  # m2
PLANT_PARAMS = {"area": AREA, "height": HEIGHT, "max_inflow": MAX_INFLOW, "outlet_area": OUTLET_AREA}


def level_rate(_time: float, level: np.ndarray, inflow: float) -> np.ndarray:
    """Return dh/dt of A dh/dt = q_in - a_out*sqrt(2 g h)."""
    return (inflow - OUTLET_AREA * np.sqrt(2.0 * G * np.maximum(level, 0.0))) / AREA


def reference_levels(valve_changes: dict[int, float], disturbance: float, start: float, dt: float, steps: int) -> np.ndarray:
    """Integrate the tank with solve_ivp, piecewise between valve changes, and return the level at each step."""
    levels = np.empty(steps)
    level = start
    valve = 0.0
    for step in range(steps):
        levels[step] = level
        valve = valve_changes.get(step, valve)
        inflow = valve * MAX_INFLOW + disturbance
        solution = solve_ivp(level_rate, (0.0, dt), [level], args=(inflow,), method="DOP853", rtol=1e-10, atol=1e-12)
        level = solution.y[0, -1]
    return levels


# dt = 10 s runs 20 RK4 substeps of 0.5 s per step.
@pytest.mark.parametrize("dt", [0.5, 2.0, 10.0])
def test_level_matches_solve_ivp(dt):
    valve_changes = {0: 0.7, 150: 0.3, 300: 0.55}
    disturbance = 0.0005
    steps = 450
    commands = {step: [SetManualOutput(valve)] for step, valve in valve_changes.items()}
    snapshots = simulate(
        steps,
        commands,
        plant="tank",
        plant_params=PLANT_PARAMS,
        controller="manual",
        dt=dt,
        initial={"level": 0.4},
        disturbance={"profile": "constant", "params": {"value": disturbance}},
    )

    levels = np.array([snapshot.signals["level"] for snapshot in snapshots])
    expected = reference_levels(valve_changes, disturbance, 0.4, dt, steps)
    assert levels.max() < HEIGHT, "the tank overflowed, so the reference model does not apply"
    np.testing.assert_allclose(levels, expected, rtol=1e-10, atol=0)


def test_level_settles_at_torricelli_steady_state():
    valve = 0.6
    snapshots = simulate(
        30000, {0: [SetManualOutput(valve)]}, plant="tank", plant_params=PLANT_PARAMS, controller="manual", dt=1.0
    )

    steady = (valve * MAX_INFLOW / (OUTLET_AREA * math.sqrt(2.0 * G))) ** 2
    assert snapshots[-1].process_value == pytest.approx(steady, rel=1e-9)


def test_full_valve_overflows_at_rim():
    snapshots = simulate(
        20000, {0: [SetManualOutput(1.0)]}, plant="tank", plant_params=PLANT_PARAMS, controller="manual", dt=1.0
    )
    last = snapshots[-1]
    outflow_at_rim = OUTLET_AREA * math.sqrt(2.0 * G * HEIGHT)

    assert last.signals["level"] == HEIGHT
    assert last.signals["outflow"] == pytest.approx(outflow_at_rim, rel=1e-12)
    assert last.signals["overflow"] == pytest.approx(MAX_INFLOW - outflow_at_rim, rel=1e-12)


def test_no_overflow_below_rim():
    snapshots = simulate(500, {0: [SetManualOutput(0.5)]}, plant="tank", controller="manual")

    assert all(snapshot.signals["overflow"] == 0.0 for snapshot in snapshots)


def test_negative_inflow_empties_to_zero():
    snapshots = simulate(
        3000,
        plant="tank",
        controller="manual",
        disturbance={"profile": "constant", "params": {"value": -0.002}},
    )

    assert min(snapshot.signals["level"] for snapshot in snapshots) == 0.0
    assert snapshots[-1].signals["level"] == 0.0
    assert snapshots[-1].signals["inflow"] == -0.002
