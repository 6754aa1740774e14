"""Migrations: upgrade and downgrade on a database that contains rows."""

import subprocess
import sys

import flask_migrate
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from tests.conftest import BASE_CONFIG, PROJECT_ENV

TABLES = {"runs", "telemetry", "commands", "runner_heartbeat", "alembic_version"}


def table_names(app) -> set:
    with app.app_context():
        return set(sa.inspect(db.engine).get_table_names())


def insert_run() -> None:
    """Store one run row, as a database in use holds."""
    db.session.execute(sa.text(
        "INSERT INTO runs (created_at, plant, controller, dt, seed, config, status) "
        "VALUES ('2026-01-01 00:00:00', 'tank', 'pid', 1.0, 0, '{}', 'active')"
    ))
    db.session.commit()


def test_upgrade_creates_tables_and_keeps_rows(tmp_path):
    url = f"sqlite:///{tmp_path / 'rows.db'}"
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade()
        insert_run()

        # Upgrading again is a no-op that keeps the rows.
        flask_migrate.upgrade()
        count = db.session.execute(sa.text("SELECT count(*) FROM runs")).scalar()
        db.engine.dispose()

    assert table_names(app) == TABLES
    assert count == 1


def test_downgrade_with_rows_then_upgrade_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'down.db'}"
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade()
        insert_run()
        flask_migrate.downgrade(revision="base")
        after_downgrade = set(sa.inspect(db.engine).get_table_names())
        flask_migrate.upgrade()
        db.engine.dispose()

    assert after_downgrade == {"alembic_version"}
    assert table_names(app) == TABLES


def test_models_match_migrations(tmp_path):
    url = f"sqlite:///{tmp_path / 'check.db'}"
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade()
        from alembic.autogenerate import compare_metadata
        from alembic.runtime.migration import MigrationContext

        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        db.engine.dispose()

    assert differences == []


def test_flask_db_upgrade_command(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"

    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        env={**PROJECT_ENV, "FLASK_SQLALCHEMY_DATABASE_URI": url},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    engine = sa.create_engine(url)
    assert set(sa.inspect(engine).get_table_names()) == TABLES
    engine.dispose()
