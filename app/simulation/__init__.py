"""Simulation core of Loopsim: plants, controllers, disturbances, noise, commands and snapshots.

Pure Python standard library, so the web service, the runner and the tests
share one implementation.
"""

from app.simulation.commands import (
    COMMAND_KINDS,
    MAX_SPEED,
    MAX_STEP_COUNT,
    MODES,
    Command,
    Pause,
    Reset,
    Resume,
    RunnerCommand,
    SetController,
    SetDisturbance,
    SetManualOutput,
    SetMode,
    SetSetpoint,
    SetSpeed,
    SimulationCommand,
    Start,
    Step,
    parse_command,
)
from app.simulation.config import SimulationConfig
from app.simulation.controllers import CONTROLLERS
from app.simulation.disturbances import PROFILES
from app.simulation.errors import CommandRejected, NonFiniteResult, ValidationError
from app.simulation.plants import PLANTS, control_output_unit, plant_signals, process_value_unit
from app.simulation.signals import Signal
from app.simulation.simulation import Simulation
from app.simulation.snapshot import Snapshot
from app.simulation.weather import WeatherFileError, load_dry_bulb, read_tmy3_dry_bulb

__all__ = [
    "COMMAND_KINDS",
    "CONTROLLERS",
    "MAX_SPEED",
    "MAX_STEP_COUNT",
    "MODES",
    "PLANTS",
    "PROFILES",
    "Command",
    "CommandRejected",
    "NonFiniteResult",
    "Pause",
    "Reset",
    "Resume",
    "RunnerCommand",
    "SetController",
    "SetDisturbance",
    "SetManualOutput",
    "SetMode",
    "SetSetpoint",
    "SetSpeed",
    "Signal",
    "Simulation",
    "SimulationCommand",
    "SimulationConfig",
    "Snapshot",
    "Start",
    "Step",
    "ValidationError",
    "WeatherFileError",
    "control_output_unit",
    "load_dry_bulb",
    "parse_command",
    "plant_signals",
    "process_value_unit",
    "read_tmy3_dry_bulb",
]
