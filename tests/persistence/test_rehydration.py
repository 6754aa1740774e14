"""Rehydration: the latest run continues exactly where its records end."""

import pytest

from app.extensions import db, runner
from app.simulation import SetSetpoint, Simulation, SimulationConfig
from app.telemetry.journal import CommandJournal
from app.telemetry.repository import TelemetryRepository
from tests.conftest import wait_until
from tests.service.helpers import start_paused, status, wait_for_state


def rows_of(app, run_id: int = 1) -> list:
    with app.app_context():
        return [row for chunk in TelemetryRepository(db.session).iter_records(run_id) for row in chunk]


@pytest.fixture
def app_on(make_app, database_url):
    def factory(**overrides):
        return make_app(SQLALCHEMY_DATABASE_URI=database_url, **overrides)

    return factory


def restarted(app_on, **overrides):
    """Build a rehydrating app and start its runner as a server would."""
    app = app_on(REHYDRATE_ON_START=True, **overrides)
    runner.handle(app).ensure_started()
    return app


def test_restart_continues_bit_identically(app_on):
    first = app_on()
    client = first.test_client()
    start_paused(client)
    stopped_at = client.post("/control/step", json={"count": 30}).get_json()["step"]
    runner.handle(first).stop()

    second = restarted(app_on)
    other = second.test_client()
    resumed_at = wait_for_state(other, "paused")["step"]
    other.post("/control/step", json={"count": 40})
    runner.handle(second).stop()

    rows = rows_of(second)
    with second.app_context():
        config = SimulationConfig.from_dict(TelemetryRepository(db.session).get_run(1).config)
    reference = Simulation.from_config(config)
    expected = [reference.step() for _ in rows]
    assert resumed_at == stopped_at
    assert [row.step for row in rows] == list(range(len(rows)))
    assert [row.state for row in rows] == [dict(snapshot.state) for snapshot in expected]


def test_restart_with_autostart_runs(app_on):
    first = app_on()
    client = first.test_client()
    client.post("/control/start")
    wait_for_state(client, "running")
    runner.handle(first).stop()

    second = restarted(app_on, RUNNER_AUTOSTART=True)
    client = second.test_client()

    document = wait_for_state(client, "running")
    assert document["run_id"] == 1


def test_empty_database_starts_a_clean_run(app_on):
    app = restarted(app_on, RUNNER_AUTOSTART=True)
    client = app.test_client()

    document = wait_for_state(client, "running")

    assert document["run_id"] == 1
    wait_until(lambda: status(client)["step"] is not None)


def test_pending_command_applies_after_restart(app_on):
    first = app_on()
    client = first.test_client()
    start_paused(client)
    last_step = client.post("/control/step", json={"count": 5}).get_json()["step"]
    runner.handle(first).stop()

    # A setpoint journaled while no runner was alive, as after a crash
    # between the API's commit and the runner's next poll.
    with first.app_context():
        CommandJournal(db.session).append("setpoint", SetSetpoint(26.0).to_payload(), run_id=1)
        db.session.commit()

    second = restarted(app_on)
    other = second.test_client()
    wait_for_state(other, "paused")
    snapshot = other.post("/control/step").get_json()

    assert snapshot["step"] == last_step + 1
    assert snapshot["setpoint"] == 26.0


def test_command_applied_to_unwritten_step_is_replayed(app_on):
    first = app_on()
    client = first.test_client()
    start_paused(client)
    last_step = client.post("/control/step", json={"count": 5}).get_json()["step"]
    runner.handle(first).stop()

    # The journal marks the command applied before a step whose record never
    # reached the database, as when a paused runner wrote the outcome and
    # the process died before that step was written.
    with first.app_context():
        entry = CommandJournal(db.session).append("setpoint", SetSetpoint(19.5).to_payload(), run_id=1)
        entry.status = "applied"
        entry.applied_run_id = 1
        entry.applied_step = last_step + 1
        db.session.commit()

    second = restarted(app_on)
    other = second.test_client()
    wait_for_state(other, "paused")

    assert other.post("/control/step").get_json()["setpoint"] == 19.5


def test_reset_run_is_not_rehydrated(app_on):
    first = app_on()
    client = first.test_client()
    start_paused(client)
    client.post("/control/reset", json={"config": {"plant": "tank"}})
    wait_until(lambda: status(client)["run_id"] == 2)
    runner.handle(first).stop()

    second = restarted(app_on)
    document = wait_for_state(second.test_client(), "paused")

    assert document["run_id"] == 2
    assert document["plant"] == "tank"


def test_operator_pause_and_speed_survive_restart(app_on):
    first = app_on()
    client = first.test_client()
    client.post("/control/start")
    wait_for_state(client, "running")
    speed = client.put("/control/speed", json={"value": 30}).get_json()["command_id"]
    wait_until(lambda: client.get(f"/control/commands/{speed}").get_json()["status"] == "applied")
    client.post("/control/pause")
    wait_for_state(client, "paused")
    runner.handle(first).stop()

    second = restarted(app_on, RUNNER_AUTOSTART=True)
    document = wait_for_state(second.test_client(), "paused")

    assert document["speed"] == 30
    assert document["run_id"] == 1


def test_resumed_run_runs_after_restart(app_on):
    first = app_on()
    client = first.test_client()
    start_paused(client)
    client.post("/control/resume")
    wait_for_state(client, "running")
    runner.handle(first).stop()

    second = restarted(app_on, RUNNER_AUTOSTART=True)

    assert wait_for_state(second.test_client(), "running")["run_id"] == 1
