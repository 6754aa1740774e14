"""The command journal: the queue between the API and the runner, and its audit trail."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from app.telemetry.models import CommandEntry
from app.telemetry.types import utc_now


@dataclass(frozen=True)
class CommandOutcome:
    """The outcome of one journaled command: applied or rejected, at which step."""

    command_id: int
    status: str  # "applied" or "rejected"
    run_id: int | None
    step: int | None  # the step whose record first reflects the command
    detail: str | None = None
    result: dict | None = None


class CommandJournal:
    """Append commands, hand pending ones to the runner and record outcomes."""

    def __init__(self, session: Session):
        self.session = session

    def append(self, kind: str, payload: dict, run_id: int | None) -> CommandEntry:
        """Insert a pending command and flush it to get its id; the caller commits."""
        entry = CommandEntry(
            kind=kind, payload=payload, run_id=run_id, received_at=utc_now(), status="pending"
        )
        self.session.add(entry)
        self.session.flush()

        return entry

    def pending_count(self) -> int:
        query = select(func.count(CommandEntry.id)).where(CommandEntry.status == "pending")
        return self.session.scalar(query)

    def pending(self) -> list[CommandEntry]:
        """Return pending commands, oldest first."""
        query = select(CommandEntry).where(CommandEntry.status == "pending").order_by(CommandEntry.id)

        return list(self.session.scalars(query))

    def to_replay(self, run_id: int, last_step: int) -> list[CommandEntry]:
        """Return the commands to apply again after restoring `run_id` at `last_step`.

        Those are the pending ones and the ones marked applied to a step whose
        record was never written, in the order they were received.
        """
        lost = (
            (CommandEntry.status == "applied")
            & (CommandEntry.applied_run_id == run_id)
            & (CommandEntry.applied_step > last_step)
        )
        query = (
            select(CommandEntry)
            .where(or_(CommandEntry.status == "pending", lost))
            .order_by(CommandEntry.id)
        )

        return list(self.session.scalars(query))

    def latest_applied(self, kinds: Iterable[str], run_id: int | None = None) -> CommandEntry | None:
        """Return the command of one of `kinds` applied last, to `run_id` when given."""
        query = select(CommandEntry).where(CommandEntry.status == "applied", CommandEntry.kind.in_(list(kinds)))
        if run_id is not None:
            query = query.where(CommandEntry.applied_run_id == run_id)

        return self.session.scalars(query.order_by(CommandEntry.id.desc()).limit(1)).first()

    def get(self, command_id: int) -> CommandEntry | None:
        return self.session.get(CommandEntry, command_id)

    def for_run(self, run_id: int) -> list[CommandEntry]:
        query = (
            select(CommandEntry)
            .where(or_(CommandEntry.run_id == run_id, CommandEntry.applied_run_id == run_id))
            .order_by(CommandEntry.id)
        )

        return list(self.session.scalars(query))

    def record_outcomes(self, outcomes: Iterable[CommandOutcome]) -> None:
        """Write each command's outcome; the caller commits with the matching records."""
        table = CommandEntry.__table__
        for outcome in outcomes:
            self.session.execute(
                update(table)
                .where(table.c.id == outcome.command_id)
                .values(
                    status=outcome.status,
                    applied_run_id=outcome.run_id,
                    applied_step=outcome.step,
                    detail=outcome.detail,
                    result=outcome.result,
                )
            )
