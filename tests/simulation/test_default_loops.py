"""The default controller of each plant settles without large overshoot."""

import pytest

from app.simulation import PLANTS

from .helpers import simulate

# Steps of dt = 1 s that each default loop needs to settle from its default start.
SETTLING_BUDGET = {"thermal_zone": 8000, "tank": 1500, "first_order": 600}


@pytest.mark.parametrize("plant", PLANTS)
def test_default_pid_settles_without_overshoot(plant):
    disturbance = {"profile": "constant", "params": {"value": 5.0}} if plant == "thermal_zone" else None
    snapshots = simulate(SETTLING_BUDGET[plant], plant=plant, disturbance=disturbance)
    setpoint = snapshots[0].setpoint
    rise = setpoint - snapshots[0].process_value
    overshoot = max(snapshot.process_value for snapshot in snapshots) - setpoint

    assert rise > 0, "the default start must lie below the setpoint so that the loop acts"
    assert overshoot < 0.05 * rise
    assert abs(snapshots[-1].process_value - setpoint) < 0.01 * rise


def test_thermal_zone_responds_within_minutes():
    snapshots = simulate(300, plant="thermal_zone")

    # 300 simulated seconds are 5 s of wall-clock time at 60 simulated s per s.
    assert snapshots[-1].process_value - snapshots[0].process_value > 0.5
