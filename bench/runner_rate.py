"""Steps per second of the real runner thread of an in-process app."""

import time
from dataclasses import dataclass

from app.extensions import runner
from bench.database import build_app, dispose

# Seconds a started run may take to take its first step before the
# measurement gives up.
FIRST_STEP_TIMEOUT = 30.0


@dataclass(frozen=True)
class RunnerSample:
    """The runner's position and counters at one monotonic time."""

    at: float
    step: int
    stats: dict


@dataclass(frozen=True)
class RunnerRate:
    """Steps and flushes of the runner between two samples."""

    steps_before: int  # steps taken before the interval
    steps: int
    seconds: float
    step_compute_seconds: float  # time inside Simulation.step() alone, from the step histogram
    flushes: int
    flush_seconds: float
    records_written: int

    @property
    def steps_per_second(self) -> float:
        return self.steps / self.seconds

    @property
    def wall_seconds_per_step(self) -> float:
        """Return the mean wall time of one step, including its share of flushes and waits."""
        return self.seconds / self.steps if self.steps else float("inf")

    @property
    def mean_flush_seconds(self) -> float:
        return self.flush_seconds / self.flushes if self.flushes else 0.0


def rate_between(first: RunnerSample, last: RunnerSample) -> RunnerRate:
    """Return the runner's progress from `first` to `last`."""
    flushes_before = sum(first.stats["flush_seconds"]["counts"])
    flushes_after = sum(last.stats["flush_seconds"]["counts"])

    return RunnerRate(
        steps_before=first.step + 1,
        steps=last.step - first.step,
        seconds=last.at - first.at,
        step_compute_seconds=last.stats["step_seconds"]["sum"] - first.stats["step_seconds"]["sum"],
        flushes=flushes_after - flushes_before,
        flush_seconds=last.stats["flush_seconds"]["sum"] - first.stats["flush_seconds"]["sum"],
        records_written=last.stats["records_written_total"] - first.stats["records_written_total"],
    )


def sample(handle) -> RunnerSample:
    """Read the step from status() and copy the live counters of the runner."""
    step = handle.status()["step"]

    return RunnerSample(at=time.monotonic(), step=step, stats=handle.loop.stats.to_dict())


def wait_for_first_step(handle, timeout: float = FIRST_STEP_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while handle.status().get("step") is None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the runner took no step within {timeout} s: {handle.status()}")
        time.sleep(0.01)


def measure_runner(path: str, seconds: float, warmup: float, **overrides) -> RunnerRate:
    """Start a run through the API of an app on `path` and measure its runner for `seconds`.

    The first `warmup` seconds are left out, so that the start of the run,
    its first flushes included, does not count.
    """
    app = build_app(path, **overrides)
    handle = runner.handle(app)
    try:
        response = app.test_client().post("/control/start")
        if response.status_code != 202:
            raise RuntimeError(f"POST /control/start returned {response.status_code}: {response.get_data(as_text=True)}")

        wait_for_first_step(handle)
        time.sleep(warmup)
        first = sample(handle)
        time.sleep(seconds)
        last = sample(handle)
    finally:
        handle.stop()
        dispose(app)

    return rate_between(first, last)
