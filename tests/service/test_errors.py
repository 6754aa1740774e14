"""Problem details for every kind of bad input, database trouble and overflow; never a 500."""

import flask_migrate
import pytest

from app import create_app
from app.config import ConfigError
from app.extensions import db
from tests.conftest import BASE_CONFIG, wait_until
from tests.service.helpers import start_paused, status, wait_for_state
from tests.service.test_control_api import assert_problem


def test_malformed_body_on_bodyless_endpoint_is_400(client):
    start_paused(client)

    response = client.post("/control/resume", data="{bad", content_type="application/json")

    assert_problem(response, 400)


def test_unknown_field_on_pause_is_422(client):
    client.post("/control/start")
    wait_for_state(client, "running")

    response = client.post("/control/pause", json={"x": 1})

    body = assert_problem(response, 422, "x")
    assert "remove it" in body["detail"]


def test_non_object_body_says_send_object(client):
    start_paused(client)

    response = client.put("/control/setpoint", json=[23])

    body = assert_problem(response, 422)
    assert body.get("field") is None
    assert "JSON object" in body["detail"]


def test_missing_field_says_required(client):
    start_paused(client)

    body = assert_problem(client.put("/control/setpoint", json={}), 422, "value")

    assert "required" in body["detail"]


def test_body_over_limit_names_the_limit(make_app):
    client = make_app(MAX_CONTENT_LENGTH=100).test_client()

    response = client.put("/control/setpoint", json={"value": 1, "pad": "x" * 200})

    body = assert_problem(response, 413)
    assert "MAX_CONTENT_LENGTH (100 bytes)" in body["detail"]


@pytest.mark.parametrize("command_id", [2**63, 10**30])
def test_huge_command_id_is_404(client, command_id):
    assert_problem(client.get(f"/control/commands/{command_id}"), 404)


@pytest.mark.parametrize("path", ["/runs", "/runs/1", "/telemetry", "/telemetry/export", "/control/commands/1"])
def test_unmigrated_database_is_503_with_fix(tmp_path, path):
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.db'}"})

    response = app.test_client().get(path)

    body = assert_problem(response, 503)
    assert "db upgrade" in body["detail"]
    with app.app_context():
        db.engine.dispose()


def test_runner_starts_after_upgrade_while_serving(tmp_path, monkeypatch):
    from app.runner import extension

    monkeypatch.setattr(extension, "SCHEMA_RECHECK_INTERVAL", 0.0)
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'later.db'}"})
    client = app.test_client()
    assert client.post("/control/start").status_code == 503

    with app.app_context():
        flask_migrate.upgrade()

    assert client.post("/control/start").status_code == 202
    assert wait_for_state(client, "running")["run_id"] == 1
    extension.Runner.handle(app).stop()
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("token", ["", "   ", True, ["a"]])
def test_invalid_api_token_stops_start_up(sqlite_url, token):
    with pytest.raises(ConfigError, match="API_TOKEN"):
        create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": sqlite_url, "API_TOKEN": token})


def test_numeric_token_is_accepted_as_text(make_app):
    client = make_app(API_TOKEN=123).test_client()

    response = client.post("/control/start", headers={"Authorization": "Bearer 123"})

    assert response.status_code == 202


@pytest.mark.parametrize(
    "config",
    [
        {"controller_params": {"kp": 1e308, "ki": 1e308, "kd": 1e308}},
        {"plant": "tank", "noise_std": 1e308},
    ],
)
def test_overflowing_run_faults_and_reset_recovers(client, config):
    client.post("/control/start", json={"config": config})

    faulted = wait_for_state(client, "faulted")
    client.post("/control/reset", json={"config": {"plant": "thermal_zone"}})
    recovered = wait_until(lambda: (doc := status(client))["state"] == "running" and doc["step"] and doc)

    assert "overflow" in faulted["last_error"]
    assert faulted["persistence_error"] is None
    assert recovered["run_id"] == 2
    assert recovered["last_error"] is None


def test_config_dt_too_large_is_422(client):
    response = client.post("/control/start", json={"config": {"plant": "tank", "dt": 1e308}})

    body = assert_problem(response, 422, "config.dt")
    assert "86400" in body["detail"]


def test_openapi_documents_problem_details(client):
    document = client.get("/openapi.json").get_json()

    conflict = document["components"]["responses"]["CONFLICT"]
    start = document["paths"]["/control/start"]["post"]
    assert "application/problem+json" in conflict["content"]
    assert start["requestBody"]["required"] is False
    assert "409" in start["responses"]
    assert start["security"] == [{"bearerAuth": []}]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
