"""Exclusive ownership of the runner of one database, across processes."""

import fcntl
import logging
import os
import socket
import zlib

from sqlalchemy import text
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)


def owner_id() -> str:
    """Name this process for the heartbeat and the logs: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


class FileLock:
    """An OS lock (flock) on a file beside the SQLite database.

    The kernel releases a flock when the last descriptor of its open file
    closes, which happens when the process dies, even by SIGKILL. So a
    killed owner does not block a takeover (tests/server/test_workers.py).
    """

    def __init__(self, path: str):
        self.path = path
        self._file = None

    def try_acquire(self) -> bool:
        """Take the lock without waiting; return whether this process now holds it."""
        if self._file is not None:
            return True

        handle = open(self.path, "a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False

        handle.seek(0)
        handle.truncate()
        handle.write(owner_id() + "\n")
        handle.flush()
        self._file = handle

        return True

    def release(self) -> None:
        if self._file is None:
            return

        fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
        self._file.close()
        self._file = None


class PostgresAdvisoryLock:
    """A session-level `pg_try_advisory_lock` held on one dedicated connection.

    PostgreSQL releases the lock when that connection closes, which happens
    when the owning process dies.
    """

    def __init__(self, engine: Engine, name: str):
        self.engine = engine
        # Advisory locks take a bigint key: derive a stable one from the name.
        self.key = zlib.crc32(name.encode())
        self._connection = None

    def try_acquire(self) -> bool:
        if self._connection is not None:
            return True

        connection = self.engine.connect()
        locked = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}).scalar()
        connection.commit()
        if not locked:
            connection.close()
            return False

        self._connection = connection
        return True

    def release(self) -> None:
        if self._connection is None:
            return

        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            self._connection.commit()
        finally:
            self._connection.close()
            self._connection = None


class ProcessLock:
    """A lock that always succeeds, for databases no other process can open, such as in-memory SQLite."""

    def try_acquire(self) -> bool:
        return True

    def release(self) -> None:
        return None


def lock_for(engine: Engine):
    """Return the ownership lock that fits the database behind `engine`."""
    url = engine.url
    if url.get_backend_name() == "postgresql":
        return PostgresAdvisoryLock(engine, f"loopsim-runner:{url.database}")

    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return FileLock(os.path.abspath(url.database) + ".runner.lock")

    log.warning("database %s has no cross-process lock; one runner per process", url.render_as_string())
    return ProcessLock()
