"""The gunicorn server, the RSS sampler and the load generator against a real server on 127.0.0.1."""

import pytest

from bench.load import run_load
from bench.memory import RssSampler, rss_bytes
from bench.server import HOST, GunicornServer

pytestmark = pytest.mark.slow


@pytest.fixture
def server(database_path, tmp_path):
    server = GunicornServer(database_path, str(tmp_path / "gunicorn.log"))
    with server:
        yield server.start()


def test_server_has_configured_workers(server):
    # gunicorn.conf.py sets two workers.
    assert len(server.worker_pids()) == 2


def test_server_stop_ends_master(server):
    server.stop()
    assert server.process.poll() is not None


def test_sampler_sums_worker_rss(server):
    pids = server.worker_pids()
    with RssSampler(pids, interval=0.01) as sampler:
        server.get_json("/health")

    assert sampler.samples
    assert sampler.peak >= max(rss_bytes(pid) for pid in pids) > 0


def test_rss_of_missing_process_is_zero():
    assert rss_bytes(2**22 + 1) == 0


def test_load_counts_responses(server):
    result = run_load(HOST, server.port, "/health", clients=4, seconds=0.5)
    assert result.requests > 0
    assert result.errors == 0
    assert result.percentile(0.99) >= result.percentile(0.5)


def test_load_counts_error_statuses(server):
    result = run_load(HOST, server.port, "/no-such-page", clients=2, seconds=0.3)
    assert result.requests == 0
    assert result.errors > 0
    assert "404" in result.first_error


def test_get_json_rejects_error_status(server):
    with pytest.raises(RuntimeError, match="returned 404"):
        server.get_json("/no-such-page")
