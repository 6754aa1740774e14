"""Several gunicorn workers on one database: one runner, commands applied once, takeover."""

import os
import signal
import time

import pytest

from tests.conftest import wait_until
from tests.server.reference import assert_exact_run

pytestmark = pytest.mark.slow


def owner_pid(document: dict) -> int:
    return int(document["owner"].rsplit(":", 1)[1])


@pytest.mark.parametrize("preload", [False, True], ids=["workers", "preload"])
def test_one_runner_and_commands_applied_once(start_server, sqlite_url, preload):
    server = start_server(sqlite_url, workers=3, preload=preload, SIM_SPEED=2000)
    first = wait_until(lambda: (doc := server.status())["state"] == "running" and doc, timeout=20)

    sent = []
    for index in range(24):
        code, body = server.request("PUT", "/control/setpoint", {"value": 20.0 + index / 8})
        assert code == 202, body
        sent.append(body["command_id"])
        time.sleep(0.02)

    owners = {server.status()["owner"] for _ in range(30)}
    wait_until(lambda: server.status()["queue_length"] == 0, timeout=10)
    time.sleep(0.5)
    server.terminate()

    assert owners == {first["owner"]}
    commands = assert_exact_run(sqlite_url)
    applied = [command[0] for command in commands if command[1] == "setpoint"]
    assert applied == sent
    assert "database is locked" not in server.log()


def test_owner_killed_another_worker_takes_over(start_server, database_url):
    server = start_server(database_url, workers=3, SIM_SPEED=2000)
    before = wait_until(lambda: (doc := server.status())["state"] == "running" and doc, timeout=20)

    os.kill(owner_pid(before), signal.SIGKILL)
    after = wait_until(
        lambda: (doc := server.status())["owner"] != before["owner"] and doc["step"] is not None and doc,
        timeout=15,
    )
    wait_until(lambda: server.status()["step"] > after["step"] + 1000, timeout=15)
    server.terminate()

    assert after["run_id"] == before["run_id"]
    assert_exact_run(database_url)


def test_second_service_on_same_database_stays_follower(start_server, sqlite_url):
    first = start_server(sqlite_url, workers=1, SIM_SPEED=2000)
    owner = wait_until(lambda: (doc := first.status())["state"] == "running" and doc, timeout=20)
    second = start_server(sqlite_url, workers=2, SIM_SPEED=2000)

    documents = [second.status() for _ in range(10)]
    code, _ = second.request("POST", "/control/pause")
    paused = wait_until(lambda: (doc := first.status())["state"] == "paused" and doc, timeout=10)
    second.terminate()
    first.terminate()

    assert {doc["owner"] for doc in documents} == {owner["owner"]}
    assert not any(doc["is_owner"] for doc in documents)
    assert code == 202
    assert paused["owner"] == owner["owner"]
    assert_exact_run(sqlite_url)
