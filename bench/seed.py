"""Runs with many stored records, inserted with raw executemany in large batches."""

import time
from dataclasses import dataclass

from app.extensions import db
from app.telemetry.repository import TelemetryRepository
from bench.database import driver_connection
from bench.rows import INSERT_SQL, RowEncoder, simulated_batches, simulation_config

# Rows per executemany and per commit when seeding: a bigger batch than
# the runner's flushes, because only the stored result matters here.
SEED_BATCH_SIZE = 20_000


@dataclass(frozen=True)
class SeededRun:
    """A run stored by seed_run: its id, its last step and the seconds the insert took."""

    run_id: int
    last_step: int
    seconds: float


def create_run(app) -> int:
    """Insert a new active run with the app's default simulation config and return its id."""
    with app.app_context():
        run = TelemetryRepository(db.session).create_run(simulation_config(app).to_dict())
        db.session.commit()
        return run.id


def seed_run(app, count: int, batch_size: int = SEED_BATCH_SIZE) -> SeededRun:
    """Store a new active run of `count` simulated steps, which a restart rehydrates."""
    run_id = create_run(app)
    encoder = RowEncoder.for_app(app)
    started = time.perf_counter()
    with driver_connection(app) as connection:
        for batch in simulated_batches(simulation_config(app), run_id, count, batch_size, encoder):
            connection.executemany(INSERT_SQL, batch)
            connection.commit()

    return SeededRun(run_id=run_id, last_step=count - 1, seconds=time.perf_counter() - started)
