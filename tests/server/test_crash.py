"""SIGKILL at random moments, restart, and the run is bit-identical to an uninterrupted one."""

import random
import sqlite3
import time

import pytest

from tests.conftest import wait_until
from tests.server.reference import assert_exact_run, stored_run

pytestmark = pytest.mark.slow


def database_path(url: str) -> str:
    return url.removeprefix("sqlite:///")


def test_repeated_sigkill_leaves_an_exact_run(start_server, sqlite_url):
    chooser = random.Random()
    for _ in range(4):
        server = start_server(sqlite_url)
        wait_until(lambda: server.status()["state"] == "running", timeout=20)
        time.sleep(chooser.uniform(0.3, 1.5))
        server.kill()

    final = start_server(sqlite_url)
    wait_until(lambda: final.status()["state"] == "running", timeout=20)
    final.terminate()

    path = database_path(sqlite_url)
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    check.close()

    _, records, _ = stored_run(sqlite_url)
    assert len(records) > 1000
    assert_exact_run(sqlite_url)


def test_setpoint_accepted_before_sigkill_survives(start_server, sqlite_url):
    server = start_server(sqlite_url)
    wait_until(lambda: server.status()["state"] == "running", timeout=20)

    code, body = server.request("PUT", "/control/setpoint", {"value": 24.25})
    server.kill()

    assert code == 202
    restarted = start_server(sqlite_url)
    document = wait_until(lambda: (doc := restarted.status())["setpoint"] == 24.25 and doc, timeout=20)
    restarted.terminate()

    assert document["run_id"] == 1
    commands = assert_exact_run(sqlite_url)
    assert [c[0] for c in commands if c[1] == "setpoint"] == [body["command_id"]]
