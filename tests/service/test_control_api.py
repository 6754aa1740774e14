"""Control endpoints through the test client: happy paths, transitions and bad input."""

import pytest

from tests.service.helpers import command_outcome, start_paused, status, wait_for_state

PROBLEM = "application/problem+json"


def assert_problem(response, code: int, field: str | None = None) -> dict:
    assert response.status_code == code
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == code
    assert body["title"]
    assert body["detail"]
    if field is not None:
        assert body["field"] == field
    return body


def test_start_runs_the_loop(client):
    response = client.post("/control/start")

    assert response.status_code == 202
    assert response.get_json()["kind"] == "start"
    assert response.headers["Location"].endswith(f"/control/commands/{response.get_json()['command_id']}")
    document = wait_for_state(client, "running")
    assert document["run_id"] == 1
    assert document["plant"] == "thermal_zone"


def test_start_with_config_uses_it(client):
    config = {"plant": "tank", "controller": "on_off", "dt": 0.5}

    response = client.post("/control/start", json={"config": config})

    assert response.status_code == 202
    document = wait_for_state(client, "running")
    assert document["plant"] == "tank"
    assert document["controller"] == "on_off"
    assert document["dt"] == 0.5


def test_pause_then_resume(client):
    start_paused(client)

    assert client.post("/control/resume").status_code == 202
    wait_for_state(client, "running")


def test_step_while_paused_returns_last_snapshot(client):
    paused = start_paused(client)

    response = client.post("/control/step", json={"count": 5})

    assert response.status_code == 200
    snapshot = response.get_json()
    assert snapshot["step"] == paused["step"] + 5
    assert status(client)["step"] == snapshot["step"]
    assert set(snapshot["signals"]) == {"zone_temperature", "outdoor_temperature", "heater_power"}


def test_step_without_body_takes_one_step(client):
    paused = start_paused(client)

    response = client.post("/control/step")

    assert response.status_code == 200
    assert response.get_json()["step"] == paused["step"] + 1


def test_setpoint_reaches_the_simulation(client):
    start_paused(client)

    response = client.put("/control/setpoint", json={"value": 23.5})
    command_outcome(client, response.get_json()["command_id"])
    snapshot = client.post("/control/step").get_json()

    assert snapshot["setpoint"] == 23.5


def test_commands_apply_in_arrival_order_while_paused(client):
    start_paused(client)

    ids = [client.put("/control/setpoint", json={"value": value}).get_json()["command_id"] for value in (19, 20, 22)]
    outcomes = [command_outcome(client, command_id) for command_id in ids]
    snapshot = client.post("/control/step").get_json()

    assert [outcome["status"] for outcome in outcomes] == ["applied"] * 3
    assert snapshot["setpoint"] == 22


def test_manual_mode_and_output(client):
    start_paused(client)

    command_outcome(client, client.put("/control/mode", json={"mode": "manual"}).get_json()["command_id"])
    command_outcome(client, client.put("/control/output", json={"value": 1234.0}).get_json()["command_id"])
    snapshot = client.post("/control/step").get_json()

    assert snapshot["mode"] == "manual"
    assert snapshot["control_output"] == 1234.0


def test_output_in_auto_mode_is_rejected_in_journal(client):
    start_paused(client)

    response = client.put("/control/output", json={"value": 100.0})
    outcome = command_outcome(client, response.get_json()["command_id"])

    assert response.status_code == 202
    assert outcome["status"] == "rejected"
    assert "manual" in outcome["detail"]


def test_controller_switch_and_disturbance(client):
    start_paused(client)

    controller = client.put("/control/controller", json={"type": "on_off", "params": {"hysteresis": 0.5}})
    disturbance = client.put("/control/disturbance", json={"profile": "constant", "params": {"value": -5.0}})
    outcomes = [command_outcome(client, r.get_json()["command_id"]) for r in (controller, disturbance)]
    snapshot = client.post("/control/step").get_json()

    assert [o["status"] for o in outcomes] == ["applied", "applied"]
    assert snapshot["signals"]["outdoor_temperature"] == -5.0
    assert status(client)["controller"] == "on_off"


def test_speed_changes_pacing(client):
    client.post("/control/start")
    wait_for_state(client, "running")

    response = client.put("/control/speed", json={"value": 120})
    command_outcome(client, response.get_json()["command_id"])

    assert status(client)["speed"] == 120


def test_reset_starts_a_new_run(client):
    start_paused(client)

    response = client.post("/control/reset", json={"config": {"plant": "first_order"}})
    command_outcome(client, response.get_json()["command_id"])
    document = status(client)

    assert document["run_id"] == 2
    assert document["plant"] == "first_order"
    assert document["state"] == "paused"


@pytest.mark.parametrize(
    ("path", "expected_hint"),
    [("/control/resume", "paused"), ("/control/pause", "running"), ("/control/step", "pause")],
)
def test_transition_that_makes_no_sense_is_409(client, path, expected_hint):
    client.post("/control/start")
    wait_for_state(client, "running")
    if path == "/control/pause":
        start_paused_again = client.post("/control/pause")
        assert start_paused_again.status_code == 202
        wait_for_state(client, "paused")

    body = assert_problem(client.post(path), 409)

    assert expected_hint in body["detail"]


def test_start_twice_is_409(client):
    client.post("/control/start")
    wait_for_state(client, "running")

    body = assert_problem(client.post("/control/start"), 409)

    assert "reset" in body["detail"]


def test_setpoint_before_any_run_is_409(client):
    assert_problem(client.put("/control/setpoint", json={"value": 20}), 409)


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("put", "/control/setpoint", {"value": "hot"}, "value"),
        ("put", "/control/setpoint", {"value": True}, "value"),
        ("put", "/control/setpoint", {}, "value"),
        ("put", "/control/setpoint", {"value": 20, "extra": 1}, "extra"),
        ("put", "/control/speed", {"value": -1}, "value"),
        ("put", "/control/speed", {"value": 1e12}, "value"),
        ("post", "/control/step", {"count": 0}, "count"),
        ("post", "/control/step", {"count": 10**9}, "count"),
        ("post", "/control/step", {"count": 1.5}, "count"),
        ("put", "/control/mode", {"mode": "cruise"}, "mode"),
        ("put", "/control/controller", {"type": "fuzzy"}, "type"),
        ("put", "/control/controller", {"type": "pid", "params": {"kp": -1}}, "params.kp"),
        ("put", "/control/disturbance", {"profile": "earthquake"}, "profile"),
        ("post", "/control/start", {"config": {"plant": "reactor"}}, "config.plant"),
        ("post", "/control/start", {"config": {"dt": -1}}, "config.dt"),
    ],
)
def test_invalid_body_is_422_naming_the_field(client, method, path, body, field):
    if path not in ("/control/start", "/control/speed"):
        start_paused(client)

    response = getattr(client, method)(path, json=body)

    assert_problem(response, 422, field)


def test_controller_limits_reversed_is_422(client):
    start_paused(client)

    response = client.put("/control/controller", json={"type": "pid", "params": {"output_min": 10, "output_max": 0}})

    body = assert_problem(response, 422, "params.output_min")
    assert "output_max" in body["detail"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/control/setpoint", {"value": 1e300}, "value"),
        ("/control/controller", {"type": "pid", "params": {"output_max": 99999}}, "params.output_max"),
        ("/control/output", {"value": -5}, "value"),
        ("/control/disturbance", {"profile": "sinusoid", "params": {"period": -1}}, "params.period"),
    ],
)
def test_value_outside_plant_range_is_422(client, path, body, field):
    start_paused(client)

    response = client.put(path, json=body)

    assert_problem(response, 422, field)


def test_setpoint_checked_against_current_plant(client):
    client.post("/control/start", json={"config": {"plant": "tank"}})
    wait_for_state(client, "running")

    tank_top = client.put("/control/setpoint", json={"value": 20.0})
    tank_level = client.put("/control/setpoint", json={"value": 1.2})

    assert_problem(tank_top, 422, "value")
    assert tank_level.status_code == 202


def test_nan_setpoint_is_422(client):
    start_paused(client)

    response = client.put("/control/setpoint", data='{"value": NaN}', content_type="application/json")

    assert_problem(response, 422, "value")


def test_malformed_json_is_400(client):
    response = client.put("/control/setpoint", data="{value:", content_type="application/json")

    assert_problem(response, 400)


def test_wrong_content_type_is_415(client):
    response = client.put("/control/setpoint", data="value=3", content_type="application/x-www-form-urlencoded")

    body = assert_problem(response, 415)
    assert "application/json" in body["detail"]


def test_body_over_limit_is_413(make_app):
    client = make_app(MAX_CONTENT_LENGTH=1024).test_client()

    response = client.put("/control/setpoint", data='{"value": 1, "pad": "' + "x" * 2000 + '"}', content_type="application/json")

    assert_problem(response, 413)


def test_full_queue_answers_503_with_retry_after(make_app):
    client = make_app(COMMAND_QUEUE_SIZE=2).test_client()
    start_paused(client)
    from app.extensions import runner

    # Stop the runner so pending commands stay pending.
    runner.handle(client.application).stop()
    client.put("/control/speed", json={"value": 1})
    client.put("/control/speed", json={"value": 2})

    response = client.put("/control/speed", json={"value": 3})

    assert_problem(response, 503)
    assert response.headers["Retry-After"] == "1"


def test_unknown_route_is_problem_404(client):
    assert_problem(client.get("/control/nothing"), 404)


def test_wrong_method_is_problem_405(client):
    assert_problem(client.get("/control/setpoint"), 405)


def test_unknown_command_is_404(client):
    assert_problem(client.get("/control/commands/999"), 404)


def test_openapi_document_lists_control_endpoints(client):
    document = client.get("/openapi.json").get_json()

    assert "/control/setpoint" in document["paths"]
    assert "/control/step" in document["paths"]
    assert "value" in document["components"]["schemas"]["Setpoint"]["properties"]


def test_weather_file_outside_weather_dir_is_422(client):
    start_paused(client)

    response = client.put("/control/disturbance", json={"profile": "weather", "params": {"file": "/etc/hostname"}})

    body = assert_problem(response, 422, "params.file")
    assert "weather folder" in body["detail"]


def test_weather_file_missing_from_weather_dir_is_422(client):
    start_paused(client)

    response = client.put("/control/disturbance", json={"profile": "weather", "params": {"file": "nowhere.csv"}})

    assert_problem(response, 422, "params.file")


def test_weather_file_in_weather_dir_is_used(make_app, tmp_path):
    import shutil

    from tests.conftest import PROJECT_ROOT

    shutil.copy(f"{PROJECT_ROOT}/app/simulation/data/greensboro_723170_drybulb.csv", tmp_path / "gso.csv")
    client = make_app(WEATHER_DIR=str(tmp_path)).test_client()
    start_paused(client)

    response = client.put("/control/disturbance", json={"profile": "weather", "params": {"file": "gso.csv", "start_hour": 4000}})
    outcome = command_outcome(client, response.get_json()["command_id"])
    snapshot = client.post("/control/step").get_json()

    assert outcome["status"] == "applied"
    assert outcome["payload"]["params"]["file"] == str(tmp_path / "gso.csv")
    assert snapshot["signals"]["outdoor_temperature"] > 15


def test_start_config_weather_file_is_confined(client):
    config = {"disturbance": {"profile": "weather", "params": {"file": "../../etc/hostname"}}}

    response = client.post("/control/start", json={"config": config})

    assert_problem(response, 422, "config.disturbance.params.file")
