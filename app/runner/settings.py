"""Runner settings read once from the Flask config."""

from dataclasses import dataclass

# The runner reads the journal at least this often, in seconds, so a command
# sent to any process reaches it within that time.
COMMAND_POLL_INTERVAL = 0.1


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
        return cls(
            autostart=bool(config["RUNNER_AUTOSTART"]),
            rehydrate=bool(config["REHYDRATE_ON_START"]),
            persistence=bool(config["PERSISTENCE_ENABLED"]),
            speed=float(config["SIM_SPEED"]),
            flush_interval=float(config["TELEMETRY_FLUSH_INTERVAL"]),
            flush_max_rows=int(config["TELEMETRY_FLUSH_MAX_ROWS"]),
            history_size=int(config["HISTORY_SIZE"]),
            queue_size=int(config["COMMAND_QUEUE_SIZE"]),
            heartbeat_interval=float(config["HEARTBEAT_INTERVAL"]),
            heartbeat_stale_after=float(config["HEARTBEAT_STALE_AFTER"]),
            log_interval=float(config["LOG_INTERVAL"]),
            step_timeout=float(config["STEP_COMMAND_TIMEOUT"]),
        )


def default_simulation_config(config) -> dict:
    """Build the SimulationConfig dict of a new run from the Flask config."""
    return {
        "plant": config["SIM_PLANT"],
        "controller": config["SIM_CONTROLLER"],
        "dt": float(config["SIM_DT"]),
        "seed": int(config["SIM_SEED"]),
    }
