"""Config layers and the errors for invalid settings."""

import pytest

from app import create_app
from app.runner.settings import ConfigError
from tests.conftest import BASE_CONFIG


def test_prefixed_environment_overrides_defaults(monkeypatch, sqlite_url):
    monkeypatch.setenv("FLASK_SIM_SPEED", "12.5")
    monkeypatch.setenv("FLASK_HISTORY_SIZE", "42")

    app = create_app({"SQLALCHEMY_DATABASE_URI": sqlite_url, "LOG_LEVEL": "WARNING"})

    assert app.config["SIM_SPEED"] == 12.5
    assert app.config["HISTORY_SIZE"] == 42


def test_mapping_overrides_environment(monkeypatch, sqlite_url):
    monkeypatch.setenv("FLASK_SIM_SPEED", "12.5")

    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": sqlite_url})

    assert app.config["SIM_SPEED"] == 0


def test_default_database_is_instance_file(monkeypatch):
    monkeypatch.delenv("FLASK_SQLALCHEMY_DATABASE_URI", raising=False)

    app = create_app({"LOG_LEVEL": "WARNING"})

    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("/instance/telemetry.db")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("SIM_SPEED", "fast", "invalid SIM_SPEED 'fast'"),
        ("SIM_SPEED", -1, "at least 0"),
        ("HISTORY_SIZE", 0, "invalid HISTORY_SIZE 0"),
        ("COMMAND_QUEUE_SIZE", 2.5, "integer"),
        ("RUNNER_AUTOSTART", "yes", "true or false"),
        ("SIM_PLANT", "reactor", "invalid SIM_PLANT"),
        ("SIM_DT", 0, "invalid SIM_DT"),
        ("SIM_CONTROLLER", "fuzzy", "invalid SIM_CONTROLLER"),
    ],
)
def test_invalid_setting_names_the_key(sqlite_url, key, value, message):
    with pytest.raises(ConfigError, match=message):
        create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": sqlite_url, key: value})
