"""Resident memory of processes, read from /proc and sampled in a background thread."""

import threading
import time

# Sampling period of RssSampler, in seconds.
SAMPLE_INTERVAL = 0.05


def rss_bytes(pid: int) -> int:
    """Return the resident set size of a process from /proc/PID/status, or 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass

    return 0


def total_rss_bytes(pids: list[int]) -> int:
    return sum(rss_bytes(pid) for pid in pids)


class RssSampler:
    """Sum the RSS of a fixed set of processes every SAMPLE_INTERVAL seconds until stopped."""

    def __init__(self, pids: list[int], interval: float = SAMPLE_INTERVAL):
        self.pids = list(pids)
        self.interval = interval
        self.samples: list[int] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="bench-rss-sampler", daemon=True)

    def _sample(self) -> None:
        while not self._stopping.is_set():
            self.samples.append(total_rss_bytes(self.pids))
            self._stopping.wait(self.interval)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stopping.set()
        self._thread.join()
        # One last sample, so that a short export still has one after it ended.
        self.samples.append(total_rss_bytes(self.pids))

    @property
    def peak(self) -> int:
        return max(self.samples, default=0)


def baseline_rss(pids: list[int], seconds: float = 1.0, interval: float = SAMPLE_INTERVAL) -> int:
    """Return the highest summed RSS of `pids` over `seconds`, the level a later peak is compared with."""
    samples = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        samples.append(total_rss_bytes(pids))
        time.sleep(interval)

    return max(samples)
