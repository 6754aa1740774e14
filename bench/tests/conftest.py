"""Fixtures of the benchmark tests: migrated SQLite files and apps on them, stopped afterwards."""

import shutil

import pytest

from app.extensions import runner
from bench.database import build_app, dispose, migrate


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("template") / "telemetry.db")
    migrate(path)
    return path


@pytest.fixture
def database_path(migrated_template, tmp_path) -> str:
    """Return a fresh copy of the migrated, empty SQLite file."""
    path = str(tmp_path / "telemetry.db")
    shutil.copyfile(migrated_template, path)
    return path


@pytest.fixture
def make_app(database_path):
    """Build bench apps on the test's database; their runners are stopped at teardown."""
    apps = []

    def factory(**overrides):
        app = build_app(database_path, **overrides)
        apps.append(app)
        return app

    yield factory

    for app in apps:
        runner.handle(app).stop()
        dispose(app)
