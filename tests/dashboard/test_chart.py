"""The dashboard chart: live series from /telemetry, the drawn setpoint line, the window and the downloads."""

import pytest
from playwright.sync_api import expect

from tests.dashboard.helpers import mean, open_dashboard, series, setpoint_line, start_run, wait_for_points

pytestmark = pytest.mark.browser

# Largest distance, in CSS pixels, between a drawn line and the row its value maps to.
ROW_TOLERANCE = 2.0


def test_chart_updates_without_reload(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)
    newest = wait_for_points(page, 5)["step"][-1]

    # The page polls every 500 ms, so a new step shows within a second;
    # 2 s leaves room for a slow test machine.
    page.wait_for_function(f"() => window.loopsimChart.series().step.at(-1) > {newest}", timeout=2_000)

    navigations = page.evaluate("() => performance.getEntriesByType('navigation').length")
    assert navigations == 1


def test_chart_series_match_telemetry(dashboard, live_server):
    page = dashboard.page
    status = start_run(live_server)
    open_dashboard(page, live_server)
    drawn = wait_for_points(page, 20)

    code, body = live_server.call("GET", f"/telemetry?run={status['run_id']}&limit=20&after_step={drawn['step'][0] - 1}")
    assert code == 200
    stored = body["records"]
    assert drawn["step"][:20] == [record["step"] for record in stored]
    assert drawn["process_value"][:20] == [record["process_value"] for record in stored]
    assert drawn["control_output"][:20] == [record["control_output"] for record in stored]


def test_setpoint_change_moves_chart_line(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)
    wait_for_points(page, 20)
    (before,) = setpoint_line(page, [-1])
    assert before["setpoint"] == 21.0
    assert abs(mean(before["rows"]) - before["expected"]) <= ROW_TOLERANCE

    page.fill("#setpoint-input", "25")
    page.click("#setpoint-button")
    # Five points at the new setpoint, so the newest column is past the jump.
    page.wait_for_function("() => window.loopsimChart.series().setpoint.slice(-5).every((value) => value === 25)")

    old, new = setpoint_line(page, [0, -1])
    assert old["setpoint"] == 21.0
    assert new["setpoint"] == 25.0
    assert abs(mean(old["rows"]) - old["expected"]) <= ROW_TOLERANCE
    assert abs(mean(new["rows"]) - new["expected"]) <= ROW_TOLERANCE
    # Canvas rows grow downwards, so the higher setpoint is drawn higher up.
    assert mean(new["rows"]) < mean(old["rows"]) - 10


def test_window_select_limits_steps(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)
    wait_for_points(page, 150)

    page.select_option("#window-select", "100")
    page.wait_for_function("() => window.loopsimChart.series().step.length === 100")

    steps = series(page)["step"]
    assert steps[-1] - steps[0] == 99


def test_chart_label_names_newest_values(dashboard, live_server):
    page = dashboard.page
    start_run(live_server)
    open_dashboard(page, live_server)
    wait_for_points(page, 5)

    label = page.locator("#chart").get_attribute("aria-label")
    assert "setpoint 21 °C" in label


def test_export_links_disabled_without_run(dashboard, live_server):
    page = dashboard.page
    open_dashboard(page, live_server)

    assert page.locator("#export-csv").get_attribute("href") is None
    expect(page.locator("#export-csv")).to_have_attribute("aria-disabled", "true")


@pytest.mark.parametrize(("link", "format_name"), [("#export-csv", "csv"), ("#export-json", "json")])
def test_export_link_downloads_current_run(dashboard, live_server, link, format_name):
    page = dashboard.page
    status = start_run(live_server)
    open_dashboard(page, live_server)
    wait_for_points(page, 10)

    expect(page.locator(link)).to_have_attribute("href", f"/telemetry/export?format={format_name}&run={status['run_id']}")
    with page.expect_download() as download_info:
        page.click(link)
    download = download_info.value

    assert download.suggested_filename.endswith(f".{format_name}")
    with open(download.path(), encoding="utf-8") as file:
        head = file.read(200)
    assert "process_value" in head
