"""Compare the database schema with the newest migration."""

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError


def schema_problem(app: Flask) -> str | None:
    """Return why the database schema is not current, or None when it is."""
    from app.extensions import db

    directory = app.extensions["migrate"].directory
    heads = set(ScriptDirectory(directory).get_heads())
    try:
        with app.app_context(), db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as exc:
        return f"database unreachable: {exc.__class__.__name__}: {exc}"

    if current == heads:
        return None

    current_revision = ", ".join(sorted(current)) or "empty"
    return (
        f"database schema is at revision {current_revision} but the code needs {', '.join(sorted(heads))}: "
        "run `flask --app wsgi db upgrade` (or `make migrate`) in the project folder"
    )
