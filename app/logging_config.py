"""Logging set up once per process with dictConfig, as text or one JSON object per line."""

import json
import logging
import logging.config
from datetime import datetime, timezone

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, process, message."""

    def format(self, record: logging.LogRecord) -> str:
        document = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "process": record.process,
            "message": record.getMessage(),
        }
        if record.exc_info:
            document["exception"] = self.formatException(record.exc_info)

        return json.dumps(document, default=str)


def logging_dict(level: str, log_format: str) -> dict:
    """Build the dictConfig mapping for a level and a format, shared with gunicorn."""
    if log_format not in FORMATS:
        raise ValueError(f"invalid LOG_FORMAT {log_format!r}: use one of {', '.join(FORMATS)}")

    level = str(level).upper()
    if level not in logging.getLevelNamesMapping():
        raise ValueError(f"invalid LOG_LEVEL {level!r}: use DEBUG, INFO, WARNING, ERROR or CRITICAL")

    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "text": {"format": TEXT_FORMAT},
            "json": {"()": "app.logging_config.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": log_format,
            },
        },
        "root": {"level": level, "handlers": ["console"]},
        # Alembic announces each plugin at INFO whenever Flask-Migrate loads,
        # which is every `flask` command; its migration lines stay.
        "loggers": {"alembic.runtime.plugins": {"level": "WARNING"}},
    }


def configure_logging(config) -> None:
    """Apply LOG_LEVEL and LOG_FORMAT; dictConfig replaces the root handler, so calling it twice adds no duplicate lines."""
    logging.config.dictConfig(logging_dict(config["LOG_LEVEL"], config["LOG_FORMAT"]))
