"""Commands: validation when built, payload round trip and application between steps."""

import json
import math

import pytest

from app.simulation import (
    MAX_SPEED,
    MAX_STEP_COUNT,
    CommandRejected,
    Pause,
    Reset,
    Resume,
    SetController,
    SetDisturbance,
    SetManualOutput,
    SetMode,
    SetSetpoint,
    SetSpeed,
    Simulation,
    SimulationConfig,
    Start,
    Step,
    ValidationError,
    parse_command,
)

from .helpers import simulate

ALL_COMMANDS = [
    SetSetpoint(0.1 + 0.2),
    SetController("pid", {"kp": 1e-17, "ki": 0.3}),
    SetController("on_off"),
    SetMode("manual"),
    SetManualOutput(2.0 / 3.0),
    SetDisturbance("sinusoid", {"amplitude": 1.1, "period": 3600}),
    SetDisturbance("weather", {"start_hour": 4000.5}),
    Start(),
    Start({"plant": "tank", "dt": 0.5}),
    Pause(),
    Resume(),
    Step(),
    Step(MAX_STEP_COUNT),
    Reset({"plant": "first_order"}),
    SetSpeed(0.0),
    SetSpeed(MAX_SPEED),
]


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=lambda command: command.kind)
def test_payload_round_trips_through_json(command):
    payload = json.loads(json.dumps(command.to_payload(), allow_nan=False))

    assert parse_command(command.kind, payload) == command


def test_payload_keeps_floats_exact():
    payload = json.loads(json.dumps(SetSetpoint(0.1 + 0.2).to_payload()))

    assert payload["value"] == 0.30000000000000004


INVALID_COMMANDS = [
    ("setpoint", {"value": math.nan}, "value", "finite number"),
    ("setpoint", {"value": True}, "value", "finite number"),
    ("setpoint", {}, "value", "missing"),
    ("setpoint", {"value": 20.0, "unit": "degC"}, "unit", "'value'"),
    ("controller", {"type": "fuzzy"}, "type", "'pid', 'on_off', 'manual'"),
    ("controller", {"type": "pid", "params": {"kp": -2.0}}, "params.kp", "at least 0"),
    ("controller", {"type": "pid", "params": {"hysteresis": 1.0}}, "params.hysteresis", "'kp'"),
    ("mode", {"mode": "cascade"}, "mode", "'auto', 'manual'"),
    ("output", {"value": math.inf}, "value", "finite number"),
    ("disturbance", {"profile": "gust"}, "profile", "'constant', 'sinusoid', 'step', 'weather'"),
    ("disturbance", {"profile": "sinusoid", "params": {"period": -1.0}}, "params.period", "greater than 0 s"),
    ("disturbance", {"profile": "weather", "params": {"file": 42}}, "params.file", "path"),
    ("step", {"count": 0}, "count", f"from 1 to {MAX_STEP_COUNT}"),
    ("step", {"count": MAX_STEP_COUNT + 1}, "count", f"from 1 to {MAX_STEP_COUNT}"),
    ("step", {"count": 2.0}, "count", "integer"),
    ("speed", {"value": -1.0}, "value", "from 0 to 1e+06"),
    ("speed", {"value": MAX_SPEED * 2}, "value", "from 0 to 1e+06"),
    ("start", {"config": {"dt": -1.0}}, "config.dt", "greater than 0 s"),
    ("reset", {"config": {"plant": "reactor"}}, "config.plant", "'tank'"),
    ("start", {"config": "tank"}, "config", "mapping"),
    ("pause", {"now": True}, "now", "none"),
    ("launch", {}, "kind", "'setpoint'"),
]


@pytest.mark.parametrize(("kind", "payload", "field", "allowed"), INVALID_COMMANDS)
def test_invalid_command_names_field(kind, payload, field, allowed):
    with pytest.raises(ValidationError) as error:
        parse_command(kind, payload)

    assert error.value.field == field
    assert allowed in str(error.value)


def test_payload_must_be_mapping():
    with pytest.raises(ValidationError) as error:
        parse_command("setpoint", [21.0])

    assert error.value.field == "payload"


def test_start_config_is_normalized():
    command = Start({"plant": "tank", "dt": 2})

    assert command.config["dt"] == 2.0
    assert command.config["controller"] == "pid"
    assert command.simulation_config() == SimulationConfig(plant="tank", dt=2.0)


def test_setpoint_applies_to_next_step():
    snapshots = simulate(10, {4: [SetSetpoint(23.5)]}, plant="thermal_zone")

    assert [snapshot.setpoint for snapshot in snapshots[3:5]] == [21.0, 23.5]


def test_setpoint_outside_plant_range_rejected():
    simulation = Simulation.from_config(SimulationConfig(plant="tank"))

    with pytest.raises(CommandRejected, match="from 0 to 2 m") as error:
        simulation.apply(SetSetpoint(2.5))

    assert error.value.field == "value"
    assert simulation.setpoint == 1.0


def test_weather_rejected_for_tank():
    simulation = Simulation.from_config(SimulationConfig(plant="tank"))

    with pytest.raises(CommandRejected, match="'constant', 'sinusoid', 'step'") as error:
        simulation.apply(SetDisturbance("weather"))

    assert error.value.field == "profile"
    assert simulation.disturbance["profile"] == "constant"


def test_disturbance_change_applies_to_next_step():
    snapshots = simulate(
        6,
        {3: [SetDisturbance("constant", {"value": -4.0})]},
        plant="thermal_zone",
        disturbance={"profile": "constant", "params": {"value": 12.0}},
    )

    assert [snapshot.signals["outdoor_temperature"] for snapshot in snapshots] == [12.0] * 3 + [-4.0] * 3


def test_disturbance_params_fill_plant_defaults():
    simulation = Simulation.from_config(SimulationConfig(plant="thermal_zone"))
    simulation.apply(SetDisturbance("sinusoid", {"amplitude": 8.0}))

    assert simulation.disturbance["params"] == {"mean": 10.0, "amplitude": 8.0, "period": 86400.0, "phase": 0.0}


def test_runner_command_rejected_by_simulation():
    simulation = Simulation.from_config(SimulationConfig())

    with pytest.raises(CommandRejected, match="runner"):
        simulation.apply(Pause())


def test_controller_params_merge_with_current():
    simulation = Simulation.from_config(SimulationConfig(controller_params={"kp": 100.0}))
    simulation.apply(SetController("pid", {"ki": 0.2}))

    assert simulation.controller_params["kp"] == 100.0
    assert simulation.controller_params["ki"] == 0.2


def test_new_controller_starts_from_defaults():
    simulation = Simulation.from_config(SimulationConfig(plant="tank"))
    simulation.apply(SetController("on_off", {"hysteresis": 0.2}))

    assert simulation.controller_name == "on_off"
    assert dict(simulation.controller_params) == {"hysteresis": 0.2, "output_on": 1.0, "output_off": 0.0}
