"""Dashboard controls: each button and input drives the runner, and API errors show beside the control."""

import pytest
from playwright.sync_api import expect

from tests.conftest import wait_until
from tests.dashboard.helpers import open_dashboard, start_run, wait_for_state

pytestmark = pytest.mark.browser


def test_start_button_starts_run(dashboard, live_server):
    page = dashboard.page
    open_dashboard(page, live_server)

    page.click("#start-button")

    assert wait_for_state(live_server, "running")["run_id"] == 1


def test_pause_button_pauses_runner(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)

    page.click("#pause-button")

    status = wait_until(lambda: (document := live_server.status())["state"] != "running" and document)
    assert status["state"] == "paused"
    expect(page.locator("#state")).to_have_text("paused")


def test_resume_button_resumes_runner(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    live_server.call("POST", "/control/pause")
    wait_for_state(live_server, "paused")
    open_dashboard(page, live_server)

    page.click("#resume-button")

    assert wait_for_state(live_server, "running")["state"] == "running"


def test_step_button_takes_count_steps(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    live_server.call("POST", "/control/pause")
    before = wait_for_state(live_server, "paused")
    open_dashboard(page, live_server)

    page.fill("#step-count", "5")
    page.click("#step-button")

    expect(page.locator("#step-message")).to_have_text(f"Now at step {before['step'] + 5}.")
    assert live_server.status()["step"] == before["step"] + 5


def test_reset_button_starts_new_run(dashboard, live_server):
    page = dashboard.page
    first = start_run(live_server)
    open_dashboard(page, live_server)

    page.click("#reset-button")

    status = wait_until(lambda: (document := live_server.status())["run_id"] != first["run_id"] and document)
    assert status["run_id"] == first["run_id"] + 1


def test_mode_radio_switches_to_manual(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)

    page.check("#mode-manual")

    assert wait_until(lambda: live_server.status()["mode"] == "manual")


def test_manual_output_reaches_runner(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    live_server.call("PUT", "/control/mode", {"mode": "manual"})
    open_dashboard(page, live_server)

    page.fill("#output-input", "1200")
    page.click("#output-button")

    assert wait_until(lambda: live_server.status()["control_output"] == 1200.0)


def test_speed_input_reaches_runner(dashboard, live_server):
    page = dashboard.page
    open_dashboard(page, live_server)
    start_run(live_server)

    page.fill("#speed-input", "120")
    page.click("#speed-button")

    assert wait_until(lambda: live_server.status()["speed"] == 120.0)


def test_buttons_follow_runner_state(dashboard, live_server):
    page = dashboard.page
    open_dashboard(page, live_server)

    expect(page.locator("#start-button")).to_be_enabled()
    expect(page.locator("#pause-button")).to_be_disabled()
    expect(page.locator("#resume-button")).to_be_disabled()
    expect(page.locator("#step-button")).to_be_disabled()
    expect(page.locator("#setpoint-button")).to_be_disabled()

    start_run(live_server)
    expect(page.locator("#start-button")).to_be_disabled()
    expect(page.locator("#pause-button")).to_be_enabled()
    expect(page.locator("#resume-button")).to_be_disabled()
    expect(page.locator("#setpoint-button")).to_be_enabled()

    live_server.call("POST", "/control/pause")
    expect(page.locator("#pause-button")).to_be_disabled()
    expect(page.locator("#resume-button")).to_be_enabled()
    expect(page.locator("#step-button")).to_be_enabled()


def test_negative_speed_shows_error(dashboard, live_server):
    page = dashboard.page
    open_dashboard(page, live_server)

    page.fill("#speed-input", "-1")
    page.click("#speed-button")

    message = page.locator("#speed-form .message")
    expect(message).to_contain_text("must be between 0 and 1000000.0, got -1.0")
    expect(message).to_have_attribute("data-kind", "error")
    expect(page.locator("#speed-input")).to_have_attribute("aria-invalid", "true")


def test_text_setpoint_shows_error(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)

    page.fill("#setpoint-input", "abc")
    page.click("#setpoint-button")

    expect(page.locator("#setpoint-form .message")).to_contain_text("must be a JSON number, got 'abc'")
    expect(page.locator("#setpoint-input")).to_have_attribute("aria-invalid", "true")


def test_editing_input_clears_invalid_mark(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)
    page.fill("#setpoint-input", "abc")
    page.click("#setpoint-button")
    expect(page.locator("#setpoint-input")).to_have_attribute("aria-invalid", "true")

    page.fill("#setpoint-input", "22")

    expect(page.locator("#setpoint-input")).not_to_have_attribute("aria-invalid", "true")


def test_setpoint_above_range_shows_rejection(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)

    page.fill("#setpoint-input", "500")
    page.click("#setpoint-button")

    # The API accepts the number; the runner rejects it against the plant's range.
    message = page.locator("#setpoint-form .message")
    expect(message).to_contain_text("got 500.0")
    expect(message).to_have_attribute("data-kind", "error")
    assert live_server.status()["setpoint"] == 21.0


def test_zero_step_count_shows_error(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    live_server.call("POST", "/control/pause")
    wait_for_state(live_server, "paused")
    open_dashboard(page, live_server)

    page.fill("#step-count", "0")
    page.click("#step-button")

    expect(page.locator("#step-form .message")).to_contain_text("must be between 1 and 10000, got 0")
    expect(page.locator("#step-count")).to_have_attribute("aria-invalid", "true")


def test_resume_while_running_shows_conflict(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    live_server.call("POST", "/control/pause")
    wait_for_state(live_server, "paused")
    page.clock.install()
    open_dashboard(page, live_server)
    expect(page.locator("#resume-button")).to_be_enabled()

    # Freeze the page's polling, so it still shows "paused" after another
    # client resumes the run. Two users at once leave the page stale like this.
    page.clock.pause_at(page.evaluate("() => Date.now()") + 1000)
    live_server.call("POST", "/control/resume")
    wait_for_state(live_server, "running")
    page.click("#resume-button")

    message = page.locator("#resume-button + .message")
    expect(message).to_have_text("cannot resume while the runner is running: only a paused runner can resume")
    expect(message).to_have_attribute("data-kind", "error")
    expect(page.locator("#state")).to_have_text("running")
