"""The status snapshot that the runner publishes after each step."""

from dataclasses import dataclass, field, fields
from functools import cached_property

# Runner states. "idle" means no run yet, "stopped" that this process has no
# runner thread and no other process reports one.
IDLE = "idle"
RUNNING = "running"
PAUSED = "paused"
FAULTED = "faulted"
STOPPED = "stopped"


@dataclass(frozen=True)
class RunnerStatus:
    """An immutable view of the runner, replaced as a whole so readers never see half an update."""

    state: str = IDLE
    owner: str | None = None
    run_id: int | None = None
    plant: str | None = None
    controller: str | None = None
    mode: str | None = None
    dt: float | None = None
    speed: float | None = None
    step: int | None = None  # the last step taken, None before the first
    sim_time: float | None = None
    setpoint: float | None = None
    process_value: float | None = None
    control_output: float | None = None
    queue_length: int = 0
    history_size: int = 0
    steps_per_second: float = 0.0
    last_error: str | None = None
    last_persisted_step: int | None = None
    persistence_error: str | None = None  # why buffered records are not being written
    persistence_lag_steps: int = 0
    persistence_lag_seconds: float = 0.0
    started_at: str | None = None  # ISO 8601 UTC time the runner thread started
    stats: dict = field(default_factory=dict)

    @cached_property
    def document(self) -> dict:
        """The fields as a dict, built once per status; callers copy it before changing it."""
        return {item.name: getattr(self, item.name) for item in fields(self)}

    def to_dict(self) -> dict:
        """Return a new dict of the fields; `stats` is shared, and nothing changes it after publishing."""
        return dict(self.document)
