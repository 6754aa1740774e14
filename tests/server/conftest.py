"""Fixtures that start real gunicorn processes."""

import pytest

from tests.server.process import ServerProcess


@pytest.fixture
def start_server(tmp_path):
    """Start gunicorn processes on a test database; all are killed at teardown."""
    servers = []

    def factory(database_url: str, **options) -> ServerProcess:
        server = ServerProcess(database_url, tmp_path / f"gunicorn-{len(servers)}.log", **options)
        servers.append(server)
        return server.start()

    yield factory

    for server in servers:
        server.close()
