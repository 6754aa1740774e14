"""gunicorn settings for Loopsim; command-line flags and GUNICORN_CMD_ARGS override them."""

import os

from app.logging_config import logging_dict

bind = "127.0.0.1:8000"
worker_class = "gthread"
workers = 2
threads = 8
# Seconds a worker has after SIGTERM: enough for the runner to finish its
# step and flush a batch of records.
graceful_timeout = 20
timeout = 60
# gunicorn's control socket lives at one path per user, so a second server
# would take over the first one's socket. Loopsim does not use it.
control_socket_disable = True

# gunicorn's loggers and the app's share one format (LOG_FORMAT, LOG_LEVEL).
_log_config = logging_dict(os.environ.get("FLASK_LOG_LEVEL", "INFO"), os.environ.get("FLASK_LOG_FORMAT", "text"))
_log_config["loggers"] = {
    "gunicorn.error": {"level": os.environ.get("FLASK_LOG_LEVEL", "INFO").upper(), "handlers": ["console"], "propagate": False},
    "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
}
logconfig_dict = _log_config


def post_worker_init(worker):
    """Start the runner in each worker after the fork; one of them takes ownership."""
    from app.runner.extension import start_runner

    start_runner(worker.wsgi)


def worker_exit(server, worker):
    """Stop the runner: finish the step, flush the records, release the ownership lock."""
    from app.runner.extension import stop_all

    stop_all()
