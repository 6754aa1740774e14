"""Fixtures for the dashboard tests: a real server on 127.0.0.1 and headless Chromium."""

import json
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 800}
# Simulated seconds per wall-clock second: 60 steps per second at dt = 1 s,
# so the default 300-step chart fills in 5 s.
TEST_SPEED = 60.0


@dataclass
class LiveServer:
    """Client of a Loopsim app that Werkzeug serves on 127.0.0.1 in a background thread."""

    url: str
    stop: Callable[[], None]  # stops serving and closes the socket; safe to call twice

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        """Send one JSON request and return the status code and the JSON body."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")

        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)

    def status(self) -> dict:
        code, document = self.call("GET", "/status")
        assert code == 200, f"GET /status returned {code}: {document}"
        return document


@contextmanager
def serving(app):
    """Serve `app` on a free port of 127.0.0.1 in a background thread until the block ends."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="dashboard-test-server", daemon=True)
    thread.start()

    def stop() -> None:
        # shutdown() returns at once when serve_forever has already ended.
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()

    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", stop)
    finally:
        stop()


@pytest.fixture
def live_server(make_app):
    """Serve a fresh app on a free port of 127.0.0.1 for one test."""
    with serving(make_app(SIM_SPEED=TEST_SPEED)) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's headless Chromium once per test session."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing, so the browser tests are skipped: install it with apt-get install chromium")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class BrowserPage:
    """A page with the console errors and uncaught exceptions it reported."""

    page: Page
    errors: list[str]


@pytest.fixture
def dashboard(browser, live_server):
    """Open the dashboard at 1280x800 and collect console errors and page errors."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    errors: list[str] = []

    def record_console(message) -> None:
        if message.type == "error":
            errors.append(f"console error: {message.text}")

    page.on("console", record_console)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))

    yield BrowserPage(page, errors)

    context.close()
