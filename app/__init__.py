"""Loopsim: a control loop stepped in the background, with every step persisted."""

import os

from flask import Flask

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config: dict | None = None) -> Flask:
    """Build the app: config layers, logging, extensions, blueprints, errors and commands."""
    app = Flask(__name__, instance_path=os.path.join(PROJECT_ROOT, "instance"), instance_relative_config=True)
    from app.telemetry.json_codec import OrjsonProvider

    app.json = OrjsonProvider(app)
    load_config(app, config)

    from app.logging_config import configure_logging

    configure_logging(app.config)
    register_extensions(app)
    register_blueprints(app)
    register_errors(app)
    register_commands(app)

    return app


def load_config(app: Flask, overrides: dict | None) -> None:
    """Layer the config: class defaults, instance/config.py, FLASK_* variables, then `overrides`."""
    from app.config import Config

    app.config.from_object(Config)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env()
    if overrides:
        app.config.update(overrides)

    # JSON columns use orjson unless the config names other functions.
    from app.telemetry import json_codec

    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    options.setdefault("json_serializer", json_codec.dumps)
    options.setdefault("json_deserializer", json_codec.loads)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options

    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "telemetry.db")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"


def register_extensions(app: Flask) -> None:
    from app.extensions import api, db, migrate, runner
    from app.telemetry.sqlite import register_sqlite_pragmas

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(PROJECT_ROOT, "migrations"))
    api.init_app(app)
    runner.init_app(app)
    with app.app_context():
        register_sqlite_pragmas(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def register_blueprints(app: Flask) -> None:
    from app.control.routes import blp as control
    from app.dashboard.routes import blp as dashboard
    from app.extensions import api
    from app.metrics.routes import blp as metrics
    from app.status.routes import blp as status
    from app.telemetry.routes import blp as telemetry

    api.register_blueprint(control)
    api.register_blueprint(status)
    api.register_blueprint(telemetry)
    # Plain Flask blueprints: the page and the Prometheus text are not JSON APIs.
    app.register_blueprint(metrics)
    app.register_blueprint(dashboard)


def register_errors(app: Flask) -> None:
    from app.control.guards import register_guards
    from app.errors import register_error_handlers

    register_error_handlers(app)
    register_guards(app)


def register_commands(app: Flask) -> None:
    """Register the `flask` CLI groups beyond Flask-Migrate's `db`."""
    from app.telemetry.cli import telemetry_cli

    app.cli.add_command(telemetry_cli)
