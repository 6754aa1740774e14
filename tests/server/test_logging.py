"""Logs of a real server: each event once, JSON access and app lines alike, one runner under the reloader."""

import json
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import PROJECT_ENV, PROJECT_ROOT, wait_until
from tests.server.process import free_port

pytestmark = pytest.mark.slow


def test_gunicorn_logs_each_event_once(start_server, sqlite_url):
    server = start_server(sqlite_url, workers=3)
    wait_until(lambda: server.status()["state"] == "running", timeout=20)
    server.request("PUT", "/control/setpoint", {"value": 22.0})
    time.sleep(0.5)
    server.terminate()

    lines = server.log().splitlines()
    started = [line for line in lines if "started run 1" in line]
    applied = [line for line in lines if "applied setpoint command" in line]
    assert len(started) == 1
    assert len(applied) == 1


def test_json_access_and_app_lines_share_format(start_server, sqlite_url):
    server = start_server(sqlite_url, LOG_FORMAT="json")
    wait_until(lambda: server.status()["state"] == "running", timeout=20)
    server.terminate()

    lines = [line for line in server.log().splitlines() if line.strip()]
    documents = [json.loads(line) for line in lines]
    loggers = {document["logger"] for document in documents}
    assert "gunicorn.access" in loggers
    assert "app.runner.commands" in loggers
    assert all({"time", "level", "logger", "message"} <= set(document) for document in documents)


def test_reloader_starts_one_runner(tmp_path, sqlite_url):
    port = free_port()
    log_path = tmp_path / "flask-run.log"
    env = {
        **PROJECT_ENV,
        "FLASK_SQLALCHEMY_DATABASE_URI": sqlite_url,
        "FLASK_SIM_SPEED": "100",
        "FLASK_LOG_LEVEL": "INFO",
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--reload", "-h", "127.0.0.1", "-p", str(port)]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        def status():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=5) as response:
                    return json.load(response)
            except OSError:
                return None

        wait_until(lambda: (doc := status()) and doc["state"] == "running", timeout=30)
    finally:
        process.terminate()
        process.wait(15)

    text = log_path.read_text()
    assert text.count("runner started by") == 1
    assert "owned by another process" not in text
