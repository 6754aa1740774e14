"""ORM models: runs, telemetry records, the command journal and the heartbeat."""

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.telemetry.types import UTCDateTime, utc_now

# Largest id a BIGINT (and SQLite's INTEGER) holds; a larger one in a URL is
# not found rather than an overflow in the driver.
MAX_BIGINT = 2**63 - 1

# SQLite only makes INTEGER PRIMARY KEY an alias of the rowid, so BIGINT keys
# become INTEGER there and keep autoincrement; PostgreSQL gets a real bigint.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Run(db.Model):
    """One simulation from step 0 with one configuration."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    created_at = mapped_column(UTCDateTime, nullable=False, default=utc_now)
    plant: Mapped[str] = mapped_column(String(32), nullable=False)
    controller: Mapped[str] = mapped_column(String(32), nullable=False)
    dt: Mapped[float] = mapped_column(Float, nullable=False)
    seed: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # The SimulationConfig as a dict, enough to start the run again from step 0.
    config: Mapped[dict] = mapped_column(JSON, nullable=False)
    # "active" while the runner may still append steps, "ended" after a reset.
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="active")


class TelemetryRecord(db.Model):
    """The snapshot of one step of a run."""

    __tablename__ = "telemetry"
    __table_args__ = (UniqueConstraint("run_id", "step"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), nullable=False)
    step: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sim_time: Mapped[float] = mapped_column(Float, nullable=False)
    recorded_at = mapped_column(UTCDateTime, nullable=False)
    setpoint: Mapped[float] = mapped_column(Float, nullable=False)
    process_value: Mapped[float] = mapped_column(Float, nullable=False)
    control_output: Mapped[float] = mapped_column(Float, nullable=False)
    # Every plant signal by name, in the plant's signal order.
    signals: Mapped[dict] = mapped_column(JSON, nullable=False)
    # The snapshot's full state after the step: what restores the run bit for bit.
    state: Mapped[dict] = mapped_column(JSON, nullable=False)


class CommandEntry(db.Model):
    """One accepted command in the journal, pending until the runner applies it."""

    __tablename__ = "commands"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), nullable=True)
    received_at = mapped_column(UTCDateTime, nullable=False, default=utc_now)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    payload: Mapped[dict] = mapped_column(JSON, nullable=False)
    # "pending", then "applied" or "rejected" in the transaction that writes
    # the record of applied_step.
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending", index=True)
    applied_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    applied_run_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    # What the command produced, e.g. the last snapshot of a step command.
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class RunnerHeartbeat(db.Model):
    """The runner owner's latest status, one row per database."""

    __tablename__ = "runner_heartbeat"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(128), nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False)
    run_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    sim_time: Mapped[float | None] = mapped_column(Float, nullable=True)
    queue_length: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    updated_at = mapped_column(UTCDateTime, nullable=False)
    # The full /status document of the owner, served by the other processes.
    status: Mapped[dict] = mapped_column(JSON, nullable=False)
