"""Figures 1 to 3: steps per second of the in-process runner against its baselines."""

import logging

from bench.plan import Plan
from bench.raw_insert import measure_raw_insert
from bench.results import Figure, Measure, Target, ratio
from bench.runner_rate import RunnerRate, measure_runner
from bench.workspace import Workspace

log = logging.getLogger(__name__)


def run(workspace: Workspace, plan: Plan) -> list[Figure]:
    """Measure the raw insert baseline and the runner on an empty and a large database."""
    empty = workspace.empty_template()
    seeded_path, seeded = workspace.seeded_template()

    persisted = runner_on_copy(workspace, empty, "steps-empty.db", plan)
    log.info("runner, persistence on, empty database: %.0f steps/s", persisted.steps_per_second)

    # The same rows as the runner wrote, into a file of the same size.
    path = workspace.copy_of(empty, "steps-raw.db")
    raw = measure_raw_insert(path, skip_rows=persisted.steps_before, row_count=persisted.steps)
    workspace.remove(path)
    log.info("raw executemany: %.0f rows/s", raw.rows_per_second)

    unpersisted = runner_on_copy(workspace, empty, "steps-off.db", plan, PERSISTENCE_ENABLED=False)
    log.info("runner, persistence off: %.0f steps/s", unpersisted.steps_per_second)

    large = runner_on_copy(workspace, seeded_path, "steps-large.db", plan)
    log.info("runner, persistence on, %d stored records: %.0f steps/s", seeded.last_step + 1, large.steps_per_second)

    rows = format_count(seeded.last_step + 1)
    return [
        Figure(
            number="1",
            title="Runner steps/s, persistence on, vs raw sqlite3 executemany rows/s",
            value=Measure(persisted.steps_per_second, "steps/s"),
            baseline=Measure(raw.rows_per_second, "rows/s"),
            score=ratio(persisted.steps_per_second, raw.rows_per_second),
            target=Target(0.3, at_least=True),
            note=(
                f"runner over {persisted.seconds:.1f} s after {plan.runner_warmup:g} s of warm-up; "
                f"baseline: the same {raw.rows:,} rows after the same {persisted.steps_before:,}, "
                f"in batches of TELEMETRY_FLUSH_MAX_ROWS"
            ),
        ),
        Figure(
            number="2",
            title="Runner steps/s, persistence on vs off",
            value=Measure(persisted.steps_per_second, "steps/s"),
            baseline=Measure(unpersisted.steps_per_second, "steps/s"),
            score=ratio(persisted.steps_per_second, unpersisted.steps_per_second),
            note=flush_note(persisted),
        ),
        Figure(
            number="3",
            title=f"Runner steps/s, {rows} rows stored vs empty database",
            value=Measure(large.steps_per_second, "steps/s"),
            baseline=Measure(persisted.steps_per_second, "steps/s"),
            score=ratio(large.steps_per_second, persisted.steps_per_second),
            target=Target(0.9, at_least=True),
            note=f"{rows} rows seeded in {seeded.seconds:.1f} s",
        ),
        Figure(
            number="3b",
            title=f"Wall time per step, {rows} rows stored vs empty database",
            value=Measure(large.wall_seconds_per_step * 1e6, "µs"),
            baseline=Measure(persisted.wall_seconds_per_step * 1e6, "µs"),
            score=ratio(large.wall_seconds_per_step, persisted.wall_seconds_per_step),
            target=Target(1.1, at_least=False),
            note="interval / steps, so it contains the flushes",
        ),
        Figure(
            number="3c",
            title=f"Mean flush of one batch, {rows} rows stored vs empty database",
            value=Measure(large.mean_flush_seconds * 1e3, "ms"),
            baseline=Measure(persisted.mean_flush_seconds * 1e3, "ms"),
            score=ratio(large.mean_flush_seconds, persisted.mean_flush_seconds),
            note=f"{large.flushes} and {persisted.flushes} flushes",
        ),
    ]


def runner_on_copy(workspace: Workspace, template: str, name: str, plan: Plan, **overrides) -> RunnerRate:
    path = workspace.copy_of(template, name)
    try:
        return measure_runner(path, plan.runner_seconds, plan.runner_warmup, **overrides)
    finally:
        workspace.remove(path)


def flush_note(rate: RunnerRate) -> str:
    """Describe the shares of Simulation.step and of the flushes in a persisting runner's wall time."""
    step_share = rate.step_compute_seconds / rate.seconds
    flush_share = rate.flush_seconds / rate.seconds
    return (
        f"persistence on: Simulation.step {step_share:.0%} of the wall time, "
        f"flushes {flush_share:.0%} ({rate.flushes} flushes of {rate.records_written // max(rate.flushes, 1)} rows on average)"
    )


def format_count(count: int) -> str:
    """Format a row count as 1M, 50k or 999."""
    if count >= 1_000_000 and count % 1_000_000 == 0:
        return f"{count // 1_000_000}M"

    if count >= 1000 and count % 1000 == 0:
        return f"{count // 1000}k"

    return str(count)
