"""Controller and disturbance panels: current values, requests that reach the runner, and errors beside the inputs."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import wait_until
from tests.dashboard.conftest import TEST_SPEED, VIEWPORT, serving
from tests.dashboard.helpers import open_dashboard, start_run, wait_for_state

pytestmark = pytest.mark.browser

PACKAGED_WEATHER = Path(__file__).resolve().parents[2] / "app" / "simulation" / "data" / "greensboro_723170_drybulb.csv"


def open_panel(page, name: str) -> None:
    page.click(f"#{name}-panel summary")
    expect(page.locator(f"#{name}-form")).to_be_visible()


def latest_record(server, run_id: int) -> dict | None:
    """Return the run's latest stored record with its simulation state, or None before the first one."""
    code, body = server.call("GET", f"/telemetry?run={run_id}&limit=1&include_state=true")
    if code != 200 or not body["records"]:
        return None
    return body["records"][-1]


def controller_commands(server, run_id: int) -> list[dict]:
    code, journal = server.call("GET", f"/runs/{run_id}/commands")
    assert code == 200, f"GET /runs/{run_id}/commands returned {code}: {journal}"
    return [entry for entry in journal if entry["kind"] == "controller"]


def test_panels_show_current_values(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)

    open_panel(page, "controller")
    open_panel(page, "disturbance")

    expect(page.locator("#controller-current")).to_have_text("pid")
    expect(page.locator("#controller-pid-kp")).to_have_value("2000")
    expect(page.locator("#controller-pid-output_max")).to_have_value("3000")
    expect(page.locator("#controller-pid-tracking_time")).to_have_value("400")
    expect(page.locator("#disturbance-current")).to_have_text("weather")
    expect(page.locator("#disturbance-profile")).to_have_value("weather")
    expect(page.locator("#disturbance-weather-start_hour")).to_have_value("0")
    expect(page.locator("#disturbance-weather-file")).to_have_value("")


def test_panel_labels_show_plant_units(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)
    open_panel(page, "controller")
    open_panel(page, "disturbance")

    expect(page.locator("label[for=controller-pid-kp]")).to_have_text("kp (W/°C)")
    expect(page.locator("label[for=controller-pid-ki]")).to_have_text("ki (W/(°C·s))")
    expect(page.locator("label[for=controller-pid-derivative_filter]")).to_have_text("derivative_filter (s, 0 = none)")
    expect(page.locator("#disturbance-meaning")).to_have_text("The value is the outdoor temperature (°C) of the thermal_zone plant.")

    page.select_option("#disturbance-profile", "sinusoid")
    expect(page.locator("label[for=disturbance-sinusoid-amplitude]")).to_have_text("amplitude (°C)")
    expect(page.locator("label[for=disturbance-sinusoid-phase]")).to_have_text("phase (rad)")


def test_kp_change_reaches_runner(dashboard, live_server):
    page = dashboard.page
    status = start_run(live_server)
    open_dashboard(page, live_server)
    open_panel(page, "controller")
    expect(page.locator("#controller-pid-kp")).to_have_value("2000")

    page.fill("#controller-pid-kp", "1500")
    page.click("#controller-button")

    expect(page.locator("#controller-message")).to_contain_text("Applied at step")
    commands = controller_commands(live_server, status["run_id"])
    assert len(commands) == 1
    # Only the edited value goes out, so a stale value in another input cannot undo a change made elsewhere.
    assert commands[0]["payload"] == {"type": "pid", "params": {"kp": 1500.0}}
    assert commands[0]["status"] == "applied"

    record = wait_until(
        lambda: (record := latest_record(live_server, status["run_id"]))
        and record["step"] >= commands[0]["applied_step"]
        and record
    )
    assert record["state"]["controller"]["params"]["kp"] == 1500.0
    assert record["state"]["controller"]["params"]["ki"] == 1.0
    expect(page.locator("#controller-pid-kp")).to_have_value("1500")


def test_switch_to_on_off_changes_status(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)
    open_panel(page, "controller")

    page.select_option("#controller-type", "on_off")
    expect(page.locator("#controller-on_off-hysteresis")).to_have_attribute("placeholder", "plant default")
    page.click("#controller-button")

    assert wait_until(lambda: live_server.status()["controller"] == "on_off")
    expect(page.locator("#controller-current")).to_have_text("on_off")
    # The plant's defaults for the new type show once the runner has stored a step with them.
    expect(page.locator("#controller-on_off-hysteresis")).to_have_value("0.5")
    expect(page.locator("#controller-on_off-output_on")).to_have_value("3000")
    expect(page.locator("#controller-on_off-output_off")).to_have_value("0")


def test_controller_switch_elsewhere_updates_panel(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)
    open_panel(page, "controller")
    expect(page.locator("#controller-pid-kp")).to_have_value("2000")

    code, body = live_server.call("PUT", "/control/controller", {"type": "on_off", "params": {"hysteresis": 1.5}})
    assert code == 202, body

    expect(page.locator("#controller-type")).to_have_value("on_off")
    expect(page.locator("#controller-on_off-hysteresis")).to_have_value("1.5")
    expect(page.locator("#controller-pid-kp")).to_have_value("")


def test_constant_disturbance_reaches_plant(dashboard, live_server):
    page = dashboard.page
    status = start_run(live_server)
    open_dashboard(page, live_server)
    open_panel(page, "disturbance")

    page.select_option("#disturbance-profile", "constant")
    page.fill("#disturbance-constant-value", "-5")
    page.click("#disturbance-button")

    expect(page.locator("#disturbance-message")).to_contain_text("Applied at step")
    record = wait_until(
        lambda: (record := latest_record(live_server, status["run_id"]))
        and record["signals"]["outdoor_temperature"] == -5.0
        and record
    )
    assert record["state"]["disturbance"] == {"profile": "constant", "params": {"value": -5.0}}
    expect(page.locator("#disturbance-current")).to_have_text("constant")


def test_disturbance_sends_every_filled_value(dashboard, live_server):
    page = dashboard.page
    status = start_run(live_server)
    code, body = live_server.call(
        "PUT", "/control/disturbance", {"profile": "sinusoid", "params": {"mean": 8, "amplitude": 2, "period": 3600}}
    )
    assert code == 202, body
    open_dashboard(page, live_server)
    open_panel(page, "disturbance")
    expect(page.locator("#disturbance-sinusoid-amplitude")).to_have_value("2")

    # The server starts a new disturbance from the plant's defaults, so the
    # unchanged mean and period must go out with the new amplitude.
    page.fill("#disturbance-sinusoid-amplitude", "3")
    page.click("#disturbance-button")

    expect(page.locator("#disturbance-message")).to_contain_text("Applied at step")
    record = wait_until(
        lambda: (record := latest_record(live_server, status["run_id"]))
        and record["state"]["disturbance"]["params"]["amplitude"] == 3.0
        and record
    )
    assert record["state"]["disturbance"]["params"]["mean"] == 8.0
    assert record["state"]["disturbance"]["params"]["period"] == 3600.0


def test_negative_kp_shows_error_beside_input(dashboard, live_server):
    page = dashboard.page
    status = start_run(live_server)
    open_dashboard(page, live_server)
    open_panel(page, "controller")

    page.fill("#controller-pid-kp", "-1")
    page.click("#controller-button")

    message = page.locator("#controller-pid-kp-message")
    expect(message).to_have_text("params.kp must be a finite number at least 0, got -1.")
    expect(message).to_have_attribute("data-kind", "error")
    expect(page.locator("#controller-pid-kp")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#controller-message")).to_be_empty()
    assert controller_commands(live_server, status["run_id"]) == []


def test_text_in_number_input_shows_error(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)
    open_panel(page, "disturbance")

    page.select_option("#disturbance-profile", "step")
    page.fill("#disturbance-step-time", "soon")
    page.click("#disturbance-button")

    expect(page.locator("#disturbance-step-time-message")).to_contain_text("params.time")
    expect(page.locator("#disturbance-step-time-message")).to_contain_text("'soon'")
    expect(page.locator("#disturbance-step-time")).to_have_attribute("aria-invalid", "true")


def test_runner_rejection_shows_in_panel(dashboard, live_server):
    page = dashboard.page
    status = start_run(live_server)
    code, body = live_server.call("PUT", "/control/controller", {"type": "pid", "params": {"output_max": 1000}})
    assert code == 202, body
    open_dashboard(page, live_server)
    open_panel(page, "controller")
    expect(page.locator("#controller-pid-output_max")).to_have_value("1000")

    # The request alone is valid, so the API accepts it. The runner then
    # rejects it against the current output_max.
    page.fill("#controller-pid-output_min", "2000")
    page.click("#controller-button")

    message = page.locator("#controller-message")
    expect(message).to_have_text("params.output_min must be less than output_max (1000.0), got 2000.0.")
    expect(message).to_have_attribute("data-kind", "error")
    assert controller_commands(live_server, status["run_id"])[-1]["status"] == "rejected"


def test_panels_disabled_without_run(dashboard, live_server):
    page = dashboard.page
    open_dashboard(page, live_server)
    open_panel(page, "controller")
    open_panel(page, "disturbance")

    expect(page.locator("#controller-button")).to_be_disabled()
    expect(page.locator("#controller-pid-kp")).to_be_disabled()
    expect(page.locator("#disturbance-button")).to_be_disabled()
    expect(page.locator("#controller-current")).to_have_text("–")

    start_run(live_server)

    expect(page.locator("#controller-button")).to_be_enabled()
    expect(page.locator("#disturbance-button")).to_be_enabled()


def test_tank_plant_panel_units_and_profiles(dashboard, live_server):
    page = dashboard.page
    code, body = live_server.call("POST", "/control/start", {"config": {"plant": "tank"}})
    assert code == 202, body
    wait_for_state(live_server, "running")
    open_dashboard(page, live_server)
    open_panel(page, "controller")
    open_panel(page, "disturbance")

    expect(page.locator("label[for=controller-pid-kp]")).to_have_text("kp (1/m)")
    expect(page.locator("label[for=controller-pid-output_max]")).to_have_text("output_max (fraction)")
    expect(page.locator("#disturbance-meaning")).to_have_text("The value is the extra inflow (m3/s) of the tank plant.")
    expect(page.locator("#disturbance-profile option[value=weather]")).to_be_disabled()
    expect(page.locator("#disturbance-profile option[value=step]")).to_be_enabled()


@pytest.fixture
def weather_server(make_app, tmp_path):
    """Serve an app whose weather folder contains a copy of the packaged weather file."""
    folder = tmp_path / "weather"
    folder.mkdir()
    shutil.copyfile(PACKAGED_WEATHER, folder / "office.csv")
    with serving(make_app(SIM_SPEED=TEST_SPEED, WEATHER_DIR=str(folder))) as server:
        yield server


@pytest.fixture
def weather_page(browser, weather_server):
    context = browser.new_context(viewport=VIEWPORT)
    yield context.new_page()
    context.close()


def test_weather_file_shown_by_name(weather_page, weather_server):
    page = weather_page
    code, body = weather_server.call(
        "POST", "/control/start", {"config": {"disturbance": {"profile": "weather", "params": {"file": "office.csv"}}}}
    )
    assert code == 202, body
    status = wait_for_state(weather_server, "running")
    open_dashboard(page, weather_server)
    open_panel(page, "disturbance")

    # The state stores the file's path on the server, but a request names the file only.
    expect(page.locator("#disturbance-weather-file")).to_have_value("office.csv")
    page.fill("#disturbance-weather-start_hour", "4000")
    page.click("#disturbance-button")

    expect(page.locator("#disturbance-message")).to_contain_text("Applied at step")
    record = wait_until(
        lambda: (record := latest_record(weather_server, status["run_id"]))
        and record["state"]["disturbance"]["params"]["start_hour"] == 4000.0
        and record
    )
    assert record["state"]["disturbance"]["params"]["file"].endswith("office.csv")


def test_missing_weather_file_shows_error(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)
    open_panel(page, "disturbance")

    page.fill("#disturbance-weather-file", "missing.csv")
    page.click("#disturbance-button")

    message = page.locator("#disturbance-weather-file-message")
    expect(message).to_contain_text("'missing.csv'")
    expect(message).to_have_attribute("data-kind", "error")
    expect(page.locator("#disturbance-weather-file")).to_have_attribute("aria-invalid", "true")


def test_panels_leave_no_console_errors(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)
    open_panel(page, "controller")
    open_panel(page, "disturbance")

    page.fill("#controller-pid-ki", "0.5")
    page.click("#controller-button")
    expect(page.locator("#controller-message")).to_contain_text("Applied at step")
    page.select_option("#disturbance-profile", "step")
    page.click("#disturbance-button")
    expect(page.locator("#disturbance-message")).to_contain_text("Applied at step")

    assert dashboard.errors == []
