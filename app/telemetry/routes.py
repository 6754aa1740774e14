"""Telemetry and run endpoints."""

from flask_smorest import Blueprint

blp = Blueprint("telemetry", __name__, description="Runs, telemetry records and exports")
