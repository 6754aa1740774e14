"""SIGTERM stops the real server promptly, with every record flushed."""

import sqlite3

import pytest

from tests.conftest import wait_until

pytestmark = pytest.mark.slow


def test_sigterm_exits_promptly_with_runner_stopped(start_server, sqlite_url):
    server = start_server(sqlite_url, workers=2)
    wait_until(lambda: (server.status()["step"] or 0) > 1000, timeout=20)

    seconds = server.terminate()

    assert server.process.returncode == 0
    assert seconds < 10
    log = server.log()
    assert "runner stopped" in log
    assert "database is locked" not in log
    database = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    state, step = database.execute("SELECT state, step FROM runner_heartbeat").fetchone()
    count, last = database.execute("SELECT count(*), max(step) FROM telemetry").fetchone()
    assert state == "stopped"
    assert last == step
    assert count == last + 1
