"""GET /telemetry, /runs, /runs/<id> and /runs/<id>/commands."""

from datetime import datetime, timezone

import pytest

from tests.conftest import wait_until
from tests.telemetry.helpers import record_paused_run, status, stored_rows

RECORD_KEYS = {"step", "sim_time", "recorded_at", "setpoint", "process_value", "control_output", "signals"}


@pytest.fixture
def recorded(client):
    return record_paused_run(client, min_steps=500)


def test_recent_records_default_to_last_100(client, recorded):
    body = client.get("/telemetry").get_json()

    steps = [record["step"] for record in body["records"]]
    assert body["run_id"] == recorded["run_id"]
    assert steps == list(range(recorded["step"] - 99, recorded["step"] + 1))


def test_recent_records_match_stored_rows(app, client, recorded):
    body = client.get("/telemetry?limit=20").get_json()

    rows = stored_rows(app, recorded["run_id"])[-20:]
    records = body["records"]
    assert [record["process_value"] for record in records] == [row.process_value for row in rows]
    assert [record["signals"] for record in records] == [row.signals for row in rows]
    assert [record["recorded_at"] for record in records] == [row.recorded_at.isoformat() for row in rows]


def test_recent_records_leave_out_state(client, recorded):
    record = client.get("/telemetry?limit=1").get_json()["records"][0]

    assert set(record) == RECORD_KEYS
    assert datetime.fromisoformat(record["recorded_at"]).utcoffset().total_seconds() == 0


def test_include_state_adds_state(client, recorded):
    record = client.get("/telemetry?limit=1&include_state=true").get_json()["records"][0]

    assert set(record) == RECORD_KEYS | {"state"}
    assert record["state"]["next_step"] == record["step"] + 1


def test_after_step_polls_newer_records(client, recorded):
    after = recorded["step"] - 3

    records = client.get(f"/telemetry?after_step={after}").get_json()["records"]
    nothing_new = client.get(f"/telemetry?after_step={recorded['step']}").get_json()["records"]

    assert [record["step"] for record in records] == [after + 1, after + 2, after + 3]
    assert nothing_new == []


def test_negative_after_step_starts_at_zero(client, recorded):
    records = client.get("/telemetry?after_step=-1&limit=3").get_json()["records"]

    assert [record["step"] for record in records] == [0, 1, 2]


def test_max_limit_is_accepted(client, recorded):
    response = client.get("/telemetry?limit=10000")

    assert response.status_code == 200
    assert len(response.get_json()["records"]) == recorded["step"] + 1


def test_recent_records_of_older_run(client, recorded):
    assert client.post("/control/reset").status_code == 202
    wait_until(lambda: status(client)["run_id"] == 2)

    body = client.get("/telemetry?run=1&limit=1").get_json()

    assert body["run_id"] == 1
    assert body["records"][0]["step"] == recorded["step"]


def test_run_document_has_summary(client, recorded):
    document = client.get(f"/runs/{recorded['run_id']}").get_json()

    assert document["id"] == recorded["run_id"]
    assert document["row_count"] == recorded["step"] + 1
    assert document["first_step"] == 0
    assert document["last_step"] == recorded["step"]
    assert document["plant"] == "thermal_zone"
    assert document["controller"] == "pid"
    assert document["status"] == "active"
    assert document["dt"] == 1.0
    assert document["seed"] == 0
    assert document["config"]["plant"] == "thermal_zone"
    assert datetime.fromisoformat(document["created_at"]).tzinfo == timezone.utc


def test_runs_lists_every_run(client, recorded):
    assert client.post("/control/reset").status_code == 202
    wait_until(lambda: status(client)["run_id"] == 2)

    runs = client.get("/runs").get_json()

    assert [run["id"] for run in runs] == [1, 2]
    assert [run["status"] for run in runs] == ["ended", "active"]


def test_runs_is_empty_before_first_run(client):
    response = client.get("/runs")

    assert response.status_code == 200
    assert response.get_json() == []


def test_run_commands_are_the_journal(client, recorded):
    assert client.put("/control/setpoint", json={"value": 22.5}).status_code == 202
    wait_until(lambda: client.get("/runs/1/commands").get_json()[-1]["status"] == "applied")

    entries = client.get("/runs/1/commands").get_json()

    assert [entry["kind"] for entry in entries] == ["start", "pause", "setpoint"]
    assert entries[-1]["payload"] == {"value": 22.5}
    assert all(entry["applied_run_id"] == 1 for entry in entries)
