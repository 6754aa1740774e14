"""Rows of the raw baselines and the seeded run against what the runner stores."""

import sqlite3

from app.extensions import runner
from bench.database import driver_connection
from bench.rows import INSERT_SQL, RowEncoder, simulated_batches, simulation_config
from bench.seed import create_run, seed_run
from tests.conftest import wait_until

# Every column but id, run_id and recorded_at, which differ between runs.
COMPARED = "step, sim_time, setpoint, process_value, control_output, signals, state"


def stored(path: str, run_id: int, columns: str) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT {columns} FROM telemetry WHERE run_id = ? ORDER BY step", (run_id,)).fetchall()


def run_runner(app, min_steps: int) -> int:
    """Let the app's runner record a run of at least `min_steps` steps, stop it and return the step count."""
    handle = runner.handle(app)
    assert app.test_client().post("/control/start").status_code == 202
    wait_until(lambda: (handle.status().get("step") or 0) >= min_steps)
    handle.stop()
    return handle.loop.published[1].step + 1


def test_raw_rows_match_runner_rows(make_app, database_path):
    app = make_app()
    steps = run_runner(app, 1200)
    run_id = create_run(app)
    encoder = RowEncoder.for_app(app)
    with driver_connection(app) as connection:
        for batch in simulated_batches(simulation_config(app), run_id, steps, 500, encoder):
            connection.executemany(INSERT_SQL, batch)
            connection.commit()

    runner_rows = stored(database_path, 1, COMPARED)
    raw_rows = stored(database_path, run_id, COMPARED)
    assert len(raw_rows) == len(runner_rows) == steps
    assert raw_rows == runner_rows


def test_raw_timestamps_match_runner_format(make_app, database_path):
    app = make_app()
    run_runner(app, 10)
    seed_run(app, 10)

    shapes = "typeof(recorded_at), length(recorded_at), substr(recorded_at, 11, 1)"
    assert set(stored(database_path, 2, shapes)) == set(stored(database_path, 1, shapes))


def test_seed_run_stores_every_step(make_app, database_path):
    app = make_app()
    seeded = seed_run(app, 2500, batch_size=1000)

    steps = [row[0] for row in stored(database_path, seeded.run_id, "step")]
    assert steps == list(range(2500))
    assert seeded.last_step == 2499


def test_seeded_run_is_active(make_app, database_path):
    app = make_app()
    seeded = seed_run(app, 10)

    with sqlite3.connect(database_path) as connection:
        status = connection.execute("SELECT status FROM runs WHERE id = ?", (seeded.run_id,)).fetchone()[0]
    assert status == "active"


def test_seeded_run_rehydrates_at_last_step(make_app):
    seeded = seed_run(make_app(), 300)

    app = make_app(REHYDRATE_ON_START=True)
    handle = runner.handle(app)
    handle.ensure_started()
    document = handle.status()

    assert document["run_id"] == seeded.run_id
    assert document["step"] == seeded.last_step
    assert document["state"] == "paused"
