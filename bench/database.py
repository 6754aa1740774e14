"""Scratch SQLite databases for the benchmarks: migrated, copied and opened like the app opens them."""

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager

from app import create_app
from app.extensions import db

# Settings of every app the benchmarks build: no runner until a figure
# starts one, SIM_SPEED=0 (no pacing), warnings only. The rest keeps the Config
# defaults, so flush sizes and intervals are the ones a server uses.
BENCH_CONFIG = {
    "RUNNER_AUTOSTART": False,
    "REHYDRATE_ON_START": False,
    "PERSISTENCE_ENABLED": True,
    "SIM_SPEED": 0,
    "LOG_LEVEL": "WARNING",
}


def sqlite_url(path: str) -> str:
    return f"sqlite:///{os.path.abspath(path)}"


def build_app(path: str, **overrides):
    """Build a Loopsim app on the SQLite file at `path` with BENCH_CONFIG and `overrides`."""
    return create_app({**BENCH_CONFIG, "SQLALCHEMY_DATABASE_URI": sqlite_url(path), **overrides})


def dispose(app) -> None:
    """Close the pooled connections of an app's engine."""
    with app.app_context():
        db.engine.dispose()


def migrate(path: str) -> None:
    """Create the SQLite file at `path` and apply every migration to it."""
    import flask_migrate

    remove_database(path)
    app = build_app(path)
    with app.app_context():
        flask_migrate.upgrade()
    dispose(app)


def copy_database(source: str, target: str) -> None:
    """Copy a closed SQLite file, replacing `target` and its WAL files, and flush the copy to disk.

    Without the fsync the first WAL checkpoint of a measured runner would
    also write out the hundreds of MB of the copy still in the page cache.
    """
    remove_database(target)
    shutil.copyfile(source, target)
    with open(target, "rb") as copy:
        os.fsync(copy.fileno())


def remove_database(path: str) -> None:
    """Delete a SQLite file with its -wal, -shm and runner lock files, where they exist."""
    for suffix in ("", "-wal", "-shm", ".runner.lock"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass


def checkpoint(path: str) -> None:
    """Fold the WAL into the main file, so that a copy of the main file alone is complete."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@contextmanager
def driver_connection(app) -> Iterator[sqlite3.Connection]:
    """Yield a sqlite3 connection of the app's engine, opened with the app's pragmas (WAL, synchronous)."""
    with app.app_context():
        proxied = db.engine.raw_connection()
        try:
            yield proxied.driver_connection
        finally:
            proxied.close()
