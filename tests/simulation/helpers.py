"""Helpers shared by the simulation tests."""

from app.simulation import Simulation, SimulationConfig, Snapshot


def run(simulation: Simulation, steps: int, commands: dict | None = None) -> list[Snapshot]:
    """Step ``steps`` times, applying ``commands[k]`` (a list) before step k, and return the snapshots."""
    commands = commands or {}
    snapshots = []
    for _ in range(steps):
        for command in commands.get(simulation.next_step, []):
            simulation.apply(command)
        snapshots.append(simulation.step())
    return snapshots


def simulate(steps: int, commands: dict | None = None, **config) -> list[Snapshot]:
    """Run a fresh simulation of ``SimulationConfig(**config)`` for ``steps`` steps."""
    return run(Simulation.from_config(SimulationConfig(**config)), steps, commands)
