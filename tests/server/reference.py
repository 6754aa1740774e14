"""Rebuild a stored run independently: replay its configuration and journal in one process."""

import json

import sqlalchemy as sa

from app.runner.commands import RUNNER_KINDS
from app.simulation import Simulation, SimulationConfig, parse_command


def as_json(value):
    """Return a JSON column's value as Python data: SQLite returns text, PostgreSQL parsed JSON."""
    return json.loads(value) if isinstance(value, str) else value


def stored_run(url: str, run_id: int = 1) -> tuple[dict, list[tuple], list[tuple]]:
    """Return the run's config, its records (step, state, setpoint, pv, co) and its applied commands."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        config = connection.execute(sa.text("SELECT config FROM runs WHERE id = :id"), {"id": run_id}).scalar()
        records = connection.execute(
            sa.text(
                "SELECT step, state, setpoint, process_value, control_output FROM telemetry "
                "WHERE run_id = :id ORDER BY step"
            ),
            {"id": run_id},
        ).all()
        commands = connection.execute(
            sa.text(
                "SELECT id, kind, payload, applied_step FROM commands "
                "WHERE status = 'applied' AND applied_run_id = :id ORDER BY id"
            ),
            {"id": run_id},
        ).all()
    engine.dispose()

    records = [(r[0], as_json(r[1]), r[2], r[3], r[4]) for r in records]
    commands = [(c[0], c[1], as_json(c[2]), c[3]) for c in commands]
    return as_json(config), records, commands


def reference_records(config: dict, commands: list[tuple], count: int) -> list[tuple]:
    """Step an uninterrupted simulation `count` times, applying each journaled command before its step."""
    simulation = Simulation.from_config(SimulationConfig.from_dict(config))
    by_step: dict[int, list] = {}
    for _, kind, payload, applied_step in commands:
        if kind not in RUNNER_KINDS:
            by_step.setdefault(applied_step, []).append(parse_command(kind, payload))

    records = []
    for step in range(count):
        for command in by_step.get(step, []):
            simulation.apply(command)
        snapshot = simulation.step()
        state = json.loads(json.dumps(dict(snapshot.state)))
        records.append((snapshot.step, state, snapshot.setpoint, snapshot.process_value, snapshot.control_output))

    return records


def assert_exact_run(url: str, run_id: int = 1) -> list[tuple]:
    """Check steps 0..N without gap or duplicate, each equal to the reference; return the commands."""
    config, records, commands = stored_run(url, run_id)
    steps = [record[0] for record in records]
    assert steps == list(range(len(steps)))

    expected = reference_records(config, commands, len(records))
    assert [r[1] for r in records] == [r[1] for r in expected]
    assert [r[2:] for r in records] == [r[2:] for r in expected]
    return commands
