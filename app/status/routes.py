"""Status of the runner, liveness and readiness."""

import time
from datetime import datetime, timezone

from flask import current_app
from flask_smorest import Blueprint
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.errors import fail
from app.extensions import db, runner
from app.telemetry.schema import schema_problem

blp = Blueprint("status", __name__, description="Runner status and health")

# Seconds a process that does not own the runner reuses the heartbeat it
# read for GET /status: a fifth of the default heartbeat interval.
STATUS_CACHE_SECONDS = 0.1


@blp.route("/status", methods=["GET"])
@blp.response(200)
def status():
    """Return the runner's state, run, position, queue, rates and last error."""
    document = runner.handle(current_app).status(max_age=STATUS_CACHE_SECONDS)
    # Counters and histograms are served by /metrics in Prometheus form.
    document.pop("stats", None)
    started = document.get("started_at")
    if started:
        uptime = datetime.now(timezone.utc) - datetime.fromisoformat(started)
        document["uptime_seconds"] = round(uptime.total_seconds(), 3)

    return document


@blp.route("/health", methods=["GET"])
@blp.response(200)
def health():
    """Return 200 while the process serves requests."""
    return {"status": "ok", "time": time.time()}


@blp.route("/ready", methods=["GET"])
@blp.response(200)
def ready():
    """Return 200 when the database is reachable and its schema is current, else 503."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        fail(503, f"database unreachable: {exc.__class__.__name__}")

    problem = schema_problem(current_app)
    if problem is not None:
        fail(503, problem)

    return {"status": "ready"}
