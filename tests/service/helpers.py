"""Helpers for driving the runner through the HTTP API in tests."""

from tests.conftest import wait_until


def status(client) -> dict:
    return client.get("/status").get_json()


def wait_for_state(client, state: str, timeout: float = 10.0) -> dict:
    return wait_until(lambda: (doc := status(client))["state"] == state and doc, timeout)


def start_paused(client) -> dict:
    """Start a run and pause it; return the status once paused."""
    assert client.post("/control/start").status_code == 202
    wait_for_state(client, "running")
    assert client.post("/control/pause").status_code == 202
    return wait_for_state(client, "paused")


def command_outcome(client, command_id: int, timeout: float = 10.0) -> dict:
    """Wait until the runner applied or rejected a command and return its journal entry."""
    return wait_until(
        lambda: (doc := client.get(f"/control/commands/{command_id}").get_json())["status"] != "pending" and doc,
        timeout,
    )
