"""Disturbance profiles: the disturbance value as a pure function of sim_time.

The profile name and its parameters are the whole disturbance state, so a
snapshot stores only them. What the value means depends on the plant:
outdoor temperature (degC) for thermal_zone, extra inflow (m3/s) for tank
and load (output units) for first_order.
"""

import math
from collections.abc import Callable, Mapping
from typing import Any

from app.simulation.checks import (
    check_choice,
    check_known_keys,
    check_mapping,
    check_required_keys,
    join_field,
)
from app.simulation.errors import ValidationError
from app.simulation.params import ParamSpec
from app.simulation.weather import HOURS_PER_YEAR, WeatherFileError, dry_bulb_at, load_dry_bulb

# Numeric parameters of each profile. The weather profile also has "file",
# a path string or None for the packaged Greensboro, NC extract.
PROFILE_SPECS: dict[str, dict[str, ParamSpec]] = {
    "constant": {"value": ParamSpec(0.0)},
    "sinusoid": {
        "mean": ParamSpec(0.0),
        "amplitude": ParamSpec(0.0, minimum=0.0),
        "period": ParamSpec(86400.0, "s", minimum=0.0, min_exclusive=True),
        "phase": ParamSpec(0.0, "rad"),
    },
    "step": {
        "before": ParamSpec(0.0),
        "after": ParamSpec(0.0),
        "time": ParamSpec(0.0, "s", minimum=0.0),
    },
    "weather": {
        "start_hour": ParamSpec(0.0, "h", minimum=0.0, maximum=float(HOURS_PER_YEAR), max_exclusive=True),
    },
}
PROFILES: tuple[str, ...] = tuple(PROFILE_SPECS)
_SPEC_KEYS = ("profile", "params")


def check_profile_params(profile: str, params: Any, prefix: str) -> dict[str, Any]:
    """Return the checked parameter overrides of ``profile``, independent of the plant.

    A weather ``file`` is read (once per process) so that a bad file fails here.
    """
    params = check_mapping(params, prefix)
    specs = PROFILE_SPECS[profile]
    allowed = (*specs, "file") if profile == "weather" else tuple(specs)
    check_known_keys(params, prefix, allowed)

    checked: dict[str, Any] = {}
    for name, value in params.items():
        field = join_field(prefix, name)
        checked[name] = _check_file(value, field) if name == "file" else specs[name].check(value, field)
    return checked


def resolve_disturbance(
    defaults: Mapping[str, Mapping[str, Any]],
    profile: Any,
    params: Any,
    profile_field: str,
    params_prefix: str,
) -> dict[str, Any]:
    """Return the full spec {"profile", "params"} with the overrides on the plant's profile defaults.

    :param defaults: the plant's DISTURBANCE_DEFAULTS, whose keys are the
        profiles the plant accepts.
    """
    profile = check_choice(profile, profile_field, tuple(defaults))
    checked = check_profile_params(profile, params, params_prefix)
    return {"profile": profile, "params": {**defaults[profile], **checked}}


def resolve_disturbance_mapping(
    defaults: Mapping[str, Mapping[str, Any]], spec: Any, prefix: str
) -> dict[str, Any]:
    """Return the full spec from a {"profile": ..., "params": {...}} mapping, in which "params" is optional."""
    spec = check_mapping(spec, prefix)
    check_known_keys(spec, prefix, _SPEC_KEYS)
    check_required_keys(spec, prefix, ("profile",))
    return resolve_disturbance(
        defaults,
        spec["profile"],
        spec.get("params", {}),
        join_field(prefix, "profile"),
        join_field(prefix, "params"),
    )


def disturbance_function(profile: str, params: Mapping[str, Any]) -> Callable[[float], float]:
    """Return the function sim_time (s) -> disturbance value for a resolved spec."""
    if profile == "constant":
        value = params["value"]
        return lambda sim_time: value

    if profile == "sinusoid":
        mean, amplitude, phase = params["mean"], params["amplitude"], params["phase"]
        angular_frequency = 2.0 * math.pi / params["period"]
        return lambda sim_time: mean + amplitude * math.sin(angular_frequency * sim_time + phase)

    if profile == "step":
        before, after, time = params["before"], params["after"], params["time"]
        return lambda sim_time: before if sim_time < time else after

    if profile == "weather":
        series = load_dry_bulb(params["file"])
        start_hour = params["start_hour"]
        return lambda sim_time: dry_bulb_at(series, start_hour + sim_time / 3600.0)

    raise ValueError(f"Internal error: unknown disturbance profile {profile!r}.")


def _check_file(value: Any, field: str) -> str | None:
    """Return the weather file path after reading the file, or None for the packaged extract."""
    if value is None:
        return None

    # Any path readable by the process is accepted here. The HTTP API
    # confines request paths to WEATHER_DIR (app/control/weather_files.py).
    if not isinstance(value, str) or not value:
        raise ValidationError(
            field, f"{field} must be the path of a TMY3 CSV file or null for the packaged one, got {value!r}."
        )

    try:
        load_dry_bulb(value)
    except WeatherFileError as error:
        raise ValidationError(field, f"{field} {value!r} cannot be used. {error}") from error
    return value
