"""`flask telemetry` commands."""

from flask.cli import AppGroup

telemetry_cli = AppGroup("telemetry", help="Export, list and prune telemetry.")
