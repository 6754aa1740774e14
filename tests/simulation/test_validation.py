"""Invalid configs raise ValidationError naming the field and the allowed values."""

import math

import pytest

from app.simulation import SimulationConfig, ValidationError

INVALID_CONFIGS = [
    ({"dt": -1.0}, "dt", "greater than 0"),
    ({"dt": 0}, "dt", "greater than 0"),
    ({"dt": math.inf}, "dt", "finite"),
    ({"dt": "1"}, "dt", "finite number"),
    ({"plant": "boiler"}, "plant", "'thermal_zone', 'tank', 'first_order'"),
    ({"controller": "mpc"}, "controller", "'pid', 'on_off', 'manual'"),
    ({"setpoint": math.nan}, "setpoint", "finite number"),
    ({"setpoint": True}, "setpoint", "finite number"),
    ({"setpoint": 500.0}, "setpoint", "from -60 to 100 degC"),
    ({"plant": "tank", "setpoint": 3.0}, "setpoint", "from 0 to 2 m"),
    ({"seed": -1}, "seed", "from 0 to"),
    ({"seed": 2**63}, "seed", "from 0 to 9223372036854775807"),
    ({"seed": 1.5}, "seed", "integer"),
    ({"seed": True}, "seed", "integer"),
    ({"noise_std": -0.1}, "noise_std", "at least 0"),
    ({"plant_params": {"resistance": -0.02}}, "plant_params.resistance", "greater than 0 K/W"),
    ({"plant_params": {"volume": 3.0}}, "plant_params.volume", "'resistance', 'capacitance', 'max_power'"),
    ({"plant_params": {"max_power": False}}, "plant_params.max_power", "finite number"),
    (
        {"plant": "first_order", "plant_params": {"time_constant": -5.0}},
        "plant_params.time_constant",
        "greater than 0 s",
    ),
    (
        {"plant": "first_order", "plant_params": {"input_min": 100.0, "input_max": 0.0}},
        "plant_params.input_min",
        "less than input_max",
    ),
    (
        {"plant": "first_order", "plant_params": {"dead_time": 2000.0}},
        "plant_params.dead_time",
        "at most 1000 steps",
    ),
    ({"controller_params": {"kp": -1.0}}, "controller_params.kp", "at least 0"),
    ({"controller_params": {"ki": math.nan}}, "controller_params.ki", "finite number"),
    ({"controller_params": {"gain": 1.0}}, "controller_params.gain", "'kp', 'ki', 'kd'"),
    (
        {"controller_params": {"output_min": 2000.0, "output_max": 1000.0}},
        "controller_params.output_min",
        "less than output_max",
    ),
    (
        {"controller_params": {"output_max": 5000.0}},
        "controller_params.output_max",
        "from 0 to 3000 W",
    ),
    ({"controller_params": {"tracking_time": 0.0}}, "controller_params.tracking_time", "greater than 0 s"),
    (
        {"controller": "on_off", "controller_params": {"hysteresis": -1.0}},
        "controller_params.hysteresis",
        "at least 0",
    ),
    (
        {"controller": "manual", "controller_params": {"kp": 1.0}},
        "controller_params.kp",
        "Allowed keys: none",
    ),
    ({"initial": {"temperature": 400.0}}, "initial.temperature", "from -60 to 100 degC"),
    ({"plant": "tank", "initial": {"level": 2.5}}, "initial.level", "from 0 to 2 m"),
    ({"disturbance": {"profile": "storm"}}, "disturbance.profile", "'constant', 'sinusoid', 'step', 'weather'"),
    ({"plant": "tank", "disturbance": {"profile": "weather"}}, "disturbance.profile", "'constant', 'sinusoid', 'step'"),
    (
        {"disturbance": {"profile": "sinusoid", "params": {"period": 0.0}}},
        "disturbance.params.period",
        "greater than 0 s",
    ),
    (
        {"disturbance": {"profile": "sinusoid", "params": {"amplitude": -1.0}}},
        "disturbance.params.amplitude",
        "at least 0",
    ),
    (
        {"disturbance": {"profile": "weather", "params": {"start_hour": 8760.0}}},
        "disturbance.params.start_hour",
        "less than 8760 h",
    ),
    ({"disturbance": {"profile": "constant", "params": {"level": 1.0}}}, "disturbance.params.level", "'value'"),
    ({"disturbance": {"params": {}}}, "disturbance.profile", "missing"),
    ({"disturbance": "weather"}, "disturbance", "mapping"),
]


@pytest.mark.parametrize(("kwargs", "field", "allowed"), INVALID_CONFIGS)
def test_invalid_config_names_field(kwargs, field, allowed):
    with pytest.raises(ValidationError) as error:
        SimulationConfig(**kwargs)

    assert error.value.field == field
    assert field in str(error.value)
    assert allowed in str(error.value)


def test_error_message_names_value():
    with pytest.raises(ValidationError) as error:
        SimulationConfig(dt=-2.5)

    assert str(error.value) == "dt must be a finite number greater than 0 s and at most 86400 s, got -2.5."


def test_from_dict_rejects_unknown_key():
    with pytest.raises(ValidationError) as error:
        SimulationConfig.from_dict({"plant": "tank", "speed": 60})

    assert error.value.field == "speed"
    assert "'noise_std'" in str(error.value)


def test_from_dict_rejects_non_mapping():
    with pytest.raises(ValidationError) as error:
        SimulationConfig.from_dict(["tank"])

    assert error.value.field == "config"


def test_config_round_trips_through_dict():
    config = SimulationConfig(
        plant="tank",
        plant_params={"area": 2, "height": 3.0},
        controller="on_off",
        controller_params={"hysteresis": 0.1},
        dt=0.1 + 0.2,
        seed=2**63 - 1,
        setpoint=1.25,
        disturbance={"profile": "sinusoid", "params": {"amplitude": 0.002}},
        noise_std=0.01,
        initial={"level": 0.3},
    )

    assert SimulationConfig.from_dict(config.to_dict()) == config
    assert config.to_dict()["dt"] == 0.1 + 0.2
    assert config.to_dict()["plant_params"] == {"area": 2.0, "height": 3.0}


def test_default_config_is_valid():
    config = SimulationConfig()

    assert config.plant == "thermal_zone"
    assert config.resolved_setpoint == 21.0
    assert config.resolved_disturbance["profile"] == "weather"


def test_config_is_hashable():
    assert hash(SimulationConfig(plant="tank")) == hash(SimulationConfig(plant="tank"))
