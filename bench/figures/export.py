"""Figures 4 and 5: a CSV export of the large run over HTTP, its time and the workers' memory."""

import logging
import statistics
import subprocess
import time
from dataclasses import dataclass

from app.simulation import plant_signals
from bench.database import build_app, dispose
from bench.memory import RssSampler, baseline_rss, total_rss_bytes
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


@dataclass(frozen=True)
class ExportRound:
    """One round: the shell's seconds, the download, and the workers' RSS just before and at most during it."""

    shell_seconds: float
    download: Download
    rss_before: int  # bytes
    rss_peak: int  # bytes


def run(workspace: Workspace, plan: Plan) -> list[Figure]:
    """Time the sqlite3 shell and the HTTP export of the large run in rounds, sampling the workers' RSS."""
    template, seeded = workspace.seeded_template()
    path = workspace.copy_of(template, "export.db")
    rows = seeded.last_step + 1
    try:
        names = signal_names(path)
        shell_command = sqlite_shell_command(path, seeded.run_id, names)
        # The first run reads the file into the page cache, as every later
        # shell run and export then finds it.
        time_sqlite_shell(shell_command)

        server = GunicornServer(path, workspace.path("export-gunicorn.log"))
        with server:
            server.start()
            pids = server.worker_pids()
            first_before = baseline_rss(pids)
            rounds = []
            for _ in range(plan.rounds):
                shell_seconds = time_sqlite_shell(shell_command)
                before = total_rss_bytes(pids)
                with RssSampler(pids) as sampler:
                    download = download_export(server, f"/telemetry/export?format=csv&run={seeded.run_id}")
                rounds.append(ExportRound(shell_seconds, download, before, sampler.peak))
                log.info("sqlite3 -csv %.2f s, HTTP export %.2f s", shell_seconds, download.seconds)
    finally:
        workspace.remove(path)

    for round_ in rounds:
        check_line_count(round_.download, rows)

    export_seconds = statistics.median(round_.download.seconds for round_ in rounds)
    shell_seconds = statistics.median(round_.shell_seconds for round_ in rounds)
    size = rounds[0].download.size
    first_peak = rounds[0].rss_peak
    last_peak = max(round_.rss_peak for round_ in rounds)
    log.info("HTTP export: %d bytes, worker RSS %d MB before, %d MB peak", size, first_before // MB, first_peak // MB)

    return [
        Figure(
            number="4",
            title=f"CSV export of {rows:,} rows over HTTP vs `sqlite3 -csv`",
            value=Measure(export_seconds, "s"),
            baseline=Measure(shell_seconds, "s"),
            score=ratio(export_seconds, shell_seconds),
            target=Target(2.0, at_least=False),
            note=(
                f"median of {plan.rounds} rounds; export/shell seconds per round: "
                + ", ".join(f"{round_.download.seconds:.2f}/{round_.shell_seconds:.2f}" for round_ in rounds)
                + f"; {size / MB:.0f} MB per export, {size / MB / export_seconds:.1f} MB/s"
            ),
        ),
        Figure(
            number="5",
            title="Peak RSS of the gunicorn workers during the first export vs before it",
            value=Measure(first_peak / MB, "MB"),
            baseline=Measure(first_before / MB, "MB"),
            score=(first_peak - first_before) / MB,
            score_unit=" MB",
            target=Target(50.0, at_least=False, unit=" MB"),
            note=(
                f"{len(pids)} workers sampled every 50 ms; growth in each round over the RSS just before it: "
                + ", ".join(f"{(round_.rss_peak - round_.rss_before) / MB:+.1f} MB" for round_ in rounds)
                + f"; highest RSS of all rounds {(last_peak - first_before) / MB:+.1f} MB over the first baseline"
            ),
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


def sqlite_shell_command(path: str, run_id: int, names: list[str]) -> list[str]:
    return ["sqlite3", "-csv", "-header", path, sqlite_shell_query(run_id, names)]


def time_sqlite_shell(command: list[str]) -> float:
    """Run the sqlite3 shell with its output to /dev/null and return the seconds it took.

    :raises RuntimeError: when the sqlite3 shell is not installed or fails.
    """
    started = time.perf_counter()
    try:
        with open("/dev/null", "wb") as sink:
            subprocess.run(command, stdout=sink, stderr=subprocess.PIPE, check=True)
    except FileNotFoundError:
        raise RuntimeError("the sqlite3 shell is not installed: install it with `apt-get install sqlite3`") from None
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(f"sqlite3 failed with {exc.returncode}: {exc.stderr.decode(errors='replace')}") from None

    return time.perf_counter() - started


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
