"""Figures 6 and 7: /status under concurrent load while the runner runs at full speed in gunicorn."""

import logging
import time
from dataclasses import dataclass

from bench.load import LoadResult, run_load
from bench.plan import Plan
from bench.results import Figure, Measure, Target, ratio
from bench.server import HOST, GunicornServer
from bench.workspace import Workspace

log = logging.getLogger(__name__)

# Seconds the server may take to report its first running step.
RUNNING_TIMEOUT = 60.0


@dataclass(frozen=True)
class Position:
    """The runner's step at a monotonic time, as /status reports it."""

    at: float
    step: int


@dataclass
class Progress:
    """Steps the runner took and the seconds it took them in, summed over windows."""

    steps: int = 0
    seconds: float = 0.0

    def add(self, first: Position, last: Position) -> None:
        self.steps += last.step - first.step
        self.seconds += last.at - first.at

    @property
    def steps_per_second(self) -> float:
        return self.steps / self.seconds


def run(workspace: Workspace, plan: Plan) -> list[Figure]:
    """Load /health, then /status, in rounds and read the runner's rate without load and during each load."""
    path = workspace.copy_of(workspace.empty_template(), "status-load.db")
    server = GunicornServer(
        path, workspace.path("status-gunicorn.log"), RUNNER_AUTOSTART=True, REHYDRATE_ON_START=True, SIM_SPEED=0
    )
    quiet, during_health, during_status = Progress(), Progress(), Progress()
    health_rounds, status_rounds = [], []
    try:
        with server:
            server.start()
            wait_until_running(server)
            time.sleep(plan.runner_warmup)

            for _ in range(plan.rounds):
                start = position(server)
                time.sleep(plan.rate_seconds)
                quiet_end = position(server)
                health_rounds.append(run_load(HOST, server.port, "/health", plan.load_clients, plan.load_seconds))
                health_end = position(server)
                status_rounds.append(run_load(HOST, server.port, "/status", plan.load_clients, plan.load_seconds))
                status_end = position(server)

                quiet.add(start, quiet_end)
                during_health.add(quiet_end, health_end)
                during_status.add(health_end, status_end)
            server.check_alive()
    finally:
        workspace.remove(path)

    health = LoadResult.combine(health_rounds)
    status = LoadResult.combine(status_rounds)
    for result in (health, status):
        log.info(
            "GET %s: %d responses, %.0f/s, p99 %.1f ms, %d errors",
            result.path, result.requests, result.throughput, result.percentile(0.99) * 1e3, result.errors,
        )
    log.info("runner %.0f steps/s without load, %.0f under /status load", quiet.steps_per_second, during_status.steps_per_second)

    pooled = f"{plan.rounds} rounds of {plan.load_seconds:g} s per endpoint, pooled"
    return [
        Figure(
            number="6",
            title=f"`/status` p99 latency vs `/health`, {plan.load_clients} clients, runner at full speed",
            value=Measure(status.percentile(0.99) * 1e3, "ms"),
            baseline=Measure(health.percentile(0.99) * 1e3, "ms"),
            score=ratio(status.percentile(0.99), health.percentile(0.99)),
            target=Target(1.5, at_least=False),
            note=f"{pooled}; {latency_note(status, health)}",
        ),
        Figure(
            number="6b",
            title="`/status` throughput vs `/health`, same load",
            value=Measure(status.throughput, "req/s"),
            baseline=Measure(health.throughput, "req/s"),
            score=ratio(status.throughput, health.throughput),
            target=Target(0.7, at_least=True),
            note=f"{status.requests:,} and {health.requests:,} responses; per round: {round_ratios(status_rounds, health_rounds)}",
        ),
        Figure(
            number="7",
            title="Runner steps/s in gunicorn during the `/status` load vs without load",
            value=Measure(during_status.steps_per_second, "steps/s"),
            baseline=Measure(quiet.steps_per_second, "steps/s"),
            score=ratio(during_status.steps_per_second, quiet.steps_per_second),
            note=f"{plan.rounds} rounds; {during_health.steps_per_second:,.0f} steps/s during the `/health` load",
        ),
    ]


def wait_until_running(server: GunicornServer, timeout: float = RUNNING_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document = server.get_json("/status")
        if document.get("state") == "running" and document.get("step") is not None:
            return
        time.sleep(0.05)

    raise RuntimeError(f"the runner was not running within {timeout} s, see {server.log_path}")


def position(server: GunicornServer) -> Position:
    """Read the runner's step from /status and date it.

    A worker that does not own the runner returns the status of the
    heartbeat row, so its step is heartbeat_age_seconds older than the response.
    """
    document = server.get_json("/status")
    age = document.get("heartbeat_age_seconds") or 0.0

    return Position(at=time.monotonic() - age, step=document["step"])


def round_ratios(status_rounds: list[LoadResult], health_rounds: list[LoadResult]) -> str:
    return ", ".join(f"{ratio(status.throughput, health.throughput):.3g}" for status, health in zip(status_rounds, health_rounds))


def latency_note(status: LoadResult, health: LoadResult) -> str:
    note = (
        f"p50 {status.percentile(0.5) * 1e3:.1f} vs {health.percentile(0.5) * 1e3:.1f} ms; "
        f"errors {status.errors} and {health.errors}"
    )
    if status.errors or health.errors:
        note += f" (first: {status.first_error or health.first_error})"

    return note
