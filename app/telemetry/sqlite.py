"""SQLite connection settings applied to every new connection."""

from sqlalchemy import event
from sqlalchemy.engine import Engine

# Milliseconds a connection waits for another writer before "database is
# locked": longer than the runner's longest flush of a few hundred rows.
BUSY_TIMEOUT_MS = 10_000


def _set_pragmas(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (API, export) run while the runner writes; NORMAL
    # synchronous is durable against application crashes in WAL mode and
    # loses at most the last commits on power loss.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def register_sqlite_pragmas(engine: Engine) -> None:
    """Add the pragma listener to a SQLite engine once; other databases are left alone."""
    if engine.dialect.name != "sqlite":
        return

    if not event.contains(engine, "connect", _set_pragmas):
        event.listen(engine, "connect", _set_pragmas)
