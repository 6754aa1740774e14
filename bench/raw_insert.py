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


def measure_raw_insert(path: str, skip_rows: int, row_count: int) -> InsertRate:
    """Insert `skip_rows` and then `row_count` runner rows into the file at `path`, timing only the latter inserts.

    The rows are those of a new run with the app's default config. Each
    batch has TELEMETRY_FLUSH_MAX_ROWS rows and a commit of its own, like
    one flush of the runner, on a connection with the app's pragmas. Each
    batch is built between two inserts, as the runner steps between two
    flushes, but only executemany and commit are timed. Insert speed falls
    as the file grows, so the caller passes the row counts its runner wrote
    before and during its interval.
    """
    app = build_app(path)
    try:
        run_id = create_run(app)
        batch_size = int(app.config["TELEMETRY_FLUSH_MAX_ROWS"])
        encoder = RowEncoder.for_app(app)
        batches = simulated_batches(simulation_config(app), run_id, skip_rows + row_count, batch_size, encoder)

        inserted = timed_rows = 0
        seconds = 0.0
        with driver_connection(app) as connection:
            for batch in batches:
                started = time.perf_counter()
                connection.executemany(INSERT_SQL, batch)
                connection.commit()
                if inserted >= skip_rows:
                    seconds += time.perf_counter() - started
                    timed_rows += len(batch)
                inserted += len(batch)
    finally:
        dispose(app)

    return InsertRate(rows=timed_rows, seconds=seconds)
