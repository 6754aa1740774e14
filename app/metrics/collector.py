"""A prometheus_client collector that serves the runner's counters, histograms and gauges."""

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import Flask, current_app
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry
from prometheus_client.utils import floatToGoString
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db, runner
from app.runner import status as states
from app.runner.stats import RunnerStats
from app.telemetry.heartbeat import read_heartbeat

log = logging.getLogger(__name__)

EXTENSION_KEY = "loopsim.metrics"
RUNNER_STATES = (states.IDLE, states.RUNNING, states.PAUSED, states.FAULTED, states.STOPPED)


@dataclass(frozen=True)
class RunnerSample:
    """The data of one scrape: the runner status, and the stats of the heartbeat row.

    `stats` is None when the heartbeat could not be read, and then the
    counters and histograms are left out of the scrape.
    """

    status: dict
    stats: dict | None
    heartbeat_age_seconds: float | None


def read_runner_sample() -> RunnerSample:
    """Read the runner's status and the heartbeat stats in the current app context.

    Counters come from the heartbeat row in every process, the owner
    included: with several workers a scrape may reach any of them, and only
    that shared row gives them all the same, never decreasing values. The
    owner's own counters run ahead of its last heartbeat by up to
    HEARTBEAT_INTERVAL, so serving them there would make a later scrape of
    another worker show lower values.

    :raises SQLAlchemyError: when a process that does not own the runner
        cannot read the heartbeat, so it has nothing to report.
    """
    status = runner.handle(current_app).status()
    if not status.get("is_owner"):
        return RunnerSample(status, status.get("stats", {}), status.get("heartbeat_age_seconds"))

    try:
        row = read_heartbeat(db.session)
    except SQLAlchemyError as exc:
        db.session.rollback()
        log.warning("metrics scrape without counters: reading the heartbeat failed: %s", exc)
        return RunnerSample(status, None, None)

    if row is None:
        return RunnerSample(status, {}, None)

    age = (datetime.now(timezone.utc) - row.updated_at).total_seconds()
    return RunnerSample(status, row.status.get("stats", {}), age)


class RunnerCollector(Collector):
    """Build the loopsim_ metric families from a RunnerSample at each scrape."""

    def __init__(self, read_sample: Callable[[], RunnerSample]):
        self.read_sample = read_sample

    def collect(self) -> Iterator:
        sample = self.read_sample()
        yield from gauge_families(sample)
        if sample.stats is not None:
            yield from stats_families(RunnerStats.from_dict(sample.stats).to_dict())


def stats_families(stats: dict) -> Iterator:
    """Yield the counters and histograms of a RunnerStats dict."""
    yield CounterMetricFamily("loopsim_steps_total", "Simulation steps taken by the runner", value=stats["steps_total"])
    yield CounterMetricFamily(
        "loopsim_records_written_total", "Telemetry records written to the database", value=stats["records_written_total"]
    )
    yield CounterMetricFamily(
        "loopsim_write_errors_total", "Failed telemetry writes, each retried later", value=stats["write_errors_total"]
    )

    commands = CounterMetricFamily("loopsim_commands_total", "Commands handled by the runner", labels=["kind", "outcome"])
    for key, count in sorted(stats["commands_total"].items()):
        kind, _, outcome = key.partition(":")
        commands.add_metric([kind, outcome], count)
    yield commands

    yield histogram_family("loopsim_step_duration_seconds", "Wall-clock time of one simulation step", stats["step_seconds"])
    yield histogram_family(
        "loopsim_flush_duration_seconds", "Wall-clock time of one telemetry write transaction", stats["flush_seconds"]
    )


def histogram_family(name: str, documentation: str, histogram: dict) -> HistogramMetricFamily:
    """Build a histogram family from non-cumulative counts whose last entry is the +Inf bucket."""
    buckets = []
    cumulative = 0
    bounds = [floatToGoString(bound) for bound in histogram["bounds"]] + ["+Inf"]
    for bound, count in zip(bounds, histogram["counts"]):
        cumulative += count
        buckets.append((bound, cumulative))

    return HistogramMetricFamily(name, documentation, buckets=buckets, sum_value=histogram["sum"])


def gauge_families(sample: RunnerSample) -> Iterator:
    """Yield the runner's state and position gauges; a value the status lacks is left out."""
    status = sample.status
    state = GaugeMetricFamily("loopsim_runner_state", "1 for the runner's current state, 0 for the others", labels=["state"])
    for name in RUNNER_STATES:
        state.add_metric([name], 1 if status.get("state") == name else 0)
    yield state

    gauges = (
        ("loopsim_queue_length", "Commands pending in the journal", status.get("queue_length")),
        ("loopsim_history_size", "Snapshots the runner holds in memory", status.get("history_size")),
        ("loopsim_last_step", "Last step taken in the current run", status.get("step")),
        ("loopsim_sim_time_seconds", "Simulated time of the last step, in simulated seconds", status.get("sim_time")),
        ("loopsim_steps_per_second", "Steps per wall-clock second over the last second", status.get("steps_per_second")),
        ("loopsim_persistence_lag_steps", "Steps taken but not yet written", status.get("persistence_lag_steps")),
        (
            "loopsim_persistence_lag_seconds",
            "Simulated seconds of steps taken but not yet written",
            status.get("persistence_lag_seconds"),
        ),
        (
            "loopsim_heartbeat_age_seconds",
            "Wall-clock seconds since the heartbeat that the counters come from",
            sample.heartbeat_age_seconds,
        ),
    )
    for name, documentation, value in gauges:
        family = GaugeMetricFamily(name, documentation)
        if value is not None:
            family.add_metric([], value)
        yield family


def init_metrics(app: Flask) -> None:
    """Give `app` a private registry with the runner collector, once per app.

    A registry per app, not prometheus_client's global REGISTRY, so building
    a second app in one process registers nothing twice.
    """
    if EXTENSION_KEY in app.extensions:
        return

    # auto_describe=False: registering must not scrape, because a scrape
    # reads the database and needs an app context.
    registry = CollectorRegistry(auto_describe=False)
    registry.register(RunnerCollector(read_runner_sample))
    app.extensions[EXTENSION_KEY] = registry
