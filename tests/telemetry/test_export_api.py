"""GET /telemetry/export: streamed CSV, JSON and NDJSON equal to the stored rows."""

import csv
import io
from datetime import datetime

import pytest

from app.extensions import db, runner
from tests.conftest import wait_until
from tests.telemetry.helpers import record_paused_run, status, stored_rows, strict_json

SIGNALS = ("zone_temperature", "outdoor_temperature", "heater_power")
HEADER = ["step", "sim_time", "recorded_at", "setpoint", "process_value", "control_output", *SIGNALS]


def expected_values(row) -> tuple:
    """Return a stored row as the typed values of one CSV line."""
    return (
        row.step,
        row.sim_time,
        row.recorded_at,
        row.setpoint,
        row.process_value,
        row.control_output,
        *[row.signals[name] for name in SIGNALS],
    )


def parsed_values(line: list[str]) -> tuple:
    """Return one CSV line as typed values, so floats compare exactly."""
    step, sim_time, recorded_at, *floats = line
    return (int(step), float(sim_time), datetime.fromisoformat(recorded_at), *[float(value) for value in floats])


def expected_document(row) -> dict:
    return {
        "step": row.step,
        "sim_time": row.sim_time,
        "recorded_at": row.recorded_at.isoformat(),
        "setpoint": row.setpoint,
        "process_value": row.process_value,
        "control_output": row.control_output,
        "signals": {name: row.signals[name] for name in SIGNALS},
    }


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture
def recorded(app, client):
    """A paused run of at least 3000 stored steps; return its status."""
    return record_paused_run(client, min_steps=3000)


def test_csv_export_equals_stored_rows(app, client, recorded):
    response = client.get("/telemetry/export?format=csv")

    lines = read_csv(response.get_data(as_text=True))
    rows = stored_rows(app, recorded["run_id"])
    assert response.status_code == 200
    assert len(rows) >= 3000
    assert lines[0] == HEADER
    assert [parsed_values(line) for line in lines[1:]] == [expected_values(row) for row in rows]


def test_csv_timestamps_are_utc_iso(client, recorded):
    response = client.get("/telemetry/export?format=csv&to_step=9")

    stamps = [line[2] for line in read_csv(response.get_data(as_text=True))[1:]]
    assert len(stamps) == 10
    assert all("T" in stamp and stamp.endswith("+00:00") for stamp in stamps)


def test_json_export_equals_stored_rows(app, client, recorded):
    response = client.get("/telemetry/export?format=json")

    documents = strict_json(response.get_data(as_text=True))
    rows = stored_rows(app, recorded["run_id"])
    assert response.status_code == 200
    assert documents == [expected_document(row) for row in rows]


def test_ndjson_export_equals_stored_rows(app, client, recorded):
    response = client.get("/telemetry/export?format=ndjson")

    text = response.get_data(as_text=True)
    documents = [strict_json(line) for line in text.splitlines()]
    rows = stored_rows(app, recorded["run_id"])
    assert text.endswith("\n")
    assert documents == [expected_document(row) for row in rows]


@pytest.mark.parametrize(
    ("export_format", "mimetype"),
    [("csv", "text/csv"), ("json", "application/json"), ("ndjson", "application/x-ndjson")],
)
def test_export_is_named_attachment(client, recorded, export_format, mimetype):
    response = client.get(f"/telemetry/export?format={export_format}&to_step=5")
    response.close()

    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"] == f'attachment; filename="loopsim-run-1.{export_format}"'


def test_export_defaults_to_csv(client, recorded):
    response = client.get("/telemetry/export")
    text = response.get_data(as_text=True)

    assert response.mimetype == "text/csv"
    assert read_csv(text)[0] == HEADER


def test_export_step_range_limits_rows(client, recorded):
    response = client.get("/telemetry/export?format=ndjson&from_step=10&to_step=19")

    steps = [strict_json(line)["step"] for line in response.get_data(as_text=True).splitlines()]
    assert steps == list(range(10, 20))


def test_export_beyond_last_step_is_empty(client, recorded):
    first = recorded["step"] + 1

    # Each streamed response is read before the next request, because the
    # test client runs both in this thread and the stream keeps its request
    # context pushed until it is read.
    csv_text = client.get(f"/telemetry/export?format=csv&from_step={first}").get_data(as_text=True)
    json_text = client.get(f"/telemetry/export?format=json&from_step={first}").get_data(as_text=True)

    assert read_csv(csv_text) == [HEADER]
    assert strict_json(json_text) == []


def test_export_selects_run_by_id(client, recorded):
    assert client.post("/control/reset").status_code == 202
    wait_until(lambda: status(client)["run_id"] == 2)

    old = client.get("/telemetry/export?format=ndjson&run=1&to_step=2")
    old.close()
    latest = client.get("/telemetry/export?format=ndjson&to_step=2")
    latest.close()

    assert old.headers["Content-Disposition"].endswith('loopsim-run-1.ndjson"')
    assert latest.headers["Content-Disposition"].endswith('loopsim-run-2.ndjson"')


def test_export_of_running_run_is_contiguous(client):
    assert client.post("/control/start").status_code == 202
    wait_until(lambda: (status(client).get("last_persisted_step") or 0) >= 1000)

    response = client.get("/telemetry/export?format=ndjson")

    steps = [strict_json(line)["step"] for line in response.get_data(as_text=True).splitlines()]
    assert steps == list(range(len(steps)))
    assert len(steps) >= 1000


def test_json_export_streams_in_pieces(make_app):
    app = make_app(EXPORT_CHUNK_SIZE=100)
    client = app.test_client()
    recorded = record_paused_run(client, min_steps=1000)

    response = client.get("/telemetry/export?format=json", buffered=False)
    pieces = list(response.response)
    response.close()

    # "[" and "]" around one piece per chunk of 100 rows.
    assert len(pieces) >= (recorded["step"] + 1) // 100 + 2
    assert strict_json(b"".join(pieces).decode())[-1]["step"] == recorded["step"]


def test_aborted_download_releases_connections(make_app, database_url):
    app = make_app(SQLALCHEMY_DATABASE_URI=database_url, EXPORT_CHUNK_SIZE=100)
    client = app.test_client()
    record_paused_run(client, min_steps=2000)
    # The runner keeps connections of its own checked out, so it is stopped
    # and the pool then shows only the export's connections.
    runner.handle(app).stop()

    response = client.get("/telemetry/export?format=csv", buffered=False)
    pieces = iter(response.response)
    received = [next(pieces) for _ in range(4)]
    with app.app_context():
        during = db.engine.pool.checkedout()
    response.close()
    with app.app_context():
        after = db.engine.pool.checkedout()

    assert received[0].startswith(b"step,")
    assert during == 0
    assert after == 0
