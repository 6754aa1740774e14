"""Telemetry rows as the runner builds them, encoded for a raw sqlite3 executemany."""

from collections.abc import Iterator
from datetime import datetime, timezone

from app.extensions import db
from app.runner.persistence import snapshot_row
from app.runner.settings import default_simulation_config
from app.simulation import Simulation, SimulationConfig
from app.telemetry.models import TelemetryRecord

# The columns the runner's INSERT writes, in table order. SQLite assigns the id.
COLUMNS = ("run_id", "step", "sim_time", "recorded_at", "setpoint", "process_value", "control_output", "signals", "state")
INSERT_SQL = f"INSERT INTO telemetry ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})"


class RowEncoder:
    """Encode runner rows with the bind processors of the telemetry columns.

    SQLAlchemy applies these processors to its own inserts, with the app's
    JSON serializer. The runner's SQLite insert writes the same text, which
    bench/tests/test_rows.py checks.
    """

    def __init__(self, dialect):
        table = TelemetryRecord.__table__
        self.processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in COLUMNS]

    @classmethod
    def for_app(cls, app) -> "RowEncoder":
        with app.app_context():
            return cls(db.engine.dialect)

    def encode(self, row: dict) -> tuple:
        """Return the DB-API parameters of one row built by snapshot_row."""
        return tuple(
            row[name] if process is None else process(row[name])
            for name, process in zip(COLUMNS, self.processors)
        )


def simulation_config(app) -> SimulationConfig:
    """Return the configuration of a new run of `app`, as POST /control/start without a body uses it."""
    return SimulationConfig.from_dict(default_simulation_config(app.config))


def simulated_batches(
    config: SimulationConfig, run_id: int, count: int, batch_size: int, encoder: RowEncoder
) -> Iterator[list[tuple]]:
    """Step a new Simulation `count` times and yield its encoded rows in batches of `batch_size`."""
    simulation = Simulation.from_config(config)
    batch = []
    for _ in range(count):
        snapshot = simulation.step()
        batch.append(encoder.encode(snapshot_row(run_id, snapshot, datetime.now(timezone.utc))))
        if len(batch) == batch_size:
            yield batch
            batch = []

    if batch:
        yield batch
