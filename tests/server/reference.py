"""Rebuild a stored run independently: replay its configuration and journal in one process."""

import json
import sqlite3

from app.simulation import Simulation, SimulationConfig, parse_command
from app.runner.commands import RUNNER_KINDS


def stored_run(path: str, run_id: int = 1) -> tuple[dict, list[tuple], list[tuple]]:
    """Return the run's config, its records (step, state, setpoint, pv, co) and its applied commands."""
    database = sqlite3.connect(path)
    config = json.loads(database.execute("SELECT config FROM runs WHERE id = ?", (run_id,)).fetchone()[0])
    records = database.execute(
        "SELECT step, state, setpoint, process_value, control_output FROM telemetry WHERE run_id = ? ORDER BY step",
        (run_id,),
    ).fetchall()
    commands = database.execute(
        "SELECT id, kind, payload, applied_step FROM commands "
        "WHERE status = 'applied' AND applied_run_id = ? ORDER BY id",
        (run_id,),
    ).fetchall()
    database.close()

    return config, records, commands


def reference_records(config: dict, commands: list[tuple], count: int) -> list[tuple]:
    """Step an uninterrupted simulation `count` times, applying each journaled command before its step."""
    simulation = Simulation.from_config(SimulationConfig.from_dict(config))
    by_step: dict[int, list] = {}
    for _, kind, payload, applied_step in commands:
        if kind not in RUNNER_KINDS:
            by_step.setdefault(applied_step, []).append(parse_command(kind, json.loads(payload)))

    records = []
    for step in range(count):
        for command in by_step.get(step, []):
            simulation.apply(command)
        snapshot = simulation.step()
        records.append(
            (snapshot.step, json.dumps(dict(snapshot.state)), snapshot.setpoint, snapshot.process_value, snapshot.control_output)
        )

    return records
