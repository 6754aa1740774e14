"""Runner settings read once from the Flask config, each checked with a clear error."""

import math
from dataclasses import dataclass

from app.config import ConfigError

# The runner reads the journal at least this often, in seconds, so a command
# sent to any process reaches it within that time.
COMMAND_POLL_INTERVAL = 0.1


def read_number(config, key: str, minimum: float = 0.0, integer: bool = False, positive: bool = False):
    """Return config[key] as a finite number at least `minimum` (above it when `positive`).

    :raises ConfigError: naming the key, the value and the allowed range.
    """
    value = config[key]
    kind = "an integer" if integer else "a number"
    bound = f"above {minimum}" if positive else f"at least {minimum}"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
        raise ConfigError(f"invalid {key} {value!r}: set it to {kind} {bound} (for example FLASK_{key}=...)")

    if not math.isfinite(value) or value < minimum or (positive and value == minimum):
        raise ConfigError(f"invalid {key} {value!r}: set it to {kind} {bound}")

    return value


def read_flag(config, key: str) -> bool:
    value = config[key]
    if not isinstance(value, bool):
        raise ConfigError(f"invalid {key} {value!r}: set it to true or false")

    return value


@dataclass(frozen=True)
class RunnerSettings:
    autostart: bool
    rehydrate: bool
    persistence: bool
    speed: float
    flush_interval: float
    flush_max_rows: int
    history_size: int
    queue_size: int
    heartbeat_interval: float
    heartbeat_stale_after: float
    log_interval: float
    step_timeout: float

    @classmethod
    def from_config(cls, config) -> "RunnerSettings":
        """Read and check the runner's settings.

        :raises ConfigError: for the first invalid value, naming its key.
        """
        return cls(
            autostart=read_flag(config, "RUNNER_AUTOSTART"),
            rehydrate=read_flag(config, "REHYDRATE_ON_START"),
            persistence=read_flag(config, "PERSISTENCE_ENABLED"),
            speed=float(read_number(config, "SIM_SPEED")),
            flush_interval=float(read_number(config, "TELEMETRY_FLUSH_INTERVAL")),
            flush_max_rows=read_number(config, "TELEMETRY_FLUSH_MAX_ROWS", minimum=1, integer=True),
            history_size=read_number(config, "HISTORY_SIZE", minimum=1, integer=True),
            queue_size=read_number(config, "COMMAND_QUEUE_SIZE", minimum=1, integer=True),
            heartbeat_interval=float(read_number(config, "HEARTBEAT_INTERVAL", positive=True)),
            heartbeat_stale_after=float(read_number(config, "HEARTBEAT_STALE_AFTER", positive=True)),
            log_interval=float(read_number(config, "LOG_INTERVAL", positive=True)),
            step_timeout=float(read_number(config, "STEP_COMMAND_TIMEOUT", positive=True)),
        )


# The SimulationConfig field each SIM_* setting fills.
SIMULATION_KEYS = {"plant": "SIM_PLANT", "controller": "SIM_CONTROLLER", "dt": "SIM_DT", "seed": "SIM_SEED"}


def check_simulation_settings(config) -> None:
    """Build the default SimulationConfig once so a bad SIM_* value fails at start-up.

    :raises ConfigError: naming the SIM_* key and the allowed values.
    """
    from app.simulation import SimulationConfig, ValidationError

    try:
        SimulationConfig.from_dict(default_simulation_config(config))
    except ValidationError as exc:
        key = SIMULATION_KEYS.get(exc.field.split(".")[0], exc.field)
        raise ConfigError(f"invalid {key}: {exc}") from None


def default_simulation_config(config) -> dict:
    """Build the SimulationConfig dict of a new run from the Flask config."""
    return {
        "plant": config["SIM_PLANT"],
        "controller": config["SIM_CONTROLLER"],
        "dt": config["SIM_DT"],
        "seed": config["SIM_SEED"],
    }
