"""Fields and units of the controller and disturbance panels, without a browser."""

import pytest

from app.dashboard.parameters import controller_fields, disturbance_fields, plant_settings
from app.simulation.controllers import CONTROLLER_CLASSES
from app.simulation.disturbances import PROFILE_SPECS
from app.simulation.plants import PLANT_CLASSES


def test_controller_fields_follow_registry():
    fields = controller_fields()

    assert list(fields) == list(CONTROLLER_CLASSES)
    assert [field.name for field in fields["pid"]] == [
        "kp", "ki", "kd", "output_min", "output_max", "derivative_filter", "tracking_time",
    ]
    assert [field.name for field in fields["on_off"]] == ["hysteresis", "output_on", "output_off"]
    assert fields["manual"] == []


def test_disturbance_fields_follow_registry():
    fields = disturbance_fields()

    assert list(fields) == list(PROFILE_SPECS)
    assert [field.name for field in fields["constant"]] == ["value"]
    assert [field.name for field in fields["sinusoid"]] == ["mean", "amplitude", "period", "phase"]
    assert [field.name for field in fields["step"]] == ["before", "after", "time"]
    assert [(field.name, field.text) for field in fields["weather"]] == [("start_hour", False), ("file", True)]


def test_input_ids_are_unique():
    groups = [*controller_fields().values(), *disturbance_fields().values()]
    ids = [field.input_id for fields in groups for field in fields]

    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("plant", "expected"),
    [
        (
            "thermal_zone",
            {"kp": "W/°C", "ki": "W/(°C·s)", "kd": "W·s/°C", "output_max": "W", "tracking_time": "s", "hysteresis": "°C"},
        ),
        ("tank", {"kp": "1/m", "ki": "1/(m·s)", "kd": "s/m", "output_max": "fraction", "hysteresis": "m"}),
        ("first_order", {"kp": "%", "ki": "%/s", "kd": "%·s", "output_max": "%", "hysteresis": ""}),
    ],
)
def test_controller_units_per_plant(plant, expected):
    units = plant_settings(plant)["parameters"]

    for name, unit in expected.items():
        controller = "on_off" if name == "hysteresis" else "pid"
        assert units[f"controller-{controller}-{name}"] == unit, name


@pytest.mark.parametrize(
    ("plant", "value_unit", "meaning"),
    [
        ("thermal_zone", "°C", "outdoor temperature (°C)"),
        ("tank", "m3/s", "extra inflow (m3/s)"),
        ("first_order", "", "load"),
    ],
)
def test_disturbance_units_per_plant(plant, value_unit, meaning):
    settings = plant_settings(plant)
    units = settings["parameters"]

    assert settings["disturbance"] == meaning
    for name in ("constant-value", "sinusoid-mean", "sinusoid-amplitude", "step-before", "step-after"):
        assert units[f"disturbance-{name}"] == value_unit, name
    assert units["disturbance-sinusoid-period"] == "s"
    assert units["disturbance-sinusoid-phase"] == "rad"
    assert units["disturbance-step-time"] == "s"
    assert units["disturbance-weather-start_hour"] == "h"


def test_disturbance_profiles_per_plant():
    for plant, cls in PLANT_CLASSES.items():
        assert plant_settings(plant)["disturbance_profiles"] == list(cls.DISTURBANCE_DEFAULTS), plant

    assert "weather" not in plant_settings("tank")["disturbance_profiles"]
