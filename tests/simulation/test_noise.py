"""Measurement noise: a pure function of (seed, step) with the configured standard deviation."""

import statistics

import numpy as np
from scipy import stats

from app.simulation.noise import standard_normal

from .helpers import simulate


def test_noise_is_pure_function():
    assert standard_normal(7, 123) == standard_normal(7, 123)


def test_seeds_give_different_noise():
    first = [standard_normal(1, step) for step in range(100)]
    second = [standard_normal(2, step) for step in range(100)]

    assert first != second


def test_samples_are_standard_normal():
    samples = [standard_normal(42, step) for step in range(20000)]

    # Deterministic samples, so this p-value is fixed: it fails only if the
    # generator is wrong, never by chance on a later run.
    assert stats.kstest(samples, "norm").pvalue > 0.01


def test_consecutive_samples_uncorrelated():
    samples = np.array([standard_normal(5, step) for step in range(20000)])
    correlation = np.corrcoef(samples[:-1], samples[1:])[0, 1]

    assert abs(correlation) < 0.03


def test_process_value_noise_has_configured_std():
    snapshots = simulate(
        5000,
        plant="tank",
        controller="manual",
        noise_std=0.02,
        seed=11,
        initial={"level": 0.0},
    )
    errors = [snapshot.process_value - snapshot.signals["level"] for snapshot in snapshots]

    assert abs(statistics.fmean(errors)) < 4 * 0.02 / len(errors) ** 0.5
    assert abs(statistics.stdev(errors) / 0.02 - 1.0) < 0.05


def test_noise_off_by_default():
    snapshots = simulate(50, plant="tank")

    assert all(snapshot.process_value == snapshot.signals["level"] for snapshot in snapshots)
