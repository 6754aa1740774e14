"""Confine weather files named in API requests to the WEATHER_DIR folder."""

import os

from flask import current_app

from app.errors import fail


def weather_dir() -> str:
    return current_app.config.get("WEATHER_DIR") or os.path.join(current_app.instance_path, "weather")


def confine_weather_file(disturbance: dict | None, field: str) -> dict | None:
    """Return `disturbance` with its weather `file` resolved inside WEATHER_DIR.

    A client may name a file in that folder, never an arbitrary path on the
    server, because the reader's error messages quote the lines it read.
    """
    if not isinstance(disturbance, dict) or disturbance.get("profile") != "weather":
        return disturbance

    params = disturbance.get("params")
    if not isinstance(params, dict) or params.get("file") is None:
        return disturbance

    name = params["file"]
    folder = weather_dir()
    if not isinstance(name, str) or not name or name != os.path.basename(name) or name.startswith("."):
        fail(422, f"{field} must be the name of a file in the weather folder (WEATHER_DIR), got {name!r}", field=field)

    path = os.path.join(folder, name)
    if not os.path.isfile(path):
        fail(422, f"{field}: weather file {name!r} not found in the weather folder; put TMY3 CSV files in WEATHER_DIR", field=field)

    return {**disturbance, "params": {**params, "file": path}}


def confine_config(config: dict | None) -> dict | None:
    """Apply confine_weather_file to the disturbance of a SimulationConfig dict."""
    if not isinstance(config, dict) or "disturbance" not in config:
        return config

    disturbance = confine_weather_file(config["disturbance"], "config.disturbance.params.file")
    return {**config, "disturbance": disturbance}
