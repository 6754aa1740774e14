"""SQLite connection settings applied to every new connection."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


def register_sqlite_pragmas(engine: Engine, busy_timeout_ms: int) -> None:
    """Add the pragma listener to a SQLite engine once; other databases are left alone."""
    if engine.dialect.name != "sqlite" or getattr(engine, "_loopsim_pragmas", False):
        return

    def set_pragmas(dbapi_connection, connection_record) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers (API, export) run while the runner writes; NORMAL
        # synchronous is durable against application crashes in WAL mode and
        # loses at most the last commits on power loss.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    event.listen(engine, "connect", set_pragmas)
    engine._loopsim_pragmas = True
