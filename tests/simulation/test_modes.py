"""Manual mode, the manual controller and bumpless transfers."""

import pytest

from app.simulation import (
    CommandRejected,
    SetController,
    SetManualOutput,
    SetMode,
    Simulation,
    SimulationConfig,
)

from .helpers import run, simulate


def test_auto_manual_auto_is_bumpless():
    snapshots = simulate(
        700,
        {300: [SetMode("manual")], 500: [SetMode("auto")]},
        plant="thermal_zone",
        disturbance={"profile": "constant", "params": {"value": 5.0}},
    )

    assert snapshots[299].mode == "auto"
    assert snapshots[300].mode == "manual"
    assert snapshots[300].control_output == snapshots[299].control_output
    assert snapshots[499].control_output == snapshots[300].control_output
    assert snapshots[500].mode == "auto"
    assert snapshots[500].control_output == snapshots[499].control_output


def test_manual_output_held_in_manual_mode():
    snapshots = simulate(
        60,
        {10: [SetMode("manual"), SetManualOutput(0.25)]},
        plant="tank",
    )

    assert all(snapshot.control_output == 0.25 for snapshot in snapshots[10:])
    assert all(snapshot.signals["valve"] == 0.25 for snapshot in snapshots[10:])


def test_return_to_auto_starts_from_manual_output():
    snapshots = simulate(
        40,
        {10: [SetMode("manual"), SetManualOutput(0.25)], 30: [SetMode("auto")]},
        plant="tank",
    )

    assert snapshots[30].control_output == 0.25
    assert snapshots[31].control_output != 0.25


def test_manual_controller_applies_manual_output():
    snapshots = simulate(20, {5: [SetManualOutput(73.0)]}, plant="first_order", controller="manual")

    assert [snapshot.control_output for snapshot in snapshots[:5]] == [0.0] * 5
    assert [snapshot.control_output for snapshot in snapshots[5:]] == [73.0] * 15
    assert snapshots[5].mode == "auto"


def test_switch_to_pid_is_bumpless():
    snapshots = simulate(
        40,
        {0: [SetManualOutput(42.0)], 20: [SetController("pid")]},
        plant="first_order",
        controller="manual",
    )

    assert snapshots[19].control_output == 42.0
    assert snapshots[20].control_output == 42.0
    assert snapshots[21].control_output != 42.0


def test_pid_gain_change_is_bumpless():
    snapshots = simulate(400, {200: [SetController("pid", {"kp": 10.0})]}, plant="first_order")
    params = snapshots[200].state["controller"]["params"]

    assert snapshots[200].control_output == snapshots[199].control_output
    assert params["kp"] == 10.0
    assert params["ki"] == 0.07


def test_switch_to_manual_controller_holds_output():
    snapshots = simulate(30, {20: [SetController("manual")]}, plant="first_order")

    assert snapshots[20].control_output == snapshots[19].control_output


def test_manual_output_rejected_in_auto():
    simulation = Simulation.from_config(SimulationConfig(plant="tank"))

    with pytest.raises(CommandRejected, match="mode=manual") as error:
        simulation.apply(SetManualOutput(0.5))

    assert error.value.field is None


def test_manual_output_outside_actuator_rejected():
    simulation = Simulation.from_config(SimulationConfig(plant="tank"))
    simulation.apply(SetMode("manual"))

    with pytest.raises(CommandRejected, match="from 0 to 1") as error:
        simulation.apply(SetManualOutput(1.5))

    assert error.value.field == "value"
    assert simulation.manual_output == 0.0


def test_rejected_controller_change_keeps_controller():
    simulation = Simulation.from_config(SimulationConfig(plant="thermal_zone"))
    before = simulation.state()

    with pytest.raises(CommandRejected, match="actuator range") as error:
        simulation.apply(SetController("pid", {"output_max": 5000.0}))

    assert error.value.field == "params.output_max"
    assert simulation.state() == before


def test_on_off_follows_hysteresis_rule():
    hysteresis, setpoint = 4.0, 50.0
    snapshots = simulate(
        3000,
        plant="first_order",
        controller="on_off",
        controller_params={"hysteresis": hysteresis, "output_on": 100.0, "output_off": 0.0},
        setpoint=setpoint,
    )

    previous_output = 0.0
    switches = 0
    for snapshot in snapshots:
        pv, output = snapshot.process_value, snapshot.control_output
        if pv < setpoint - hysteresis / 2:
            assert output == 100.0, snapshot.step
        elif pv > setpoint + hysteresis / 2:
            assert output == 0.0, snapshot.step
        else:
            assert output == previous_output, snapshot.step
        switches += output != previous_output
        previous_output = output

    assert switches >= 10


def test_on_off_state_records_switch():
    snapshots = simulate(3, plant="tank", controller="on_off")

    assert snapshots[0].control_output == 1.0
    assert snapshots[0].state["controller"]["state"] == {"on": True}


@pytest.mark.parametrize(("manual_output", "resumed_output"), [(0.9, 1.0), (0.1, 0.0)])
def test_on_off_resumes_nearest_state(manual_output, resumed_output):
    simulation = Simulation.from_config(
        SimulationConfig(plant="tank", controller="on_off", controller_params={"hysteresis": 0.2}, initial={"level": 1.0})
    )
    simulation.apply(SetMode("manual"))
    simulation.apply(SetManualOutput(manual_output))
    run(simulation, 5)
    simulation.apply(SetMode("auto"))
    snapshot = simulation.step()

    # The level is still inside the band of 1 m +- 0.1 m, so the controller
    # keeps the state whose output is nearer to the manual output.
    assert abs(snapshot.process_value - 1.0) < 0.1
    assert snapshot.control_output == resumed_output
