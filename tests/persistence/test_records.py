"""Every step persists one record; timestamps are UTC on SQLite and PostgreSQL."""

import sqlite3
import time
from datetime import timezone

import pytest

from app.extensions import db, runner
from app.simulation import Simulation, SimulationConfig
from app.telemetry.repository import TelemetryRepository
from tests.service.helpers import start_paused, status


@pytest.fixture
def db_app(make_app, database_url):
    return make_app(SQLALCHEMY_DATABASE_URI=database_url)


def stored_records(app, run_id: int = 1) -> list:
    with app.app_context():
        repository = TelemetryRepository(db.session)
        return [row for chunk in repository.iter_records(run_id) for row in chunk]


def test_each_step_is_one_record(db_app):
    client = db_app.test_client()
    start_paused(client)
    client.post("/control/step", json={"count": 50})

    last_step = status(client)["step"]
    runner.handle(db_app).stop()
    rows = stored_records(db_app)

    assert [row.step for row in rows] == list(range(last_step + 1))


def test_records_match_an_independent_simulation(db_app):
    client = db_app.test_client()
    start_paused(client)
    runner.handle(db_app).stop()
    rows = stored_records(db_app)

    with db_app.app_context():
        config = SimulationConfig.from_dict(TelemetryRepository(db.session).get_run(1).config)
    simulation = Simulation.from_config(config)
    expected = [simulation.step() for _ in rows]

    assert [row.process_value for row in rows] == [snapshot.process_value for snapshot in expected]
    assert [row.control_output for row in rows] == [snapshot.control_output for snapshot in expected]
    assert [row.state for row in rows] == [dict(snapshot.state) for snapshot in expected]


def test_timestamps_are_utc(db_app):
    client = db_app.test_client()
    start_paused(client)
    runner.handle(db_app).stop()

    row = stored_records(db_app)[0]
    with db_app.app_context():
        run = TelemetryRepository(db.session).get_run(1)
        created_at = run.created_at
        record = TelemetryRepository(db.session).record_at(1, row.step)
        recorded_at = record.recorded_at

    assert created_at.tzinfo == timezone.utc
    assert recorded_at.tzinfo == timezone.utc
    assert abs(time.time() - recorded_at.timestamp()) < 600


def test_status_shows_persisted_step_and_lag(db_app):
    client = db_app.test_client()
    start_paused(client)
    time.sleep(0.2)

    document = status(client)

    assert document["last_persisted_step"] == document["step"]
    assert document["persistence_lag_steps"] == 0


def test_persistence_off_writes_no_records(make_app):
    app = make_app(PERSISTENCE_ENABLED=False)
    client = app.test_client()
    start_paused(client)
    client.post("/control/step", json={"count": 20})

    assert status(client)["step"] >= 20
    assert stored_records(app) == []


def test_locked_database_is_retried_without_loss(make_app, sqlite_url):
    app = make_app(SQLITE_BUSY_TIMEOUT_MS=50, TELEMETRY_FLUSH_INTERVAL=0.02)
    client = app.test_client()
    start_paused(client)
    client.post("/control/resume")

    # Another writer locks the database for a second, longer than the busy
    # timeout, so the runner's flushes fail and must be retried.
    blocker = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    time.sleep(1.0)
    blocker.execute("COMMIT")
    blocker.close()
    time.sleep(0.3)
    client.post("/control/pause")
    time.sleep(0.3)
    runner.handle(app).stop()

    document = runner.handle(app).loop.stats.to_dict()
    rows = stored_records(app)
    last_step = runner.handle(app).loop.published[1].step
    assert document["write_errors_total"] >= 1
    assert [row.step for row in rows] == list(range(last_step + 1))
