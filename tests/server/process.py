"""Run the service as a real gunicorn process on 127.0.0.1 for tests."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from tests.conftest import PROJECT_ENV, PROJECT_ROOT

GUNICORN = os.path.join(os.path.dirname(sys.executable), "gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """A gunicorn master with its workers, started with the project's gunicorn.conf.py."""

    def __init__(self, database_url: str, log_path, workers: int = 1, preload: bool = False, **config):
        self.database_url = database_url
        self.log_path = log_path
        self.workers = workers
        self.preload = preload
        self.config = {
            "RUNNER_AUTOSTART": "true",
            "REHYDRATE_ON_START": "true",
            "SIM_SPEED": "0",
            "LOG_LEVEL": "INFO",
            "HEARTBEAT_INTERVAL": "0.2",
            **{name: str(value) for name, value in config.items()},
        }
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> "ServerProcess":
        env = {**PROJECT_ENV, "FLASK_SQLALCHEMY_DATABASE_URI": self.database_url}
        env.update({f"FLASK_{name}": value for name, value in self.config.items()})
        command = [GUNICORN, "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{self.port}", "-w", str(self.workers)]
        if self.preload:
            command.append("--preload")
        command.append("wsgi:app")

        log = open(self.log_path, "a")
        # A session of its own, so a test can signal the master and its
        # workers together.
        self.process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.wait_until_serving(timeout)
        return self

    def wait_until_serving(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            try:
                self.get("/health")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)

        raise AssertionError(f"gunicorn did not serve within {timeout} s:\n{self.log()}")

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def get(self, path: str) -> dict:
        status, document = self.request("GET", path)
        assert status == 200, (status, document)
        return document

    def status(self) -> dict:
        return self.get("/status")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once, as a crash or the OOM killer would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def terminate(self, timeout: float = 30.0) -> float:
        """Send SIGTERM to the master and return the seconds it took to exit."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout)
        return time.monotonic() - started

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def log(self) -> str:
        with open(self.log_path) as handle:
            return handle.read()
