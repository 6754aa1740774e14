"""Figure 9: real-time pacing of the in-process runner, its drift and the jitter of its steps."""

import logging
import time
from dataclasses import dataclass

from app.extensions import runner
from bench.database import build_app, dispose
from bench.plan import Plan
from bench.results import Figure, Measure, Target, percentile
from bench.runner_rate import wait_for_first_step
from bench.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TimedStep:
    """When one step started, when the pacer's schedule had it due (monotonic seconds) and its sim_time."""

    started: float
    due: float
    sim_time: float


class StepTimer:
    """Wrap a RunnerLoop's step_once to record each step's start against the Pacer's schedule.

    The runner thread calls the wrapper in place of the method, so the
    loop, its pacer and its waits are the real ones.
    """

    def __init__(self, loop):
        self.loop = loop
        self.steps: list[TimedStep] = []
        self._step_once = loop.step_once
        loop.step_once = self.step_once

    def step_once(self):
        pacer = self.loop.pacer
        # Pacer.seconds_until_due schedules step n at anchor + n * dt / speed.
        due = pacer.anchor + pacer.steps * pacer.dt / pacer.speed
        started = pacer.clock()
        snapshot = self._step_once()
        if snapshot is not None:
            self.steps.append(TimedStep(started, due, snapshot.sim_time))

        return snapshot


def run(workspace: Workspace, plan: Plan) -> list[Figure]:
    """Time each step of the in-process runner at `plan.pacing_speed`, persistence on, for `plan.pacing_seconds`."""
    path = workspace.copy_of(workspace.empty_template(), "pacing.db")
    app = build_app(path, SIM_SPEED=plan.pacing_speed)
    handle = runner.handle(app)
    try:
        handle.ensure_started()
        timer = StepTimer(handle.loop)
        response = app.test_client().post("/control/start")
        if response.status_code != 202:
            raise RuntimeError(f"POST /control/start returned {response.status_code}: {response.get_data(as_text=True)}")

        wait_for_first_step(handle)
        time.sleep(plan.pacing_seconds)
        resets = handle.loop.pacer.resets
        dt = handle.loop.pacer.dt
    finally:
        handle.stop()
        dispose(app)
        workspace.remove(path)

    return pacing_figures(timer.steps, plan.pacing_speed, dt, resets)


def pacing_figures(steps: list[TimedStep], speed: float, dt: float, resets: int) -> list[Figure]:
    """Compute the drift of sim_time against wall time and the p99 lateness of steps."""
    first, last = steps[0], steps[-1]
    wall = last.started - first.started
    simulated = (last.sim_time - first.sim_time) / speed
    drift = abs(simulated - wall) / wall
    lateness = [step.started - step.due for step in steps]
    p99 = percentile(lateness, 0.99)
    period = dt / speed
    log.info("pacing: %d steps in %.1f s, drift %.4f %%, p99 lateness %.2f ms", len(steps), wall, drift * 100, p99 * 1e3)

    return [
        Figure(
            number="9",
            title=f"Pacing at SIM_SPEED={speed:g}: sim_time elapsed / speed vs wall time elapsed",
            value=Measure(simulated, "s"),
            baseline=Measure(wall, "s"),
            score=drift * 100,
            score_unit=" %",
            target=Target(0.5, at_least=False, strict=True, unit=" %"),
            note=f"{len(steps)} steps; the pacer restarted its schedule {resets} times",
        ),
        Figure(
            number="9b",
            title="Step jitter p99: lateness of a step against its schedule vs the step period",
            value=Measure(p99 * 1e3, "ms"),
            baseline=Measure(period * 1e3, "ms"),
            score=p99 / period,
            note=f"median {percentile(lateness, 0.5) * 1e3:.2f} ms, max {max(lateness) * 1e3:.2f} ms",
        ),
    ]
