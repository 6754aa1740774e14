"""Runner counters and histograms that survive a change of owner through the heartbeat."""

import bisect
from dataclasses import dataclass, field

# Bucket upper bounds in seconds. A step takes tens of microseconds, a flush
# of a few hundred rows some milliseconds.
STEP_BUCKETS = (1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 5e-3, 0.025, 0.1)
FLUSH_BUCKETS = (1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0)


@dataclass
class Histogram:
    """Cumulative-free bucket counts with a sum, in the Prometheus sense."""

    bounds: tuple
    counts: list = field(default_factory=list)
    total: float = 0.0

    def __post_init__(self):
        if not self.counts:
            self.counts = [0] * (len(self.bounds) + 1)

    def observe(self, value: float) -> None:
        self.counts[bisect.bisect_left(self.bounds, value)] += 1
        self.total += value

    def to_dict(self) -> dict:
        return {"bounds": list(self.bounds), "counts": list(self.counts), "sum": self.total}

    @classmethod
    def from_dict(cls, data: dict | None, bounds: tuple) -> "Histogram":
        if not data or tuple(data.get("bounds", ())) != bounds:
            return cls(bounds)

        return cls(bounds, list(data["counts"]), float(data["sum"]))


@dataclass
class RunnerStats:
    """Monotonic counters of the runner, carried over when another process takes over."""

    steps_total: int = 0
    records_written_total: int = 0
    write_errors_total: int = 0
    commands_total: dict = field(default_factory=dict)  # "kind:outcome" -> count
    step_seconds: Histogram = field(default_factory=lambda: Histogram(STEP_BUCKETS))
    flush_seconds: Histogram = field(default_factory=lambda: Histogram(FLUSH_BUCKETS))

    def count_command(self, kind: str, outcome: str) -> None:
        key = f"{kind}:{outcome}"
        self.commands_total[key] = self.commands_total.get(key, 0) + 1

    def to_dict(self) -> dict:
        return {
            "steps_total": self.steps_total,
            "records_written_total": self.records_written_total,
            "write_errors_total": self.write_errors_total,
            "commands_total": dict(self.commands_total),
            "step_seconds": self.step_seconds.to_dict(),
            "flush_seconds": self.flush_seconds.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> "RunnerStats":
        """Rebuild the stats of a previous owner, or start from zero."""
        data = data or {}

        return cls(
            steps_total=int(data.get("steps_total", 0)),
            records_written_total=int(data.get("records_written_total", 0)),
            write_errors_total=int(data.get("write_errors_total", 0)),
            commands_total=dict(data.get("commands_total", {})),
            step_seconds=Histogram.from_dict(data.get("step_seconds"), STEP_BUCKETS),
            flush_seconds=Histogram.from_dict(data.get("flush_seconds"), FLUSH_BUCKETS),
        )
