"""Fields and units of the dashboard's controller and disturbance panels.

The field names come from the simulation's registries, so a parameter added
to a controller or a disturbance profile shows up in the panel by itself.
"""

from dataclasses import dataclass

from app.simulation.controllers import CONTROLLER_CLASSES
from app.simulation.disturbances import PROFILE_SPECS
from app.simulation.plants import PLANT_CLASSES

# Units as the page writes them, the same mapping as displayUnit in static/chart.js.
DISPLAY_UNITS = {"degC": "°C", "1": "fraction"}
# Meaning of the disturbance value for each plant, from the docstring of app/simulation/disturbances.py.
DISTURBANCE_MEANINGS = {"thermal_zone": "outdoor temperature", "tank": "extra inflow", "first_order": "load"}
# Besides its numeric parameters, the weather profile takes "file": the name
# of a TMY3 CSV file in the server's weather folder, or null for the packaged one.
WEATHER_FILE = "file"
# Text shown after a field's unit, for parameters whose value has a special meaning.
HINTS = {"derivative_filter": "0 = none"}


@dataclass(frozen=True)
class ParameterField:
    """One input of a panel: the parameter name, the input's id and whether it takes text instead of a number."""

    name: str
    input_id: str
    text: bool = False

    @property
    def hint(self) -> str:
        return HINTS.get(self.name, "")


def controller_fields() -> dict[str, list[ParameterField]]:
    """Return the parameter inputs of each controller type, by type, in the registry's order."""
    return {
        controller: [ParameterField(name, f"controller-{controller}-{name}") for name in cls.PARAMS]
        for controller, cls in CONTROLLER_CLASSES.items()
    }


def disturbance_fields() -> dict[str, list[ParameterField]]:
    """Return the parameter inputs of each disturbance profile, by profile."""
    fields = {}
    for profile, specs in PROFILE_SPECS.items():
        fields[profile] = [ParameterField(name, f"disturbance-{profile}-{name}") for name in specs]
        if profile == "weather":
            fields[profile].append(ParameterField(WEATHER_FILE, f"disturbance-{profile}-{WEATHER_FILE}", text=True))
    return fields


def display_unit(unit: str) -> str:
    return DISPLAY_UNITS.get(unit, unit)


def ratio(numerator: str, denominator: str) -> str:
    """Return the unit numerator/denominator, where an empty string is a dimensionless 1."""
    if not denominator:
        return numerator
    return f"{numerator or '1'}/{denominator}"


def controller_units(plant: str) -> dict[str, str]:
    """Return the unit of every controller parameter for `plant`, by input id.

    The gains follow PidController: kp in output units per PV unit, ki per
    PV unit and second, kd in output units times seconds per PV unit. Output
    parameters are in control output units and the hysteresis in PV units.
    """
    cls = PLANT_CLASSES[plant]
    process_value = display_unit(cls.PROCESS_VALUE_UNIT)
    # A fraction (unit "1") is dimensionless, so gains on a valve read 1/m, not fraction/m.
    output = "" if cls.CONTROL_OUTPUT_UNIT == "1" else display_unit(cls.CONTROL_OUTPUT_UNIT)
    per_second = f"({process_value}·s)" if process_value else "s"
    gains = {
        "kp": ratio(output, process_value),
        "ki": ratio(output, per_second),
        "kd": ratio(f"{output}·s" if output else "s", process_value),
        "hysteresis": process_value,
    }

    units = {}
    for controller, controller_cls in CONTROLLER_CLASSES.items():
        for name, spec in controller_cls.PARAMS.items():
            if name in controller_cls.OUTPUT_PARAMS:
                unit = display_unit(cls.CONTROL_OUTPUT_UNIT)
            else:
                unit = gains.get(name, spec.unit)
            units[f"controller-{controller}-{name}"] = unit
    return units


def disturbance_units(plant: str) -> dict[str, str]:
    """Return the unit of every disturbance parameter for `plant`, by input id.

    A parameter without a unit of its own (value, mean, amplitude, before,
    after) is a disturbance value, in the plant's disturbance unit.
    """
    unit = display_unit(PLANT_CLASSES[plant].DISTURBANCE_UNIT)
    return {
        f"disturbance-{profile}-{name}": spec.unit or unit
        for profile, specs in PROFILE_SPECS.items()
        for name, spec in specs.items()
    }


def plant_settings(plant: str) -> dict:
    """Return what the page shows for `plant`: units of its values and parameters and its disturbance profiles."""
    cls = PLANT_CLASSES[plant]
    disturbance_unit = display_unit(cls.DISTURBANCE_UNIT)
    meaning = DISTURBANCE_MEANINGS.get(plant, "disturbance")
    return {
        "process_value": cls.PROCESS_VALUE_UNIT,
        "control_output": cls.CONTROL_OUTPUT_UNIT,
        "disturbance": f"{meaning} ({disturbance_unit})" if disturbance_unit else meaning,
        "disturbance_profiles": list(cls.DISTURBANCE_DEFAULTS),
        "parameters": {**controller_units(plant), **disturbance_units(plant)},
    }
