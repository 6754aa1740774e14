"""The heartbeat row: how the runner's owner tells other processes its status."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.telemetry.models import RunnerHeartbeat

HEARTBEAT_ID = 1


def write_heartbeat(session: Session, owner: str, status: dict, now: datetime) -> None:
    """Insert or replace the heartbeat row; the caller commits."""
    row = session.get(RunnerHeartbeat, HEARTBEAT_ID)
    if row is None:
        row = RunnerHeartbeat(id=HEARTBEAT_ID)
        session.add(row)

    row.owner = owner
    row.state = status["state"]
    row.run_id = status.get("run_id")
    row.step = status.get("step")
    row.sim_time = status.get("sim_time")
    row.queue_length = status.get("queue_length", 0)
    row.updated_at = now
    row.status = status


def read_heartbeat(session: Session) -> RunnerHeartbeat | None:
    return session.scalars(select(RunnerHeartbeat).where(RunnerHeartbeat.id == HEARTBEAT_ID)).first()
