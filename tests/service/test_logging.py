"""Logging: configured once, text or JSON, no duplicate lines."""

import json
import logging

import pytest

from app.logging_config import configure_logging, logging_dict


def emit(capsys, message: str) -> list[str]:
    logging.getLogger("loopsim.test").warning(message)
    return [line for line in capsys.readouterr().err.splitlines() if message in line]


def test_second_create_app_adds_no_duplicate_lines(make_app, capsys):
    make_app(LOG_LEVEL="INFO")
    make_app(LOG_LEVEL="INFO")

    assert len(emit(capsys, "only-once-marker")) == 1


def test_json_format_is_one_object_per_line(make_app, capsys):
    make_app(LOG_FORMAT="json", LOG_LEVEL="INFO")

    lines = emit(capsys, "json-marker")

    assert len(lines) == 1
    document = json.loads(lines[0])
    assert document["message"] == "json-marker"
    assert document["level"] == "WARNING"
    assert document["logger"] == "loopsim.test"


def test_invalid_log_format_names_the_choices():
    with pytest.raises(ValueError, match="LOG_FORMAT 'xml'.*text, json"):
        logging_dict("INFO", "xml")


def test_invalid_log_level_names_the_choices():
    with pytest.raises(ValueError, match="LOG_LEVEL 'LOUD'"):
        configure_logging({"LOG_LEVEL": "loud", "LOG_FORMAT": "text"})
