"""A bounded HTTP load generator: a pool of threads, each with one keep-alive connection."""

import http.client
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bench.results import percentile

# Seconds a client waits after a failed request before it connects again.
ERROR_PAUSE = 0.01


@dataclass
class ClientResult:
    """Latencies of the 200 responses of one client thread, in seconds, and its failed requests."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str | None = None


@dataclass(frozen=True)
class LoadResult:
    path: str
    clients: int
    seconds: float
    latencies: list[float]
    errors: int
    first_error: str | None

    @classmethod
    def combine(cls, results: list["LoadResult"]) -> "LoadResult":
        """Pool the responses of several runs on the same path, for percentiles over all of them."""
        return cls(
            path=results[0].path,
            clients=results[0].clients,
            seconds=sum(result.seconds for result in results),
            latencies=[latency for result in results for latency in result.latencies],
            errors=sum(result.errors for result in results),
            first_error=next((result.first_error for result in results if result.first_error), None),
        )

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        """Return the 200 responses per second over the whole run."""
        return self.requests / self.seconds

    def percentile(self, fraction: float) -> float:
        """Return the nearest-rank percentile of the latencies, in seconds."""
        return percentile(self.latencies, fraction)


def run_load(host: str, port: int, path: str, clients: int, seconds: float, timeout: float = 10.0) -> LoadResult:
    """GET `path` from `clients` threads in a loop for `seconds`, each on its own keep-alive connection.

    A request that fails or returns a status other than 200 counts as an
    error, and its client opens a new connection.
    """
    stop_at = time.monotonic() + seconds
    start = threading.Barrier(clients + 1)

    def client() -> ClientResult:
        start.wait()
        return request_until(host, port, path, stop_at, timeout)

    with ThreadPoolExecutor(max_workers=clients, thread_name_prefix="bench-load") as pool:
        futures = [pool.submit(client) for _ in range(clients)]
        start.wait()
        started = time.monotonic()
        results = [future.result() for future in futures]
        elapsed = time.monotonic() - started

    return LoadResult(
        path=path,
        clients=clients,
        seconds=elapsed,
        latencies=[latency for result in results for latency in result.latencies],
        errors=sum(result.errors for result in results),
        first_error=next((result.first_error for result in results if result.first_error), None),
    )


def request_until(host: str, port: int, path: str, stop_at: float, timeout: float) -> ClientResult:
    result = ClientResult()
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        while time.monotonic() < stop_at:
            sent = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                record_error(result, f"GET {path} failed: {type(exc).__name__}: {exc}")
                connection.close()
                # A server that refuses connections would otherwise make this a busy loop.
                time.sleep(ERROR_PAUSE)
                continue

            if response.status == 200:
                result.latencies.append(time.perf_counter() - sent)
            else:
                record_error(result, f"GET {path} returned {response.status}")
    finally:
        connection.close()

    return result


def record_error(result: ClientResult, message: str) -> None:
    result.errors += 1
    if result.first_error is None:
        result.first_error = message
