"""Drift and jitter of the pacing figure, from synthetic steps and from the real runner."""

import pytest

from app.extensions import runner
from bench.figures.pacing import StepTimer, TimedStep, pacing_figures
from tests.conftest import wait_until

SPEED = 60.0
DT = 1.0


def scheduled_steps(count: int, wall_per_step: float, lateness: float = 0.0) -> list[TimedStep]:
    return [
        TimedStep(started=step * wall_per_step + lateness, due=step * wall_per_step, sim_time=step * DT)
        for step in range(count)
    ]


def test_steps_on_schedule_have_no_drift():
    drift, jitter = pacing_figures(scheduled_steps(601, DT / SPEED), SPEED, DT, resets=0)
    assert drift.score == pytest.approx(0.0, abs=1e-9)
    assert jitter.score == pytest.approx(0.0, abs=1e-9)


def test_slow_steps_drift_by_their_excess():
    # Each step takes 1 % longer than dt / speed, so wall time runs 1 % ahead.
    drift, _ = pacing_figures(scheduled_steps(601, 1.01 * DT / SPEED), SPEED, DT, resets=0)
    assert drift.score == pytest.approx(100 * 0.01 / 1.01)
    assert drift.verdict == "FAIL"


def test_late_steps_show_as_jitter():
    _, jitter = pacing_figures(scheduled_steps(100, DT / SPEED, lateness=0.002), SPEED, DT, resets=0)
    assert jitter.value.amount == pytest.approx(2.0)


def test_timer_records_real_runner_steps(make_app):
    app = make_app(SIM_SPEED=600)
    handle = runner.handle(app)
    handle.ensure_started()
    timer = StepTimer(handle.loop)
    assert app.test_client().post("/control/start").status_code == 202
    wait_until(lambda: len(timer.steps) >= 20)
    handle.stop()

    steps = list(timer.steps)
    assert [step.sim_time for step in steps] == [index * DT for index in range(len(steps))]
    # The loop steps only once seconds_until_due() is 0, so never before its schedule.
    assert all(step.started >= step.due for step in steps)
