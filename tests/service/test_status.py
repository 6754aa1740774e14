"""Status, health and readiness endpoints."""

import sqlalchemy as sa

from app import create_app
from tests.conftest import BASE_CONFIG
from tests.service.helpers import start_paused, status, wait_for_state

STATUS_FIELDS = {
    "state", "uptime_seconds", "step", "sim_time", "queue_length", "history_size", "run_id", "plant",
    "controller", "dt", "speed", "steps_per_second", "last_error", "owner", "last_persisted_step",
    "persistence_lag_steps", "persistence_lag_seconds",
}


def test_status_before_any_start_is_stopped(client):
    document = status(client)

    assert document["state"] == "stopped"
    assert document["is_owner"] is False


def test_status_has_every_figure(client):
    client.post("/control/start")
    document = wait_for_state(client, "running")

    assert STATUS_FIELDS <= set(document)
    assert document["is_owner"] is True
    assert document["history_size"] > 0


def test_status_advances_while_running(client):
    client.post("/control/start")
    first = wait_for_state(client, "running")

    from tests.conftest import wait_until

    later = wait_until(lambda: (doc := status(client))["step"] > (first["step"] or 0) + 100 and doc)
    assert later["sim_time"] == later["step"] * later["dt"]


def test_history_is_capped(make_app):
    client = make_app(HISTORY_SIZE=50).test_client()
    start_paused(client)

    client.post("/control/step", json={"count": 200})

    assert status(client)["history_size"] == 50


def test_health_is_ok(client):
    response = client.get("/health")

    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_ready_with_current_schema(client):
    assert client.get("/ready").status_code == 200


def test_schema_behind_blocks_runner_and_readiness(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    client = app.test_client()

    ready = client.get("/ready")
    start = client.post("/control/start")

    assert ready.status_code == 503
    assert "flask --app wsgi db upgrade" in ready.get_json()["detail"]
    assert start.status_code in (409, 503)
    assert "db upgrade" in status(client)["last_error"]
    with app.app_context():
        from app.extensions import db

        assert sa.inspect(db.engine).get_table_names() == []
        db.engine.dispose()
