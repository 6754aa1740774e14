"""Figures 4 and 5: a CSV export of the large run over HTTP, its time and the workers' memory."""

import logging
import subprocess
import time
from dataclasses import dataclass

from app.simulation import plant_signals
from bench.database import build_app, dispose
from bench.memory import RssSampler, baseline_rss
from bench.plan import Plan
from bench.results import Figure, Measure, Target, ratio
from bench.rows import simulation_config
from bench.server import GunicornServer
from bench.workspace import Workspace

log = logging.getLogger(__name__)

MB = 1024 * 1024
# Bytes per read of the HTTP download.
READ_SIZE = 1024 * 1024


@dataclass(frozen=True)
class Download:
    seconds: float
    size: int  # bytes
    lines: int


def run(workspace: Workspace, plan: Plan) -> list[Figure]:
    """Time the HTTP export and the sqlite3 shell on a copy of the large database, sampling RSS meanwhile."""
    template, seeded = workspace.seeded_template()
    path = workspace.copy_of(template, "export.db")
    rows = seeded.last_step + 1
    try:
        names = signal_names(path)
        shell_seconds = time_sqlite_shell(path, seeded.run_id, names)
        log.info("sqlite3 -csv: %d rows in %.2f s", rows, shell_seconds)

        server = GunicornServer(path, workspace.path("export-gunicorn.log"))
        with server:
            server.start()
            pids = server.worker_pids()
            before = baseline_rss(pids)
            with RssSampler(pids) as sampler:
                download = download_export(server, f"/telemetry/export?format=csv&run={seeded.run_id}")
            peak = sampler.peak
    finally:
        workspace.remove(path)

    log.info("HTTP export: %d bytes in %.2f s, worker RSS %d MB before, %d MB peak", download.size, download.seconds, before // MB, peak // MB)
    check_line_count(download, rows)

    return [
        Figure(
            number="4",
            title=f"CSV export of {rows:,} rows over HTTP vs `sqlite3 -csv`",
            value=Measure(download.seconds, "s"),
            baseline=Measure(shell_seconds, "s"),
            score=ratio(download.seconds, shell_seconds),
            target=Target(2.0, at_least=False),
            note=f"{download.size / MB:.0f} MB downloaded, {download.size / MB / download.seconds:.1f} MB/s",
        ),
        Figure(
            number="5",
            title="Peak RSS of the gunicorn workers during that export vs before it",
            value=Measure(peak / MB, "MB"),
            baseline=Measure(before / MB, "MB"),
            score=(peak - before) / MB,
            score_unit=" MB",
            target=Target(50.0, at_least=False, unit=" MB"),
            note=f"{len(pids)} workers, {len(sampler.samples)} samples every 50 ms",
        ),
    ]


def signal_names(path: str) -> list[str]:
    """Return the signal names of the default plant, the columns after control_output in an export."""
    app = build_app(path)
    try:
        return [signal.name for signal in plant_signals(simulation_config(app).plant)]
    finally:
        dispose(app)


def sqlite_shell_query(run_id: int, names: list[str]) -> str:
    """Return the SELECT of the export's columns and header, as GET /telemetry/export writes them."""
    signals = "".join(f", json_extract(signals, '$.\"{name}\"') AS \"{name}\"" for name in names)
    return (
        "SELECT step, sim_time, recorded_at, setpoint, process_value, control_output"
        f"{signals} FROM telemetry WHERE run_id = {int(run_id)} ORDER BY step"
    )


def time_sqlite_shell(path: str, run_id: int, names: list[str]) -> float:
    """Run the export query in `sqlite3 -csv` to /dev/null twice and return the seconds of the second run.

    The first run reads the file into the page cache, as the server's
    export then finds it.

    :raises RuntimeError: when the sqlite3 shell is not installed or fails.
    """
    command = ["sqlite3", "-csv", "-header", path, sqlite_shell_query(run_id, names)]
    seconds = 0.0
    for _ in range(2):
        started = time.perf_counter()
        try:
            with open("/dev/null", "wb") as sink:
                subprocess.run(command, stdout=sink, stderr=subprocess.PIPE, check=True)
        except FileNotFoundError:
            raise RuntimeError("the sqlite3 shell is not installed: install it with `apt-get install sqlite3`") from None
        except subprocess.CalledProcessError as exc:
            raise RuntimeError(f"sqlite3 failed with {exc.returncode}: {exc.stderr.decode(errors='replace')}") from None
        seconds = time.perf_counter() - started

    return seconds


def download_export(server: GunicornServer, path: str) -> Download:
    """GET `path` and read the body to /dev/null, counting bytes and lines.

    :raises RuntimeError: when the status is not 200.
    """
    connection = server.connection(timeout=300)
    size = lines = 0
    try:
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        if response.status != 200:
            raise RuntimeError(f"GET {path} returned {response.status}: {response.read(500)!r}")

        with open("/dev/null", "wb") as sink:
            while chunk := response.read(READ_SIZE):
                sink.write(chunk)
                size += len(chunk)
                lines += chunk.count(b"\n")
        seconds = time.perf_counter() - started
    finally:
        connection.close()

    return Download(seconds=seconds, size=size, lines=lines)


def check_line_count(download: Download, rows: int) -> None:
    """Raise RuntimeError unless the export had a header and one line per row, so its time counts a full export."""
    if download.lines != rows + 1:
        raise RuntimeError(f"the export had {download.lines} lines, expected a header and {rows} rows")
