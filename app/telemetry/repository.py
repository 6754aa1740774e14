"""Queries on runs and telemetry records, shared by the runner, the API and the CLI."""

from collections.abc import Iterator, Sequence
from datetime import datetime, timezone

from sqlalchemy import String, delete, func, insert, select, type_coerce
from sqlalchemy.orm import Session

from app.telemetry import json_codec
from app.telemetry.models import CommandEntry, Run, TelemetryRecord
from app.telemetry.types import utc_now

# Rows per SELECT when iterating a step range: large enough to amortise the
# round trip, small enough that memory stays flat whatever the run length.
DEFAULT_CHUNK_SIZE = 5000


# Columns of a telemetry insert, in table order; the database assigns the id.
INSERT_COLUMNS = (
    "run_id", "step", "sim_time", "recorded_at", "setpoint", "process_value", "control_output", "signals", "state",
)
SQLITE_INSERT = f"INSERT INTO telemetry ({', '.join(INSERT_COLUMNS)}) VALUES ({', '.join('?' * len(INSERT_COLUMNS))})"


def sqlite_parameters(row: dict) -> tuple:
    """Encode a telemetry row as SQLAlchemy's bind processors would for SQLite.

    The timestamp becomes naive UTC text with microseconds, the format of
    SQLAlchemy's SQLite DATETIME, and the JSON columns compact JSON text.
    """
    recorded_at = row["recorded_at"].astimezone(timezone.utc).replace(tzinfo=None)

    return (
        row["run_id"],
        row["step"],
        row["sim_time"],
        recorded_at.isoformat(" ", "microseconds"),
        row["setpoint"],
        row["process_value"],
        row["control_output"],
        json_codec.dumps(row["signals"]),
        json_codec.dumps(row["state"]),
    )


class TelemetryRepository:
    """Read and write runs and telemetry records through one session."""

    def __init__(self, session: Session):
        self.session = session

    def create_run(self, config: dict) -> Run:
        """Insert a new active run for a SimulationConfig dict and flush it to get its id."""
        run = Run(
            plant=config["plant"],
            controller=config["controller"],
            dt=config["dt"],
            seed=config["seed"],
            config=config,
            status="active",
            created_at=utc_now(),
        )
        self.session.add(run)
        self.session.flush()

        return run

    def end_run(self, run_id: int) -> None:
        """Mark a run as ended, so rehydration no longer continues it."""
        run = self.session.get(Run, run_id)
        if run is not None:
            run.status = "ended"

    def get_run(self, run_id: int) -> Run | None:
        return self.session.get(Run, run_id)

    def latest_run(self) -> Run | None:
        """Return the run created last, the one the runner continues."""
        return self.session.scalars(select(Run).order_by(Run.id.desc()).limit(1)).first()

    def list_runs(self) -> list[Run]:
        return list(self.session.scalars(select(Run).order_by(Run.id)))

    def run_summary(self, run_id: int) -> dict:
        """Return the row count and the first and last step of a run."""
        row = self.session.execute(
            select(
                func.count(TelemetryRecord.id),
                func.min(TelemetryRecord.step),
                func.max(TelemetryRecord.step),
            ).where(TelemetryRecord.run_id == run_id)
        ).one()

        return {"row_count": row[0], "first_step": row[1], "last_step": row[2]}

    def append_batch(self, rows: Sequence[dict]) -> None:
        """Insert telemetry rows with one executemany; the caller commits.

        Each row maps every column but the id to its Python value. The
        runner calls this for every batch, so it skips the ORM: on SQLite it
        hands the driver ready parameters, elsewhere it runs a Core insert.
        Bind processing and the ORM's bulk bookkeeping each cost about as
        much as the insert itself.
        """
        if not rows:
            return

        connection = self.session.connection()
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql(SQLITE_INSERT, [sqlite_parameters(row) for row in rows])
        else:
            connection.execute(insert(TelemetryRecord.__table__), rows)

    def append_encoded(self, rows: Sequence[tuple]) -> None:
        """Insert SQLite rows already encoded as sqlite_parameters() does, with one executemany."""
        if rows:
            self.session.connection().exec_driver_sql(SQLITE_INSERT, list(rows))

    def latest_record(self, run_id: int) -> TelemetryRecord | None:
        """Return the record with the highest step of a run."""
        query = (
            select(TelemetryRecord)
            .where(TelemetryRecord.run_id == run_id)
            .order_by(TelemetryRecord.step.desc())
            .limit(1)
        )

        return self.session.scalars(query).first()

    def record_at(self, run_id: int, step: int) -> TelemetryRecord | None:
        query = select(TelemetryRecord).where(
            TelemetryRecord.run_id == run_id, TelemetryRecord.step == step
        )

        return self.session.scalars(query).first()

    def recent_records(self, run_id: int, limit: int, after_step: int | None = None) -> list[TelemetryRecord]:
        """Return up to `limit` records, oldest first.

        Without `after_step` these are the last `limit` records of the run;
        with it, the first `limit` records after that step, for polling.
        """
        query = select(TelemetryRecord).where(TelemetryRecord.run_id == run_id)
        if after_step is not None:
            query = query.where(TelemetryRecord.step > after_step).order_by(TelemetryRecord.step).limit(limit)
            return list(self.session.scalars(query))

        query = query.order_by(TelemetryRecord.step.desc()).limit(limit)
        return list(reversed(self.session.scalars(query).all()))

    def iter_records(
        self,
        run_id: int,
        from_step: int | None = None,
        to_step: int | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> Iterator[Sequence]:
        """Yield chunks of telemetry rows (Core rows, not ORM objects) in step order.

        Each chunk is a keyset-paginated SELECT, so memory stays constant and
        no cursor stays open between chunks.
        """
        table = TelemetryRecord.__table__
        next_step = from_step if from_step is not None else 0

        while True:
            query = select(table).where(table.c.run_id == run_id, table.c.step >= next_step)
            if to_step is not None:
                query = query.where(table.c.step <= to_step)

            chunk = self.session.execute(query.order_by(table.c.step).limit(chunk_size)).all()
            if not chunk:
                return

            yield chunk
            if len(chunk) < chunk_size:
                return

            next_step = chunk[-1].step + 1

    def prune(self, keep_runs: int | None = None, before: datetime | None = None) -> list[int]:
        """Delete runs (and their records and commands) and return their ids.

        `keep_runs` keeps the newest N runs; `before` deletes runs created
        before that UTC time. The latest run is never deleted, because the
        runner may still be appending to it.
        """
        latest = self.latest_run()
        query = select(Run.id).order_by(Run.id)
        if before is not None:
            query = query.where(Run.created_at < before)

        ids = list(self.session.scalars(query))
        if keep_runs is not None:
            newest = set(self.session.scalars(select(Run.id).order_by(Run.id.desc()).limit(keep_runs)))
            ids = [run_id for run_id in ids if run_id not in newest]

        ids = [run_id for run_id in ids if latest is None or run_id != latest.id]
        self._delete_runs(ids)

        return ids

    def _delete_runs(self, ids: list[int]) -> None:
        if not ids:
            return

        # Explicit deletes instead of ON DELETE CASCADE alone, because SQLite
        # enforces foreign keys only when the pragma is on for the connection.
        self.session.execute(delete(TelemetryRecord).where(TelemetryRecord.run_id.in_(ids)))
        self.session.execute(delete(CommandEntry).where(CommandEntry.run_id.in_(ids)))
        self.session.execute(delete(Run).where(Run.id.in_(ids)))

    def export_rows(
        self, run_id: int, from_step: int, to_step: int, signal_names: Sequence[str], limit: int
    ) -> Sequence:
        """Return up to `limit` records from `from_step` to `to_step` in step order, as flat rows.

        Each row is step, sim_time, recorded_at (ISO 8601 text), setpoint, process_value,
        control_output and then one float per name in `signal_names`, None
        where a record lacks it. The database extracts the signals from the
        JSON column and the state column is never read, because decoding
        both JSON columns in Python took most of the time of an export.

        NOTE: SQLite before 3.42 raises "malformed JSON" on a NaN or Infinity
        token in the signals column, so exporting such a record fails there
        instead of writing null. PostgreSQL's json type never stores one.
        """
        table = TelemetryRecord.__table__
        signals = [table.c.signals[name].as_float() for name in signal_names]
        query = (
            select(
                table.c.step,
                table.c.sim_time,
                iso_utc_text(table.c.recorded_at, self.session.get_bind().dialect.name),
                table.c.setpoint,
                table.c.process_value,
                table.c.control_output,
                *signals,
            )
            .where(table.c.run_id == run_id, table.c.step >= from_step, table.c.step <= to_step)
            .order_by(table.c.step)
            .limit(limit)
        )

        connection = self.session.connection()
        if connection.dialect.name != "sqlite":
            return self.session.execute(query).all()

        # The rows need no type processing, so on SQLite the driver's cursor
        # returns plain tuples, a third faster than SQLAlchemy's result rows.
        signal_paths = ['$."{}"'.format(name.replace('"', '""')) for name in signal_names]
        parameters = [*signal_paths, run_id, from_step, to_step, limit]
        cursor = connection.connection.driver_connection.cursor()
        try:
            return cursor.execute(sqlite_export_query(len(signal_names)), parameters).fetchall()
        finally:
            cursor.close()


def sqlite_export_query(signal_count: int) -> str:
    """Return the SQLite SELECT of export_rows, with one JSON path parameter per signal."""
    signals = "".join(", json_extract(signals, ?)" for _ in range(signal_count))

    return (
        "SELECT step, sim_time, replace(replace(recorded_at, ' ', 'T'), '.000000', '') || '+00:00', "
        f"setpoint, process_value, control_output{signals} FROM telemetry "
        "WHERE run_id = ? AND step >= ? AND step <= ? ORDER BY step LIMIT ?"
    )


def iso_utc_text(column, dialect: str):
    """Format a UTCDateTime column as ISO 8601 text in SQL, as datetime.isoformat() would.

    Building a datetime per row in Python took a third of an export's time.
    SQLite stores 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC; PostgreSQL formats
    its timestamptz in UTC with to_char. Like isoformat(), both leave out a
    fraction of zero microseconds.
    """
    if dialect == "sqlite":
        text = func.replace(func.replace(type_coerce(column, String), " ", "T"), ".000000", "")
        return text.concat("+00:00")

    if dialect == "postgresql":
        text = func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS.US')
        return func.replace(text, ".000000", "").concat("+00:00")

    return column
