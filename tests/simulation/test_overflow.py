"""Finite but huge parameters overflow; the step raises instead of storing NaN or infinity."""

import math

import pytest

from app.simulation import NonFiniteResult, SetController, Simulation, SimulationConfig, ValidationError


def test_huge_gain_raises_non_finite_result():
    simulation = Simulation.from_config(SimulationConfig())
    simulation.apply(SetController("pid", {"kp": 1e308, "ki": 1e308, "kd": 1e308}))

    with pytest.raises(NonFiniteResult, match="step 0 produced control_output"):
        simulation.step()


def test_huge_noise_raises_non_finite_result():
    simulation = Simulation.from_config(SimulationConfig(plant="tank", noise_std=1e308))

    with pytest.raises(NonFiniteResult, match="Reset the run with smaller"):
        for _ in range(50):
            simulation.step()


def test_last_good_snapshot_is_finite():
    simulation = Simulation.from_config(SimulationConfig(plant="tank", noise_std=1e308))
    good = None
    with pytest.raises(NonFiniteResult):
        for _ in range(50):
            good = simulation.step()

    values = [good.process_value, good.control_output, *good.signals.values()] if good else []
    assert all(math.isfinite(value) for value in values)


def test_dt_above_one_day_is_invalid():
    with pytest.raises(ValidationError, match="at most 86400") as error:
        SimulationConfig(plant="tank", dt=1e308)

    assert error.value.field == "dt"
