"""`flask telemetry export`, `runs` and `prune` through the app's CLI runner."""

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from app.extensions import db
from app.simulation import SimulationConfig
from app.telemetry.models import Run
from app.telemetry.repository import TelemetryRepository
from tests.telemetry.helpers import record_paused_run, stored_rows, strict_json


def add_runs(app, count: int, days_apart: int = 10) -> list[int]:
    """Insert `count` runs of three records each, created `days_apart` days apart, and return their ids."""
    config = SimulationConfig().to_dict()
    first_created = datetime(2026, 1, 1, tzinfo=timezone.utc)
    ids = []
    with app.app_context():
        repository = TelemetryRepository(db.session)
        for index in range(count):
            run = repository.create_run(config)
            run.created_at = first_created + timedelta(days=index * days_apart)
            repository.append_batch([record_row(run.id, step, run.created_at) for step in range(3)])
            ids.append(run.id)
        db.session.commit()

    return ids


def record_row(run_id: int, step: int, recorded_at: datetime) -> dict:
    signals = {"zone_temperature": 20.0 + step, "outdoor_temperature": 5.0, "heater_power": 100.0 * step}
    return {
        "run_id": run_id,
        "step": step,
        "sim_time": float(step),
        "recorded_at": recorded_at + timedelta(seconds=step),
        "setpoint": 21.0,
        "process_value": signals["zone_temperature"],
        "control_output": signals["heater_power"],
        "signals": signals,
        "state": {"next_step": step + 1},
    }


def remaining_run_ids(app) -> list[int]:
    with app.app_context():
        ids = [run.id for run in db.session.query(Run).order_by(Run.id)]
        db.session.close()
    return ids


@pytest.fixture
def recorded(client):
    return record_paused_run(client, min_steps=2000)


def test_export_to_file_equals_stored_rows(make_app, tmp_path):
    app = make_app(EXPORT_CHUNK_SIZE=500)
    recorded = record_paused_run(app.test_client(), min_steps=2000)
    target = tmp_path / "run.csv"

    result = app.test_cli_runner().invoke(args=["telemetry", "export", "--format", "csv", "--output", str(target)])

    lines = list(csv.reader(io.StringIO(target.read_text(), newline="")))
    rows = stored_rows(app, recorded["run_id"])
    assert result.exit_code == 0, result.output
    assert [int(line[0]) for line in lines[1:]] == [row.step for row in rows]
    assert [float(line[4]) for line in lines[1:]] == [row.process_value for row in rows]
    assert "Exporting run 1" in result.stderr
    assert "Wrote run 1 as csv" in result.stderr


def test_export_to_stdout_writes_json(app, cli_runner, recorded):
    result = cli_runner.invoke(args=["telemetry", "export", "--format", "json", "--output", "-"])

    documents = strict_json(result.stdout)
    rows = stored_rows(app, recorded["run_id"])
    assert result.exit_code == 0, result.output
    assert [document["control_output"] for document in documents] == [row.control_output for row in rows]
    assert "Exporting" not in result.stderr


def test_export_writes_stdout_by_default(cli_runner, recorded):
    result = cli_runner.invoke(args=["telemetry", "export", "--format", "ndjson", "--from-step", "5", "--to-step", "7"])

    assert result.exit_code == 0, result.output
    assert [strict_json(line)["step"] for line in result.stdout.splitlines()] == [5, 6, 7]


def test_export_selects_run_by_id(app, cli_runner):
    ids = add_runs(app, 2)

    result = cli_runner.invoke(args=["telemetry", "export", "--run", str(ids[0]), "--format", "ndjson"])

    recorded_at = [strict_json(line)["recorded_at"] for line in result.stdout.splitlines()]
    assert result.exit_code == 0, result.output
    assert recorded_at[0] == "2026-01-01T00:00:00+00:00"


def test_export_rejects_bad_chunk_size(make_app):
    app = make_app(EXPORT_CHUNK_SIZE=0)
    record_paused_run(app.test_client(), min_steps=10)

    result = app.test_cli_runner().invoke(args=["telemetry", "export"])

    assert result.exit_code == 1
    assert "invalid EXPORT_CHUNK_SIZE 0" in result.stderr


def test_export_unknown_run_names_option(cli_runner, recorded):
    result = cli_runner.invoke(args=["telemetry", "export", "--run", "99"])

    assert result.exit_code == 2
    assert "--run 99 not found" in result.stderr
    assert "flask telemetry runs" in result.stderr


def test_export_without_runs_explains(cli_runner):
    result = cli_runner.invoke(args=["telemetry", "export"])

    assert result.exit_code == 2
    assert "no run recorded yet" in result.stderr


def test_export_rejects_reversed_range(cli_runner, recorded):
    result = cli_runner.invoke(args=["telemetry", "export", "--from-step", "9", "--to-step", "3"])

    assert result.exit_code == 2
    assert "--from-step 9 is after --to-step 3" in result.stderr


def test_export_rejects_unknown_format(cli_runner, recorded):
    result = cli_runner.invoke(args=["telemetry", "export", "--format", "xml"])

    assert result.exit_code == 2
    assert "--format" in result.stderr


def test_runs_lists_a_table(app, cli_runner):
    ids = add_runs(app, 2)

    result = cli_runner.invoke(args=["telemetry", "runs"])

    lines = result.stdout.splitlines()
    assert result.exit_code == 0, result.output
    assert lines[0].split()[:3] == ["id", "created_at", "(UTC)"]
    assert [int(line.split()[0]) for line in lines[1:]] == ids
    assert lines[1].split()[1:4] == ["2026-01-01", "00:00:00", "active"]
    assert lines[1].split()[-2:] == ["3", "0-2"]


def test_runs_without_runs_says_so(cli_runner):
    result = cli_runner.invoke(args=["telemetry", "runs"])

    assert result.exit_code == 0
    assert "No runs recorded yet" in result.stdout


def test_prune_keep_runs_with_yes(app, cli_runner):
    ids = add_runs(app, 4)

    result = cli_runner.invoke(args=["telemetry", "prune", "--keep-runs", "2", "--yes"])

    assert result.exit_code == 0, result.output
    assert f"Deleted 2 runs: {ids[0]}, {ids[1]}." in result.stdout
    assert remaining_run_ids(app) == ids[2:]


def test_prune_asks_and_deletes_on_yes(app, cli_runner):
    ids = add_runs(app, 3)

    result = cli_runner.invoke(args=["telemetry", "prune", "--keep-runs", "1"], input="y\n")

    assert result.exit_code == 0, result.output
    assert "Delete every run except the newest 1" in result.stdout
    assert remaining_run_ids(app) == ids[2:]


def test_prune_asks_and_keeps_on_no(app, cli_runner):
    ids = add_runs(app, 3)

    result = cli_runner.invoke(args=["telemetry", "prune", "--keep-runs", "1"], input="n\n")

    assert result.exit_code == 1
    assert "Aborted" in result.output
    assert remaining_run_ids(app) == ids


def test_prune_before_date_deletes_older_runs(app, cli_runner):
    ids = add_runs(app, 4, days_apart=10)

    result = cli_runner.invoke(args=["telemetry", "prune", "--before", "2026-01-15", "--yes"])

    assert result.exit_code == 0, result.output
    assert remaining_run_ids(app) == ids[2:]


def test_prune_before_reads_offset_as_utc(app, cli_runner):
    ids = add_runs(app, 3, days_apart=1)

    # 2026-01-02T02:00+03:00 is 2026-01-01T23:00 UTC: only the first run is older.
    result = cli_runner.invoke(args=["telemetry", "prune", "--before", "2026-01-02T02:00:00+03:00", "--yes"])

    assert result.exit_code == 0, result.output
    assert remaining_run_ids(app) == ids[1:]


def test_prune_keeps_latest_run(app, cli_runner):
    ids = add_runs(app, 2)

    result = cli_runner.invoke(args=["telemetry", "prune", "--keep-runs", "0", "--yes"])

    assert result.exit_code == 0, result.output
    assert remaining_run_ids(app) == ids[1:]


def test_prune_without_match_deletes_nothing(app, cli_runner):
    ids = add_runs(app, 2)

    result = cli_runner.invoke(args=["telemetry", "prune", "--before", "2020-01-01", "--yes"])

    assert result.exit_code == 0, result.output
    assert "nothing was deleted" in result.stdout
    assert remaining_run_ids(app) == ids


def test_prune_bad_date_names_option(cli_runner):
    result = cli_runner.invoke(args=["telemetry", "prune", "--before", "31/01/2026", "--yes"])

    assert result.exit_code == 2
    assert "--before" in result.stderr
    assert "2026-01-31" in result.stderr


def test_prune_requires_one_option(cli_runner):
    result = cli_runner.invoke(args=["telemetry", "prune", "--yes"])

    assert result.exit_code == 2
    assert "missing --keep-runs or --before" in result.stderr


def test_prune_rejects_both_options(app, cli_runner):
    ids = add_runs(app, 3)

    result = cli_runner.invoke(args=["telemetry", "prune", "--keep-runs", "1", "--before", "2026-02-01", "--yes"])

    assert result.exit_code == 2
    assert "cannot be combined" in result.stderr
    assert remaining_run_ids(app) == ids
