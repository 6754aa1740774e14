"""How long and how big each benchmark runs: the full plan and the --quick smoke plan."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    """Sizes and durations of one benchmark run, the durations in wall seconds."""

    seeded_rows: int = 1_000_000  # records of the prior run in the large database
    # Rounds of the steps, export and status groups. Each round measures a
    # figure and its baseline back to back and the table shows medians, so
    # a burst of other work on the machine skews one round, not the result.
    rounds: int = 3
    runner_seconds: float = 5.0  # measured interval of each in-process runner, per round
    runner_warmup: float = 2.0  # seconds of a run left out before the interval
    load_clients: int = 32
    load_seconds: float = 5.0  # per endpoint under load, per round
    rate_seconds: float = 3.0  # runner rate in gunicorn without load, per round
    startup_repeats: int = 3  # server starts per database; the median counts
    pacing_seconds: float = 300.0
    pacing_speed: float = 60.0  # simulated seconds per wall second


FULL = Plan()
QUICK = Plan(
    seeded_rows=50_000,
    rounds=1,
    runner_seconds=3.0,
    runner_warmup=0.5,
    load_seconds=3.0,
    rate_seconds=3.0,
    startup_repeats=1,
    pacing_seconds=10.0,
)
