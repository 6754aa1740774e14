"""Default configuration, overridden by instance/config.py and FLASK_* variables."""


class ConfigError(ValueError):
    """A config value of the wrong type or out of range."""


class Config:
    """Defaults for a service that a newcomer starts with `make run`."""

    # None means the SQLite file instance/telemetry.db, resolved in the factory
    # because the instance folder is only known once the app exists.
    SQLALCHEMY_DATABASE_URI = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Milliseconds a SQLite connection waits for another writer before
    # "database is locked": longer than the runner's longest flush.
    SQLITE_BUSY_TIMEOUT_MS = 10_000

    SIM_PLANT = "thermal_zone"
    SIM_CONTROLLER = "pid"
    SIM_DT = 1.0  # simulated seconds per step
    # Simulated seconds per wall-clock second: one simulated minute per
    # second, so a setpoint change on the default room shows within seconds.
    SIM_SPEED = 60.0
    SIM_SEED = 0

    RUNNER_AUTOSTART = True
    REHYDRATE_ON_START = True
    PERSISTENCE_ENABLED = True
    TELEMETRY_FLUSH_INTERVAL = 0.5  # seconds between flushes of buffered records
    # Records that force a flush before the interval: at SIM_SPEED=0 about
    # 15 ms of steps. A crash loses at most one unwritten batch, which
    # rehydration computes again.
    TELEMETRY_FLUSH_MAX_ROWS = 1000
    HISTORY_SIZE = 600  # snapshots kept in memory
    COMMAND_QUEUE_SIZE = 100  # pending commands before the API returns 503
    STEP_COMMAND_TIMEOUT = 30.0  # seconds POST /control/step waits for the runner
    HEARTBEAT_INTERVAL = 0.5  # seconds between heartbeat writes, below the 1 s contract
    HEARTBEAT_STALE_AFTER = 3.0  # seconds after which a heartbeat means no live owner

    LOG_LEVEL = "INFO"
    LOG_FORMAT = "text"
    LOG_INTERVAL = 10.0  # seconds between runner progress lines

    # Folder of the TMY3 files a request may name in a weather disturbance;
    # None means instance/weather. The packaged Greensboro, NC year needs none.
    WEATHER_DIR = None

    API_TOKEN = None
    MAX_CONTENT_LENGTH = 64 * 1024  # bytes: control bodies are a few hundred bytes

    API_TITLE = "Loopsim"
    API_VERSION = "1"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/"
    OPENAPI_JSON_PATH = "openapi.json"
