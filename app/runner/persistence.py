"""Buffered, retried writes of telemetry records and command outcomes."""

import logging
import time
from datetime import datetime, timezone

from app.extensions import db
from app.telemetry import json_codec
from app.telemetry.journal import CommandJournal, CommandOutcome
from app.telemetry.repository import TelemetryRepository

log = logging.getLogger(__name__)

# Retry delays after a failed write, in seconds: doubling from 0.1 up to 5.
FIRST_BACKOFF = 0.1
MAX_BACKOFF = 5.0
# Above this many unwritten records the runner stops stepping until the
# database accepts writes again, so a long outage cannot exhaust memory.
MAX_BUFFERED_ROWS = 200_000


def snapshot_row(run_id: int, snapshot, recorded_at: datetime) -> dict:
    """Build the telemetry row of one snapshot, for TelemetryRepository.append_batch."""
    return {
        "run_id": run_id,
        "step": snapshot.step,
        "sim_time": snapshot.sim_time,
        "recorded_at": recorded_at,
        "setpoint": snapshot.setpoint,
        "process_value": snapshot.process_value,
        "control_output": snapshot.control_output,
        "signals": dict(snapshot.signals),
        "state": dict(snapshot.state),
    }


class UtcClockText:
    """Format the current UTC time as SQLAlchemy stores it in SQLite: 'YYYY-MM-DD HH:MM:SS.ffffff'.

    The part up to the second is formatted once per second, because a
    datetime and its isoformat() for every step cost more than the insert.
    """

    def __init__(self):
        self._second = -1
        self._prefix = ""

    def now(self) -> str:
        now = time.time()
        second = int(now)
        if second != self._second:
            self._second = second
            self._prefix = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(second))

        return f"{self._prefix}.{int((now - second) * 1_000_000):06d}"


class Persister:
    """Hold records and outcomes in memory and write them in short transactions.

    The runner thread writes itself, between steps. A separate writer
    thread was slower: SQLite releases the GIL for every row it inserts,
    so the writer waited for the stepping thread to hand the GIL back. It
    also held the write lock so long that API requests that journal
    commands waited seconds for it.
    """

    def __init__(self, app, stats, enabled: bool, flush_interval: float, flush_max_rows: int, dialect: str):
        self.app = app
        self.stats = stats
        self.enabled = enabled
        self.flush_interval = flush_interval
        self.flush_max_rows = flush_max_rows
        # On SQLite the runner encodes each row for the driver at once,
        # elsewhere the repository's Core insert encodes the dicts.
        self.encoded = dialect == "sqlite"
        self.clock = UtcClockText()
        self.rows: list = []
        self.outcomes: list[CommandOutcome] = []
        self.last_persisted_step: int | None = None
        self.last_flush_at = time.monotonic()
        self.retry_at = 0.0
        self.backoff = FIRST_BACKOFF
        self.failures = 0
        self.last_error: str | None = None

    @property
    def backlogged(self) -> bool:
        return len(self.rows) >= MAX_BUFFERED_ROWS

    @property
    def pending(self) -> bool:
        return bool(self.rows or self.outcomes)

    def add_snapshot(self, run_id: int, snapshot) -> None:
        if not self.enabled:
            return

        if not self.encoded:
            self.rows.append(snapshot_row(run_id, snapshot, datetime.now(timezone.utc)))
            return

        self.rows.append(
            (
                run_id,
                snapshot.step,
                snapshot.sim_time,
                self.clock.now(),
                snapshot.setpoint,
                snapshot.process_value,
                snapshot.control_output,
                json_codec.dumps(dict(snapshot.signals)),
                json_codec.dumps(dict(snapshot.state)),
            )
        )

    def add_outcome(self, outcome: CommandOutcome) -> None:
        self.outcomes.append(outcome)

    def unwritten_command_ids(self) -> set[int]:
        """Return the ids of commands applied but not yet marked in the journal."""
        return {outcome.command_id for outcome in self.outcomes}

    def unwritten_count(self) -> int:
        return len(self.rows)

    def due(self, now: float) -> bool:
        if not self.pending or now < self.retry_at:
            return False

        return len(self.rows) >= self.flush_max_rows or now - self.last_flush_at >= self.flush_interval

    def flush(self, force: bool = False) -> bool:
        """Write everything buffered in one transaction; return whether it was written.

        On failure the buffer is kept and the next attempt waits for the
        backoff delay, unless `force` requests an attempt now.
        """
        now = time.monotonic()
        if not self.pending:
            self.last_flush_at = now
            return True

        if not force and now < self.retry_at:
            return False

        rows, outcomes = self.rows, self.outcomes
        started = time.perf_counter()
        try:
            self._write(rows, outcomes)
        except Exception as exc:
            self._record_failure(exc, len(rows), now)
            return False

        self._record_success(rows, time.perf_counter() - started, now)
        return True

    def close(self, timeout: float) -> bool:
        """Write what is left, retrying for up to `timeout` seconds; return whether all was written."""
        deadline = time.monotonic() + timeout
        while not self.flush(force=True):
            if time.monotonic() + self.backoff > deadline:
                return False
            time.sleep(self.backoff)

        return True

    def _write(self, rows: list, outcomes: list[CommandOutcome]) -> None:
        with self.app.app_context():
            session = db.session
            try:
                repository = TelemetryRepository(session)
                if self.encoded:
                    repository.append_encoded(rows)
                else:
                    repository.append_batch(rows)
                CommandJournal(session).record_outcomes(outcomes)
                session.commit()
            except Exception:
                session.rollback()
                raise

    def _record_success(self, rows: list, seconds: float, now: float) -> None:
        if rows:
            last = rows[-1]
            self.last_persisted_step = last[1] if self.encoded else last["step"]

        if self.failures:
            log.info("telemetry write succeeded after %d failed attempts", self.failures)

        self.stats.records_written_total += len(rows)
        self.stats.flush_seconds.observe(seconds)
        self.rows = []
        self.outcomes = []
        self.last_flush_at = now
        self.backoff = FIRST_BACKOFF
        self.failures = 0
        self.last_error = None

    def _record_failure(self, exc: Exception, row_count: int, now: float) -> None:
        self.failures += 1
        self.stats.write_errors_total += 1
        self.last_error = f"{self.failures} telemetry writes failed, the last with {type(exc).__name__}: {exc}"
        log.warning(
            "telemetry write of %d records failed (attempt %d), retrying in %.1f s: %s",
            row_count,
            self.failures,
            self.backoff,
            exc,
            exc_info=self.failures == 1,
        )
        self.retry_at = now + self.backoff
        self.backoff = min(self.backoff * 2, MAX_BACKOFF)

    def discard_run(self) -> None:
        """Forget the persisted step of the previous run after a reset."""
        self.last_persisted_step = None
