"""The runner thread: faults, pacing, ownership within one process, clean stop."""

import logging

from app.extensions import runner
from tests.conftest import wait_until
from tests.service.helpers import start_paused, status, wait_for_state


def break_next_step(app) -> None:
    """Make the simulation's next step raise, as a bug in a plant would."""
    loop = runner.handle(app).loop

    def failing_step():
        raise ZeroDivisionError("float division by zero")

    loop.sim.step = failing_step


def test_step_exception_faults_the_runner(app, client, caplog):
    client.post("/control/start")
    wait_for_state(client, "running")

    with caplog.at_level(logging.ERROR):
        break_next_step(app)
        document = wait_for_state(client, "faulted")

    assert "ZeroDivisionError" in document["last_error"]
    faults = [r for r in caplog.records if "runner faulted" in r.getMessage()]
    assert len(faults) == 1
    assert faults[0].exc_info is not None
    assert runner.handle(app).loop.thread.is_alive()


def test_reset_clears_a_fault(app, client):
    client.post("/control/start")
    wait_for_state(client, "running")
    break_next_step(app)
    wait_for_state(client, "faulted")

    client.post("/control/reset")
    document = wait_for_state(client, "running")

    assert document["last_error"] is None
    assert document["run_id"] == 2


def test_paced_run_follows_speed(make_app):
    client = make_app(SIM_SPEED=200.0).test_client()
    client.post("/control/start")
    first = wait_for_state(client, "running")
    start_step = first["step"] or 0

    wait_until(lambda: (status(client)["step"] or 0) >= start_step + 100, timeout=5)
    document = status(client)

    # 200 simulated seconds per second at dt = 1 s: 0.5 s of wall time for
    # 100 steps. The bound only rules out running unpaced.
    assert document["step"] < start_step + 2000


def test_stop_flushes_every_record(app, client):
    from app.extensions import db
    from app.telemetry.repository import TelemetryRepository

    client.post("/control/start")
    wait_until(lambda: (status(client)["step"] or 0) > 500)

    runner.handle(app).stop()
    last_step = runner.handle(app).loop.published[1].step

    with app.app_context():
        summary = TelemetryRepository(db.session).run_summary(1)
    assert summary["last_step"] == last_step
    assert summary["row_count"] == last_step + 1


def test_second_app_on_same_database_is_follower(make_app):
    owner = make_app().test_client()
    follower = make_app().test_client()
    owner.post("/control/start")
    wait_for_state(follower, "running")

    follower.post("/control/pause")
    document = wait_for_state(follower, "paused")

    assert document["is_owner"] is False
    assert document["owner"] == status(owner)["owner"]
    assert runner.handle(follower.application).loop.is_owner is False


def test_follower_takes_over_when_owner_stops(make_app):
    owner_app = make_app()
    owner = owner_app.test_client()
    follower = make_app().test_client()
    start_paused(owner)
    last_step = owner.post("/control/step", json={"count": 10}).get_json()["step"]
    runner.handle(follower.application).ensure_started()

    runner.handle(owner_app).stop()
    document = wait_until(lambda: (doc := status(follower))["is_owner"] and doc, timeout=10)

    assert document["run_id"] == 1
    assert document["step"] == last_step
    assert document["state"] == "paused"
