"""A 1280x800 screenshot of the dashboard with a running loop.

Set LOOPSIM_SCREENSHOT to a path to keep it, for example:

    LOOPSIM_SCREENSHOT=docs/dashboard.png .venv/bin/python -m pytest tests/dashboard/test_screenshot.py

Without the variable the screenshot goes to the test's temporary folder.
"""

import os
import struct

import pytest
from playwright.sync_api import expect

from tests.dashboard.conftest import VIEWPORT
from tests.dashboard.helpers import open_dashboard, start_run, wait_for_points

pytestmark = pytest.mark.browser

SCREENSHOT_VARIABLE = "LOOPSIM_SCREENSHOT"
# Simulated seconds per wall-clock second while the screenshot's history
# builds up: the default room needs about an hour of simulated time to settle.
SCENE_SPEED = 1200
SCENE_WINDOW = 3000
SCENE_SETPOINT = 22.5


def png_size(path) -> tuple[int, int]:
    """Return (width, height) from a PNG file's IHDR chunk."""
    with open(path, "rb") as file:
        header = file.read(24)

    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG file"
    return struct.unpack(">II", header[16:24])


def test_screenshot_of_running_loop(dashboard, live_server, tmp_path):
    page = dashboard.page
    target = os.environ.get(SCREENSHOT_VARIABLE) or str(tmp_path / "dashboard.png")
    live_server.call("PUT", "/control/speed", {"value": SCENE_SPEED})
    start_run(live_server)
    open_dashboard(page, live_server)
    page.select_option("#window-select", str(SCENE_WINDOW))

    # Let the room warm up towards 21 degC, then raise the setpoint through
    # the page and show the response.
    page.wait_for_function("() => (window.loopsimChart.series().step.at(-1) ?? 0) >= 3600", timeout=20_000)
    page.fill("#setpoint-input", str(SCENE_SETPOINT))
    page.click("#setpoint-button")
    page.wait_for_function(
        f"() => window.loopsimChart.series().setpoint.filter((value) => value === {SCENE_SETPOINT}).length >= 1200",
        timeout=20_000,
    )
    page.locator("#setpoint-input").blur()
    wait_for_points(page, SCENE_WINDOW)
    # The collapsed panels name the current controller and disturbance.
    expect(page.locator("#controller-current")).to_have_text("pid")
    expect(page.locator("#disturbance-current")).to_have_text("weather")
    page.screenshot(path=target)

    assert png_size(target) == (VIEWPORT["width"], VIEWPORT["height"])
    assert dashboard.errors == []
