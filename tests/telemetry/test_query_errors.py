"""Invalid query values on the telemetry endpoints return problem details naming the parameter."""

import pytest

from tests.telemetry.helpers import PROBLEM, record_paused_run

HUGE = "9" * 30

BAD_TELEMETRY_QUERIES = [
    ("limit=0", "limit"),
    ("limit=-5", "limit"),
    ("limit=abc", "limit"),
    ("limit=1.5", "limit"),
    ("limit=10001", "limit"),
    (f"limit={HUGE}", "limit"),
    ("after_step=-2", "after_step"),
    ("after_step=abc", "after_step"),
    (f"after_step={HUGE}", "after_step"),
    ("run=0", "run"),
    ("run=-1", "run"),
    ("run=abc", "run"),
    (f"run={HUGE}", "run"),
    ("include_state=maybe", "include_state"),
]

BAD_EXPORT_QUERIES = [
    ("format=xml", "format"),
    ("format=", "format"),
    ("from_step=-1", "from_step"),
    ("from_step=abc", "from_step"),
    (f"from_step={HUGE}", "from_step"),
    ("to_step=-1", "to_step"),
    ("to_step=1.5", "to_step"),
    ("from_step=20&to_step=10", "from_step"),
    ("run=0", "run"),
    ("run=abc", "run"),
]


def assert_problem(response, code: int, field: str) -> dict:
    body = response.get_json()
    assert response.status_code == code
    assert response.mimetype == PROBLEM
    assert body["status"] == code
    assert body["field"] == field
    assert body["detail"]
    return body


@pytest.fixture
def recorded(client):
    return record_paused_run(client, min_steps=10)


@pytest.mark.parametrize(("query", "field"), BAD_TELEMETRY_QUERIES)
def test_bad_telemetry_query_is_400(client, recorded, query, field):
    assert_problem(client.get(f"/telemetry?{query}"), 400, field)


@pytest.mark.parametrize(("query", "field"), BAD_EXPORT_QUERIES)
def test_bad_export_query_is_400(client, recorded, query, field):
    assert_problem(client.get(f"/telemetry/export?{query}"), 400, field)


def test_limit_error_shows_value_and_range(client, recorded):
    body = assert_problem(client.get("/telemetry?limit=20000"), 400, "limit")

    assert "20000" in body["detail"]
    assert "10000" in body["detail"]


def test_step_range_error_names_both_steps(client, recorded):
    body = assert_problem(client.get("/telemetry/export?from_step=20&to_step=10"), 400, "from_step")

    assert "20" in body["detail"]
    assert "10" in body["detail"]


@pytest.mark.parametrize("path", ["/telemetry?run=99", "/telemetry/export?run=99", "/runs/99", "/runs/99/commands"])
def test_unknown_run_is_404(client, recorded, path):
    body = assert_problem(client.get(path), 404, "run")

    assert "99" in body["detail"]


@pytest.mark.parametrize("path", [f"/runs/{HUGE}", f"/runs/{HUGE}/commands"])
def test_huge_run_id_is_404(client, recorded, path):
    assert_problem(client.get(path), 404, "run")


@pytest.mark.parametrize("path", ["/telemetry", "/telemetry/export"])
def test_no_run_yet_is_404(client, path):
    body = assert_problem(client.get(path), 404, "run")

    assert "POST /control/start" in body["detail"]


def test_openapi_describes_query_parameters(client):
    document = client.get("/openapi.json").get_json()

    export = document["paths"]["/telemetry/export"]["get"]
    recent = document["paths"]["/telemetry"]["get"]
    assert {parameter["name"] for parameter in export["parameters"]} == {"format", "run", "from_step", "to_step"}
    assert {parameter["name"] for parameter in recent["parameters"]} == {"run", "limit", "after_step", "include_state"}
    assert "400" in export["responses"]
