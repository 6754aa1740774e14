"""The baseline of the runner's write path: raw sqlite3 executemany of the same rows."""

import time
from dataclasses import dataclass

from bench.database import build_app, dispose, driver_connection
from bench.rows import INSERT_SQL, RowEncoder, simulated_batches, simulation_config
from bench.seed import create_run


@dataclass(frozen=True)
class InsertRate:
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds


def measure_raw_insert(path: str, row_count: int) -> InsertRate:
    """Insert `row_count` runner rows into the migrated file at `path` and time only the inserts.

    The rows are built and encoded before the clock starts. Each batch has
    TELEMETRY_FLUSH_MAX_ROWS rows and its own commit, like one flush of the
    runner, on a connection with the app's pragmas.
    """
    app = build_app(path)
    try:
        run_id = create_run(app)
        batch_size = int(app.config["TELEMETRY_FLUSH_MAX_ROWS"])
        encoder = RowEncoder.for_app(app)
        batches = list(simulated_batches(simulation_config(app), run_id, row_count, batch_size, encoder))

        with driver_connection(app) as connection:
            started = time.perf_counter()
            for batch in batches:
                connection.executemany(INSERT_SQL, batch)
                connection.commit()
            seconds = time.perf_counter() - started
    finally:
        dispose(app)

    return InsertRate(rows=row_count, seconds=seconds)
