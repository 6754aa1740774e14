"""API_TOKEN guards every state-changing request; reads stay open."""

import logging

import pytest

TOKEN = "s3cret-token-for-tests"


@pytest.fixture
def guarded(make_app):
    return make_app(API_TOKEN=TOKEN, LOG_LEVEL="DEBUG").test_client()


def test_write_without_token_is_401(guarded):
    response = guarded.post("/control/start")

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_write_with_wrong_token_is_401(guarded):
    response = guarded.post("/control/start", headers={"Authorization": "Bearer wrong"})

    assert response.status_code == 401


def test_write_with_token_is_accepted(guarded):
    response = guarded.post("/control/start", headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 202


def test_reads_stay_open(guarded):
    assert guarded.get("/status").status_code == 200
    assert guarded.get("/health").status_code == 200


def test_token_never_logged(guarded, caplog):
    with caplog.at_level(logging.DEBUG):
        guarded.post("/control/start", headers={"Authorization": f"Bearer {TOKEN}"})
        guarded.post("/control/start", headers={"Authorization": "Bearer wrong"})

    assert TOKEN not in caplog.text
