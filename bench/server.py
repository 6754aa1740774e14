"""A real gunicorn server of Loopsim on 127.0.0.1, started with the project's gunicorn.conf.py."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time

from bench.database import sqlite_url

HOST = "127.0.0.1"
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUNICORN = os.path.join(os.path.dirname(sys.executable), "gunicorn")
# Seconds to wait for the master to exit after SIGTERM before SIGKILL:
# above gunicorn.conf.py's graceful_timeout of 20 s.
STOP_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class GunicornServer:
    """A gunicorn master and its workers on one SQLite file, configured through FLASK_* variables.

    The worker count, threads and timeouts come from gunicorn.conf.py, so
    the figures measure the configuration that `make run` serves.
    """

    def __init__(self, database_path: str, log_path: str, **config):
        self.database_path = database_path
        self.log_path = log_path
        self.config = {
            "RUNNER_AUTOSTART": "false",
            "REHYDRATE_ON_START": "false",
            "SIM_SPEED": "0",
            "LOG_LEVEL": "WARNING",
            **{name: str(value).lower() if isinstance(value, bool) else str(value) for name, value in config.items()},
        }
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.launched_at: float | None = None

    def launch(self) -> None:
        """Start the master and return at once. `launched_at` is the monotonic time of the launch."""
        env = {name: value for name, value in os.environ.items() if not name.startswith("FLASK_")}
        env.update(PYTHONPATH=PROJECT_ROOT, FLASK_SQLALCHEMY_DATABASE_URI=sqlite_url(self.database_path))
        env.update({f"FLASK_{name}": value for name, value in self.config.items()})
        command = [GUNICORN, "-c", "gunicorn.conf.py", "-b", f"{HOST}:{self.port}", "wsgi:app"]

        with open(self.log_path, "a") as log:
            self.launched_at = time.monotonic()
            # A session of its own, so that stop() can signal the master and
            # its workers together if the master hangs.
            self.process = subprocess.Popen(
                command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def start(self, timeout: float = 60.0) -> "GunicornServer":
        self.launch()
        self.wait_until_serving(timeout)
        return self

    def wait_until_serving(self, timeout: float) -> None:
        """Poll /health until it returns 200.

        :raises RuntimeError: when gunicorn exits or does not serve within `timeout` seconds.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                self.get_json("/health")
                return
            except OSError:
                time.sleep(0.02)

        raise RuntimeError(f"gunicorn did not serve within {timeout} s, see {self.log_path}")

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {self.process.returncode}, see {self.log_path}")

    def connection(self, timeout: float = 30.0) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(HOST, self.port, timeout=timeout)

    def get_json(self, path: str, timeout: float = 30.0) -> dict:
        """GET `path` on a new connection and return the JSON body.

        :raises RuntimeError: when the status is not 200.
        """
        connection = self.connection(timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()

        if response.status != 200:
            raise RuntimeError(f"GET {path} returned {response.status}: {body[:500]!r}")

        return json.loads(body)

    def worker_pids(self) -> list[int]:
        """Return the pids of the master's child processes, the gunicorn workers."""
        master = self.process.pid
        pids = []
        for name in os.listdir("/proc"):
            if name.isdigit() and parent_pid(int(name)) == master:
                pids.append(int(name))

        return sorted(pids)

    def stop(self) -> None:
        """Send SIGTERM and wait for a graceful exit, or SIGKILL the whole session after STOP_TIMEOUT seconds."""
        if self.process is None or self.process.poll() is not None:
            return

        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def __enter__(self) -> "GunicornServer":
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def parent_pid(pid: int) -> int | None:
    """Return the parent pid from /proc/PID/stat, or None when the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            stat = handle.read()
    except OSError:
        return None

    # The command name in brackets may contain spaces, so fields are
    # counted after its closing bracket: state, then the parent pid.
    return int(stat.rsplit(")", 1)[1].split()[1])
