"""Shared fixtures: a migrated database per test, the app, its client and CLI runner."""

import os
import shutil
import time
import uuid

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db, runner

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Environment for `flask` and gunicorn subprocesses: run from the project
# folder, without the FLASK_* variables of the shell that runs the tests.
PROJECT_ENV = {
    **{name: value for name, value in os.environ.items() if not name.startswith("FLASK_")},
    "PYTHONPATH": PROJECT_ROOT,
}

# Config every test app starts from: persistence on, rehydration and
# autostart off, as fast as possible, nothing but warnings in the log.
BASE_CONFIG = {
    "TESTING": True,
    "RUNNER_AUTOSTART": False,
    "REHYDRATE_ON_START": False,
    "PERSISTENCE_ENABLED": True,
    "SIM_SPEED": 0,
    "TELEMETRY_FLUSH_INTERVAL": 0.05,
    "HEARTBEAT_INTERVAL": 0.1,
    "LOG_LEVEL": "WARNING",
}


def migrate(url: str) -> None:
    """Apply every migration to the database at `url`."""
    import flask_migrate

    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    """Migrate one SQLite file per session; each test gets a copy of it."""
    path = tmp_path_factory.mktemp("template") / "telemetry.db"
    migrate(f"sqlite:///{path}")

    return str(path)


@pytest.fixture(scope="session")
def postgres_url():
    """Create a database of its own for this test run on the TEST_DATABASE_URL server."""
    if not TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL is not set, so PostgreSQL tests are skipped")

    name = f"loopsim_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    url = sa.make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    migrate(url)
    yield url

    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def empty_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("TRUNCATE telemetry, commands, runs, runner_heartbeat RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path) -> str:
    path = tmp_path / "telemetry.db"
    shutil.copyfile(sqlite_template, path)

    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, sqlite_template, tmp_path) -> str:
    """A freshly migrated, empty database: SQLite always, PostgreSQL when configured."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")

    url = request.getfixturevalue("postgres_url")
    empty_postgres(url)
    return url


@pytest.fixture
def make_app(sqlite_url):
    """Build apps on the test's database; every runner they start is stopped afterwards."""
    apps = []

    def factory(**overrides):
        config = {**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": sqlite_url, **overrides}
        app = create_app(config)
        apps.append(app)
        return app

    yield factory

    for app in apps:
        runner.handle(app).stop()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def cli_runner(app):
    return app.test_cli_runner()


def wait_until(condition, timeout: float = 10.0, interval: float = 0.02):
    """Poll `condition` until it returns a truthy value and return it; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)

    raise AssertionError(f"condition not met within {timeout} s")
