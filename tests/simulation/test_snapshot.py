"""Snapshot contents, serialization and restore checks."""

import json
import math

import pytest

from app.simulation import (
    PLANTS,
    Simulation,
    SimulationConfig,
    Snapshot,
    ValidationError,
    plant_signals,
)
from app.simulation.simulation import STATE_KEYS

from .helpers import run, simulate


@pytest.mark.parametrize("plant", PLANTS)
def test_signals_follow_plant_order(plant):
    snapshot = simulate(1, plant=plant)[0]

    assert list(snapshot.signals) == [signal.name for signal in plant_signals(plant)]


@pytest.mark.parametrize("plant", PLANTS)
def test_snapshot_dict_is_strict_json(plant):
    snapshot = simulate(5, plant=plant, noise_std=0.1, seed=3)[-1]
    text = json.dumps(snapshot.to_dict(), allow_nan=False)

    assert Snapshot.from_dict(json.loads(text)) == snapshot


def test_step_numbers_and_times():
    snapshots = simulate(4, plant="tank", dt=0.25)

    assert [snapshot.step for snapshot in snapshots] == [0, 1, 2, 3]
    assert [snapshot.sim_time for snapshot in snapshots] == [0.0, 0.25, 0.5, 0.75]
    assert [snapshot.state["next_step"] for snapshot in snapshots] == [1, 2, 3, 4]


def test_state_matches_simulation_state():
    simulation = Simulation.from_config(SimulationConfig(plant="first_order"))
    snapshot = run(simulation, 7)[-1]

    assert dict(snapshot.state) == simulation.state()
    assert tuple(snapshot.state) == STATE_KEYS


def test_snapshot_mappings_are_read_only():
    snapshot = simulate(1)[0]

    with pytest.raises(TypeError):
        snapshot.signals["heater_power"] = 0.0
    with pytest.raises(TypeError):
        snapshot.state["setpoint"] = 0.0


def test_to_dict_copies_nested_state():
    snapshot = simulate(1, plant="first_order")[0]
    data = snapshot.to_dict()
    data["state"]["plant"]["pending_inputs"].append(1.0)

    assert len(snapshot.state["plant"]["pending_inputs"]) == 5


def test_from_dict_rejects_non_finite_signal():
    data = simulate(1)[0].to_dict()
    data["signals"]["heater_power"] = math.inf

    with pytest.raises(ValidationError) as error:
        Snapshot.from_dict(data)

    assert error.value.field == "snapshot.signals.heater_power"


def test_fresh_state_starts_at_step_zero():
    simulation = Simulation.from_config(SimulationConfig(plant="tank"))

    assert simulation.next_step == 0
    assert simulation.last_snapshot is None
    assert simulation.state()["next_step"] == 0
    assert simulation.state()["plant"] == {"level": 0.5}


def corrupted_state(edit) -> dict:
    """Return the state after step 3 of a default thermal zone run, changed by ``edit``."""
    state = json.loads(json.dumps(simulate(4)[-1].to_dict()["state"]))
    edit(state)
    return state


INVALID_STATES = [
    (lambda state: state["plant"].update(temperature=float("nan")), "state.plant.temperature"),
    (lambda state: state["plant"].update(temperature="warm"), "state.plant.temperature"),
    (lambda state: state.pop("mode"), "state.mode"),
    (lambda state: state.update(mode="remote"), "state.mode"),
    (lambda state: state.update(extra=1), "state.extra"),
    (lambda state: state.update(next_step=-1), "state.next_step"),
    (lambda state: state.update(next_step=True), "state.next_step"),
    (lambda state: state.update(setpoint=float("inf")), "state.setpoint"),
    (lambda state: state.update(manual_output=99999.0), "state.manual_output"),
    (lambda state: state["controller"].update(type="mpc"), "state.controller.type"),
    (lambda state: state["controller"]["params"].pop("kp"), "state.controller.params.kp"),
    (lambda state: state["controller"]["state"].update(integral=float("nan")), "state.controller.state.integral"),
    (lambda state: state["controller"]["state"].pop("derivative"), "state.controller.state.derivative"),
    (lambda state: state["disturbance"].update(profile="storm"), "state.disturbance.profile"),
]


@pytest.mark.parametrize(("edit", "field"), INVALID_STATES)
def test_restore_rejects_malformed_state(edit, field):
    with pytest.raises(ValidationError) as error:
        Simulation.restore(SimulationConfig(), corrupted_state(edit))

    assert error.value.field == field


def test_restore_rejects_wrong_dead_time_buffer():
    config = SimulationConfig(plant="first_order")
    state = simulate(3, plant="first_order")[-1].to_dict()["state"]
    state["plant"]["pending_inputs"] = [0.0, 0.0]

    with pytest.raises(ValidationError, match="list of 5 inputs") as error:
        Simulation.restore(config, state)

    assert error.value.field == "state.plant.pending_inputs"
