"""Real-time pacing of steps against a monotonic clock."""

import time

# Behind schedule by more than this many wall seconds (a long flush, a
# suspended machine), the pacer gives up catching up and starts a new
# schedule from now instead of racing through the backlog.
MAX_CATCH_UP_SECONDS = 5.0


class Pacer:
    """Schedule step n at anchor + n * dt / speed, so rounding errors never add up to drift."""

    def __init__(self, dt: float, speed: float, clock=time.monotonic):
        self.clock = clock
        self.dt = dt
        self.speed = speed
        self.resets = 0
        self.reanchor()

    def reanchor(self) -> None:
        """Start a new schedule from now, after a pause, a speed change or an overrun."""
        self.anchor = self.clock()
        self.steps = 0

    def configure(self, dt: float, speed: float) -> None:
        self.dt = dt
        self.speed = speed
        self.reanchor()

    def step_taken(self) -> None:
        self.steps += 1

    def seconds_until_due(self) -> float:
        """Return how long to wait before the next step; 0 when it is due or speed is 0."""
        if self.speed == 0:
            return 0.0

        due = self.anchor + self.steps * self.dt / self.speed
        wait = due - self.clock()
        if wait < -MAX_CATCH_UP_SECONDS:
            self.resets += 1
            self.reanchor()
            return 0.0

        return max(wait, 0.0)
