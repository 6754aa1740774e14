"""The sqlite3 shell baseline selects what GET /telemetry/export writes."""

import csv
import io
import shutil
import subprocess
from datetime import datetime, timezone

import pytest

from bench.figures.export import Download, check_line_count, signal_names, sqlite_shell_command
from bench.seed import seed_run

needs_shell = pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 shell is not installed")


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def keys(rows: list[list[str]]) -> list[tuple]:
    """Return the step and the time in UTC of each row.

    The shell prints the stored naive UTC text, the API ISO 8601 with an offset.
    """
    result = []
    for row in rows:
        recorded_at = datetime.fromisoformat(row[2])
        if recorded_at.tzinfo is None:
            recorded_at = recorded_at.replace(tzinfo=timezone.utc)
        result.append((int(row[0]), recorded_at))

    return result


def numbers(rows: list[list[str]]) -> list[float]:
    """Return every float cell: sim_time, the control columns and the signals."""
    return [float(cell) for row in rows for cell in (row[1], *row[3:])]


@needs_shell
def test_shell_query_matches_http_export(make_app, database_path):
    app = make_app()
    seeded = seed_run(app, 300)
    names = signal_names(database_path)

    export = app.test_client().get(f"/telemetry/export?format=csv&run={seeded.run_id}")
    shell = subprocess.run(
        sqlite_shell_command(database_path, seeded.run_id, names), capture_output=True, text=True, check=True
    )

    http_rows = parse(export.get_data(as_text=True))
    shell_rows = parse(shell.stdout)
    assert len(shell_rows) == len(http_rows) == 301
    assert shell_rows[0] == http_rows[0]
    assert keys(shell_rows[1:]) == keys(http_rows[1:])
    # The shell prints 15 significant digits, the export the shortest exact repr().
    assert numbers(shell_rows[1:]) == pytest.approx(numbers(http_rows[1:]), rel=1e-14)


def test_line_check_rejects_short_export():
    with pytest.raises(RuntimeError, match="expected a header and 10 rows"):
        check_line_count(Download(seconds=1.0, size=100, lines=5), rows=10)


def test_line_check_accepts_full_export():
    check_line_count(Download(seconds=1.0, size=100, lines=11), rows=10)
