"""Helpers for tests that record a run through the API and read it back."""

import json

from app.extensions import db
from app.telemetry.repository import TelemetryRepository
from tests.conftest import wait_until

PROBLEM = "application/problem+json"


def status(client) -> dict:
    return client.get("/status").get_json()


def record_paused_run(client, min_steps: int = 3000) -> dict:
    """Start a run, let it take at least `min_steps` steps, pause it and wait until every step is stored.

    Return the status once paused and persisted.
    """
    assert client.post("/control/start").status_code == 202
    wait_until(lambda: (status(client).get("step") or 0) >= min_steps)
    assert client.post("/control/pause").status_code == 202

    def persisted():
        document = status(client)
        done = document["state"] == "paused" and document["last_persisted_step"] == document["step"]
        return document if done else None

    return wait_until(persisted)


def stored_rows(app, run_id: int) -> list:
    """Read every record of a run through the repository, in step order."""
    with app.app_context():
        rows = [row for chunk in TelemetryRepository(db.session).iter_records(run_id) for row in chunk]
        db.session.close()

    return rows


def reject_constant(name: str):
    raise ValueError(f"non-standard JSON constant {name}")


def strict_json(text: str):
    """Parse JSON that must not contain the NaN, Infinity or -Infinity tokens."""
    return json.loads(text, parse_constant=reject_constant)
