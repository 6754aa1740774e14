"""Figure 8: time from launching gunicorn until /status shows the rehydrated run running."""

import logging
import statistics
import time
from collections.abc import Callable

from app.config import Config
from bench.plan import Plan
from bench.results import Figure, Measure, Target, ratio
from bench.server import GunicornServer
from bench.workspace import Workspace

log = logging.getLogger(__name__)

STARTUP_TIMEOUT = 120.0
# Seconds between two /status polls during a start-up.
POLL_INTERVAL = 0.02


def run(workspace: Workspace, plan: Plan) -> list[Figure]:
    """Time server start-ups on copies of the empty and the large database, `plan.startup_repeats` times each."""
    empty = workspace.empty_template()
    seeded_path, seeded = workspace.seeded_template()

    def rehydrated(document: dict) -> bool:
        return (
            document.get("state") == "running"
            and document.get("run_id") == seeded.run_id
            and (document.get("step") or -1) >= seeded.last_step
        )

    def started(document: dict) -> bool:
        return document.get("state") == "running" and document.get("run_id") is not None

    large_times = []
    empty_times = []
    # Alternate the two, so that a change of load on the machine shifts both.
    for attempt in range(plan.startup_repeats):
        large_times.append(time_startup(workspace, seeded_path, f"startup-large-{attempt}", rehydrated))
        empty_times.append(time_startup(workspace, empty, f"startup-empty-{attempt}", started))
        log.info("start-up %d: %.2f s with %d rows, %.2f s empty", attempt, large_times[-1], seeded.last_step + 1, empty_times[-1])

    large_seconds = statistics.median(large_times)
    empty_seconds = statistics.median(empty_times)
    return [
        Figure(
            number="8",
            title=f"Start-up until the rehydrated run runs, {seeded.last_step + 1:,} rows vs empty database",
            value=Measure(large_seconds, "s"),
            baseline=Measure(empty_seconds, "s"),
            score=ratio(large_seconds, empty_seconds),
            target=Target(1.5, at_least=False),
            note=(
                f"median of {plan.startup_repeats} starts each; large/empty seconds per start: "
                + ", ".join(f"{large:.2f}/{small:.2f}" for large, small in zip(large_times, empty_times))
            ),
        )
    ]


def time_startup(workspace: Workspace, template: str, name: str, ready: Callable[[dict], bool]) -> float:
    """Launch a default server on a copy of `template` and return the seconds until `ready` accepts its /status."""
    path = workspace.copy_of(template, f"{name}.db")
    server = GunicornServer(
        path,
        workspace.path("startup-gunicorn.log"),
        RUNNER_AUTOSTART=True,
        REHYDRATE_ON_START=True,
        SIM_SPEED=Config.SIM_SPEED,
    )
    try:
        with server:
            server.launch()
            return seconds_until(server, ready)
    finally:
        workspace.remove(path)


def seconds_until(server: GunicornServer, ready: Callable[[dict], bool]) -> float:
    """Poll /status until `ready` accepts it and return the seconds since the launch."""
    deadline = server.launched_at + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        server.check_alive()
        try:
            if ready(server.get_json("/status")):
                return time.monotonic() - server.launched_at
        except OSError:
            pass  # not listening yet
        time.sleep(POLL_INTERVAL)

    raise RuntimeError(f"/status did not show the run running within {STARTUP_TIMEOUT} s, see {server.log_path}")
