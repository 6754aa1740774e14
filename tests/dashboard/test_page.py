"""The dashboard page: loading, its own assets only, layout and accessibility basics."""

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.dashboard.helpers import open_dashboard, start_run, wait_for_points

pytestmark = pytest.mark.browser


def test_page_loads_without_console_errors(dashboard, live_server):
    page = dashboard.page
    open_dashboard(page, live_server)

    page.click("#start-button")
    wait_for_points(page, 30)
    page.click("#pause-button")
    expect(page.locator("#state")).to_have_text("paused")

    assert dashboard.errors == []


def test_chart_shows_loading_until_status(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    # Fail every /status request, so the page gets no /status response while the run goes on.
    page.route("**/status", lambda route: route.abort())
    page.goto(live_server.url + "/")
    chart = page.locator("#chart")

    expect(page.locator("#connection")).to_contain_text("Status not updated")
    expect(chart).to_have_attribute("aria-label", "Chart of setpoint, process value and control output. Loading…")
    assert page.evaluate("() => window.loopsimChart.emptyText()") == "Loading…"

    page.unroute("**/status")

    wait_for_points(page, 2)
    expect(chart).to_have_attribute("aria-label", re.compile(r"^Chart of the last \d+ steps"))


def test_chart_without_run_asks_for_start(dashboard, live_server):
    page = dashboard.page
    open_dashboard(page, live_server)

    expect(page.locator("#chart")).to_have_attribute(
        "aria-label", "Chart of setpoint, process value and control output. No telemetry yet: start a run to see the loop."
    )


def test_page_requests_only_its_server(dashboard, live_server):
    page = dashboard.page
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    start_run(live_server)

    open_dashboard(page, live_server)
    wait_for_points(page, 10)

    foreign = [url for url in requested if not url.startswith(live_server.url + "/")]
    assert foreign == []


def test_page_sends_content_security_policy(live_server):
    with urllib.request.urlopen(live_server.url + "/", timeout=10) as response:
        policy = response.headers["Content-Security-Policy"]

    assert "default-src 'self'" in policy


def test_status_figures_follow_runner(dashboard, live_server):
    page = dashboard.page
    status = start_run(live_server)
    open_dashboard(page, live_server)

    expect(page.locator("#state")).to_have_text("running")
    expect(page.locator("#figure-run_id")).to_have_text(str(status["run_id"]))
    expect(page.locator("#figure-plant")).to_have_text("thermal_zone")
    expect(page.locator("#figure-setpoint")).to_have_text("21 °C")

    first_step = int(page.locator("#figure-step").inner_text())
    page.wait_for_function(f"() => Number(document.querySelector('#figure-step').textContent) > {first_step}")


def test_inputs_have_labels(dashboard, live_server):
    page = dashboard.page
    open_dashboard(page, live_server)

    unlabeled = page.evaluate(
        """() => [...document.querySelectorAll("input, select")]
            .filter((input) => input.labels.length === 0)
            .map((input) => input.id)"""
    )
    assert unlabeled == []


def test_buttons_have_text(dashboard, live_server):
    page = dashboard.page
    open_dashboard(page, live_server)

    empty = page.evaluate(
        "() => [...document.querySelectorAll('button')].filter((b) => !b.textContent.trim()).map((b) => b.id)"
    )
    assert empty == []


def test_labels_show_plant_units(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)

    expect(page.locator("label[for=setpoint-input]")).to_have_text("Setpoint (°C)")
    expect(page.locator("label[for=output-input]")).to_have_text("Manual output (W)")


@pytest.mark.parametrize("width", [1280, 390])
def test_page_fits_screen_width(dashboard, live_server, width):
    page = dashboard.page
    page.set_viewport_size({"width": width, "height": 800})
    start_run(live_server)
    open_dashboard(page, live_server)
    wait_for_points(page, 10)

    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width


# Returns [text color, background color] of each element matched by the
# selector, each as [r, g, b]. The background is the first opaque one among
# the element and its ancestors.
COLORS_SCRIPT = """
(selector) => {
  const rgb = (value) => value.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const opaque = (value) => { const parts = rgb(value); return parts.length === 3 || parts[3] === 1; };
  return [...document.querySelectorAll(selector)].map((element) => {
    let node = element;
    while (node && !opaque(getComputedStyle(node).backgroundColor)) {
      node = node.parentElement;
    }
    const background = node ? getComputedStyle(node).backgroundColor : "rgb(255, 255, 255)";
    return [rgb(getComputedStyle(element).color).slice(0, 3), rgb(background).slice(0, 3)];
  });
}
"""
# WCAG 2.1 level AA minimum contrast ratio for normal text.
MIN_TEXT_CONTRAST = 4.5


def relative_luminance(rgb: list[float]) -> float:
    """Return the WCAG 2.1 relative luminance of an sRGB color with 0-255 channels."""
    linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: list[float], second: list[float]) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize(
    "selector",
    ["button:enabled", "button:disabled", "label", ".figure dt", ".figure dd", "#state", ".legend li", ".message"],
)
def test_text_contrast_meets_wcag_aa(dashboard, live_server, selector):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)
    page.fill("#speed-input", "-1")
    page.click("#speed-button")
    expect(page.locator("#speed-message")).not_to_be_empty()

    pairs = page.evaluate(COLORS_SCRIPT, selector)
    assert pairs, f"no element matches {selector}"
    low = [(text, background) for text, background in pairs if contrast_ratio(text, background) < MIN_TEXT_CONTRAST]
    assert low == []


def test_lost_server_shows_connection_message(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)
    expect(page.locator("#connection")).to_be_empty()

    live_server.stop()

    expect(page.locator("#connection")).to_contain_text("Check that Loopsim is running")
    expect(page.locator("#state")).to_have_text("running")
