"""Figures 1 to 3: steps per second of the in-process runner against its baselines."""

import logging
import statistics
from dataclasses import dataclass

from bench.plan import Plan
from bench.raw_insert import InsertRate, measure_raw_insert
from bench.results import Figure, Measure, Target, ratio
from bench.runner_rate import RunnerRate, measure_runner
from bench.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StepsRound:
    """One round of the four measurements, taken back to back."""

    persisted: RunnerRate  # empty database, persistence on
    raw: InsertRate  # the same rows with executemany
    unpersisted: RunnerRate  # persistence off
    large: RunnerRate  # large database, persistence on


def run(workspace: Workspace, plan: Plan) -> list[Figure]:
    """Measure the runner on an empty and a large database and the raw insert baseline, in rounds."""
    empty = workspace.empty_template()
    seeded_path, seeded = workspace.seeded_template()
    rounds = [measure_round(workspace, plan, empty, seeded_path) for _ in range(plan.rounds)]

    persisted = median([round_.persisted.steps_per_second for round_ in rounds])
    raw = median([round_.raw.rows_per_second for round_ in rounds])
    unpersisted = median([round_.unpersisted.steps_per_second for round_ in rounds])
    large = median([round_.large.steps_per_second for round_ in rounds])
    flush_empty = median([round_.persisted.mean_flush_seconds for round_ in rounds])
    flush_large = median([round_.large.mean_flush_seconds for round_ in rounds])
    rows = format_count(seeded.last_step + 1)
    medians = f"median of {plan.rounds} rounds"

    return [
        Figure(
            number="1",
            title="Runner steps/s, persistence on, vs raw sqlite3 executemany rows/s",
            value=Measure(persisted, "steps/s"),
            baseline=Measure(raw, "rows/s"),
            score=ratio(persisted, raw),
            target=Target(0.3, at_least=True),
            note=(
                f"{medians} of {plan.runner_seconds:g} s after {plan.runner_warmup:g} s of warm-up; "
                f"baseline rows per round: {spread(round_.raw.rows for round_ in rounds)}; "
                f"ratio per round: {ratios(rounds, lambda r: ratio(r.persisted.steps_per_second, r.raw.rows_per_second))}"
            ),
        ),
        Figure(
            number="2",
            title="Runner steps/s, persistence on vs off",
            value=Measure(persisted, "steps/s"),
            baseline=Measure(unpersisted, "steps/s"),
            score=ratio(persisted, unpersisted),
            note=f"{medians}; {flush_note(rounds[-1].persisted)} in the last round",
        ),
        Figure(
            number="3",
            title=f"Runner steps/s, {rows} rows stored vs empty database",
            value=Measure(large, "steps/s"),
            baseline=Measure(persisted, "steps/s"),
            score=ratio(large, persisted),
            target=Target(0.9, at_least=True),
            note=(
                f"{medians}; ratio per round: "
                f"{ratios(rounds, lambda r: ratio(r.large.steps_per_second, r.persisted.steps_per_second))}; "
                f"{rows} rows seeded in {seeded.seconds:.1f} s"
            ),
        ),
        Figure(
            number="3b",
            title=f"Wall time per step, {rows} rows stored vs empty database",
            value=Measure(1e6 / large, "µs"),
            baseline=Measure(1e6 / persisted, "µs"),
            score=ratio(persisted, large),
            target=Target(1.1, at_least=False),
            note="the inverse of figure 3: 1 / steps per second, so flushes are included",
        ),
        Figure(
            number="3c",
            title=f"Mean flush of one batch, {rows} rows stored vs empty database",
            value=Measure(flush_large * 1e3, "ms"),
            baseline=Measure(flush_empty * 1e3, "ms"),
            score=ratio(flush_large, flush_empty),
            note=medians,
        ),
    ]


def measure_round(workspace: Workspace, plan: Plan, empty: str, seeded_path: str) -> StepsRound:
    """Measure the four cases back to back, so that a change of load on the machine shifts all of them."""
    persisted = runner_on_copy(workspace, empty, "steps-empty.db", plan)
    log.info("runner, persistence on, empty database: %.0f steps/s", persisted.steps_per_second)

    # The same rows as the runner wrote, into a file of the same size.
    path = workspace.copy_of(empty, "steps-raw.db")
    try:
        raw = measure_raw_insert(path, skip_rows=persisted.steps_before, row_count=persisted.steps)
    finally:
        workspace.remove(path)
    log.info("raw executemany: %.0f rows/s", raw.rows_per_second)

    unpersisted = runner_on_copy(workspace, empty, "steps-off.db", plan, PERSISTENCE_ENABLED=False)
    log.info("runner, persistence off: %.0f steps/s", unpersisted.steps_per_second)

    large = runner_on_copy(workspace, seeded_path, "steps-large.db", plan)
    log.info("runner, persistence on, large database: %.0f steps/s", large.steps_per_second)

    return StepsRound(persisted=persisted, raw=raw, unpersisted=unpersisted, large=large)


def runner_on_copy(workspace: Workspace, template: str, name: str, plan: Plan, **overrides) -> RunnerRate:
    path = workspace.copy_of(template, name)
    try:
        return measure_runner(path, plan.runner_seconds, plan.runner_warmup, **overrides)
    finally:
        workspace.remove(path)


def median(values: list[float]) -> float:
    return statistics.median(values)


def ratios(rounds: list[StepsRound], score) -> str:
    return ", ".join(f"{score(round_):.3g}" for round_ in rounds)


def spread(counts) -> str:
    return ", ".join(f"{count:,}" for count in counts)


def flush_note(rate: RunnerRate) -> str:
    """Describe the shares of Simulation.step and of the flushes in a persisting runner's wall time."""
    step_share = rate.step_compute_seconds / rate.seconds
    flush_share = rate.flush_seconds / rate.seconds
    rows_per_flush = rate.records_written // max(rate.flushes, 1)
    return (
        f"persistence on: Simulation.step {step_share:.0%} of the wall time, "
        f"flushes {flush_share:.0%} ({rate.flushes} flushes of {rows_per_flush} rows on average)"
    )


def format_count(count: int) -> str:
    """Format a row count as 1M, 50k or 999."""
    if count >= 1_000_000 and count % 1_000_000 == 0:
        return f"{count // 1_000_000}M"

    if count >= 1000 and count % 1000 == 0:
        return f"{count // 1000}k"

    return str(count)
