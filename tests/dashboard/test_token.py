"""With API_TOKEN set, the page shows a token field and sends the token with every change."""

import pytest
from playwright.sync_api import expect

from tests.dashboard.conftest import TEST_SPEED, VIEWPORT, serving
from tests.dashboard.helpers import wait_for_state

pytestmark = pytest.mark.browser

TOKEN = "classroom-token"


@pytest.fixture
def guarded_server(make_app):
    with serving(make_app(SIM_SPEED=TEST_SPEED, API_TOKEN=TOKEN)) as server:
        yield server


@pytest.fixture
def guarded_page(browser, guarded_server):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(guarded_server.url + "/")
    yield page
    context.close()


def test_start_without_token_shows_401(guarded_page):
    expect(guarded_page.locator("#start-button")).to_be_enabled()

    guarded_page.click("#start-button")

    expect(guarded_page.locator("#start-message")).to_contain_text("bearer token")


def test_start_with_token_runs(guarded_page, guarded_server):
    guarded_page.fill("#token-input", TOKEN)
    guarded_page.click("#token-button")
    expect(guarded_page.locator("#token-message")).to_have_text("Token set for this tab.")
    expect(guarded_page.locator("#start-button")).to_be_enabled()

    guarded_page.click("#start-button")

    assert wait_for_state(guarded_server, "running")["run_id"] == 1


def test_token_field_absent_without_api_token(dashboard, live_server):
    dashboard.page.goto(live_server.url + "/")

    expect(dashboard.page.locator("#token-form")).to_have_count(0)
