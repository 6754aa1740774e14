"""GET /metrics: runner counters, histograms and gauges in the Prometheus text format."""

import time

import prometheus_client
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics
from prometheus_client.parser import text_string_to_metric_families

from app.extensions import db, runner
from app.metrics.collector import EXTENSION_KEY
from app.telemetry.heartbeat import read_heartbeat
from tests.conftest import wait_until
from tests.telemetry.helpers import record_paused_run, status

COUNTERS = ("loopsim_steps_total", "loopsim_records_written_total", "loopsim_write_errors_total")
STATES = ("idle", "running", "paused", "faulted", "stopped")


def scrape(client) -> dict:
    """Return every sample of a scrape as {(name, sorted labels): value}."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"

    families = text_string_to_metric_families(response.get_data(as_text=True))
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value for family in families for sample in family.samples}


def heartbeat_stats(app) -> dict | None:
    with app.app_context():
        row = read_heartbeat(db.session)
        stats = row.status["stats"] if row is not None else None
        db.session.close()
    return stats


def settled_stats(app) -> dict:
    """Wait until the heartbeat carries the owner's current stats and return them."""
    return wait_until(lambda: (stats := heartbeat_stats(app)) == runner.handle(app).status()["stats"] and stats)


def cumulative(counts: list[int]) -> list[int]:
    totals, running = [], 0
    for count in counts:
        running += count
        totals.append(running)
    return totals


def test_counters_equal_runner_stats(app, client):
    record_paused_run(client, min_steps=500)
    stats = settled_stats(app)

    samples = scrape(client)

    assert stats["steps_total"] >= 500
    assert samples[("loopsim_steps_total", ())] == stats["steps_total"]
    assert samples[("loopsim_records_written_total", ())] == stats["records_written_total"]
    assert samples[("loopsim_write_errors_total", ())] == stats["write_errors_total"]


def test_commands_counted_by_kind_and_outcome(app, client):
    record_paused_run(client, min_steps=10)
    stats = settled_stats(app)

    samples = scrape(client)

    commands = {labels: value for (name, labels), value in samples.items() if name == "loopsim_commands_total"}
    assert commands == {
        (("kind", "pause"), ("outcome", "applied")): 1,
        (("kind", "start"), ("outcome", "applied")): 1,
    }
    assert stats["commands_total"] == {"start:applied": 1, "pause:applied": 1}


def test_histograms_equal_runner_stats(app, client):
    record_paused_run(client, min_steps=500)
    stats = settled_stats(app)

    samples = scrape(client)

    for name, key in (("loopsim_step_duration_seconds", "step_seconds"), ("loopsim_flush_duration_seconds", "flush_seconds")):
        histogram = stats[key]
        buckets = [value for (sample, _), value in samples.items() if sample == f"{name}_bucket"]
        assert buckets == cumulative(histogram["counts"])
        assert samples[(f"{name}_count", ())] == sum(histogram["counts"])
        assert samples[(f"{name}_sum", ())] == histogram["sum"]
        assert samples[(f"{name}_bucket", (("le", "+Inf"),))] == sum(histogram["counts"])


def test_gauges_equal_runner_status(app, client):
    paused = record_paused_run(client, min_steps=100)
    # The owner counts pending commands when it writes its heartbeat.
    wait_until(lambda: status(client)["queue_length"] == 0)

    samples = scrape(client)

    assert samples[("loopsim_last_step", ())] == paused["step"]
    assert samples[("loopsim_sim_time_seconds", ())] == paused["sim_time"]
    assert samples[("loopsim_history_size", ())] == paused["history_size"]
    assert samples[("loopsim_queue_length", ())] == 0
    assert samples[("loopsim_persistence_lag_steps", ())] == 0
    assert samples[("loopsim_persistence_lag_seconds", ())] == 0


def test_runner_state_marks_one_state(client):
    record_paused_run(client, min_steps=10)

    samples = scrape(client)

    states = {state: samples[("loopsim_runner_state", (("state", state),))] for state in STATES}
    assert states == {"idle": 0, "running": 0, "paused": 1, "faulted": 0, "stopped": 0}


def test_counters_never_decrease_while_running(client):
    assert client.post("/control/start").status_code == 202
    wait_until(lambda: status(client)["state"] == "running")

    scrapes = []
    for _ in range(15):
        scrapes.append(scrape(client))
        time.sleep(0.03)

    for name in COUNTERS:
        values = [samples[(name, ())] for samples in scrapes]
        assert values == sorted(values), name
    steps = [samples[("loopsim_steps_total", ())] for samples in scrapes]
    assert steps[-1] > steps[0]


def test_follower_serves_heartbeat_counters(app, client, make_app):
    record_paused_run(client, min_steps=200)
    stats = settled_stats(app)
    follower = make_app()

    samples = scrape(follower.test_client())

    assert samples[("loopsim_steps_total", ())] == stats["steps_total"]
    assert samples[("loopsim_runner_state", (("state", "paused"),))] == 1


def test_counters_survive_takeover(app, client, make_app):
    record_paused_run(client, min_steps=200)
    follower = make_app()
    follower_client = follower.test_client()
    runner.handle(app).stop()
    before = scrape(follower_client)

    runner.handle(follower).ensure_started()
    wait_until(lambda: runner.handle(follower).status()["is_owner"])
    settled_stats(follower)
    after = scrape(follower_client)

    for name in COUNTERS:
        assert after[(name, ())] >= before[(name, ())], name
    assert after[("loopsim_steps_total", ())] >= 200


def test_counters_are_zero_before_any_run(client):
    samples = scrape(client)

    assert samples[("loopsim_steps_total", ())] == 0
    assert samples[("loopsim_runner_state", (("state", "stopped"),))] == 1
    assert ("loopsim_last_step", ()) not in samples


def test_each_app_has_private_registry(make_app):
    first, second = make_app(), make_app()

    responses = [first.test_client().get("/metrics"), second.test_client().get("/metrics")]

    assert [response.status_code for response in responses] == [200, 200]
    assert first.extensions[EXTENSION_KEY] is not second.extensions[EXTENSION_KEY]
    assert prometheus_client.REGISTRY.get_sample_value("loopsim_steps_total") is None


def test_openmetrics_when_accepted(client):
    record_paused_run(client, min_steps=10)

    response = client.get("/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"})

    names = {family.name for family in parse_openmetrics(response.get_data(as_text=True))}
    assert response.mimetype == "application/openmetrics-text"
    assert {"loopsim_steps", "loopsim_step_duration_seconds", "loopsim_runner_state"} <= names


def test_mixed_worker_scrapes_never_decrease(client, make_app):
    follower_client = make_app().test_client()
    assert client.post("/control/start").status_code == 202
    wait_until(lambda: status(client)["state"] == "running")

    # Alternate between the owner and a follower, as a scraper behind a
    # load balancer in front of several workers would.
    scrapes = []
    for index in range(20):
        scrapes.append(scrape(client if index % 2 == 0 else follower_client))
        time.sleep(0.02)

    for name in COUNTERS:
        values = [samples[(name, ())] for samples in scrapes]
        assert values == sorted(values), name
