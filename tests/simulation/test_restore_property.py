"""Property: restoring from any snapshot's JSON state continues the run bit for bit."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from app.simulation import (
    CONTROLLERS,
    PLANTS,
    CommandRejected,
    SetController,
    SetDisturbance,
    SetManualOutput,
    SetMode,
    SetSetpoint,
    Simulation,
    SimulationConfig,
)

PID_PARAMS = {
    "kp": st.floats(0.0, 5000.0),
    "ki": st.floats(0.0, 10.0),
    "kd": st.floats(0.0, 5000.0),
    "derivative_filter": st.floats(0.0, 100.0),
    "tracking_time": st.floats(0.1, 1000.0),
}
ON_OFF_PARAMS = {"hysteresis": st.floats(0.0, 10.0)}
DISTURBANCE_PARAMS = {
    "constant": {"value": st.floats(-20.0, 40.0)},
    "sinusoid": {
        "mean": st.floats(-20.0, 40.0),
        "amplitude": st.floats(0.0, 10.0),
        "period": st.floats(1.0, 1e5),
        "phase": st.floats(-7.0, 7.0),
    },
    "step": {"before": st.floats(-20.0, 40.0), "after": st.floats(-20.0, 40.0), "time": st.floats(0.0, 500.0)},
    "weather": {"start_hour": st.floats(0.0, 8759.0)},
}


def scaled(fraction: float, limits: tuple[float, float]) -> float:
    """Return the point at ``fraction`` of the range ``limits``, outside it for fractions outside [0, 1]."""
    low, high = limits
    return low + fraction * (high - low)


@st.composite
def commands(draw, actuator: tuple[float, float], setpoint_limits: tuple[float, float]):
    """Draw one simulation command, sometimes outside the plant's ranges on purpose."""
    kind = draw(st.sampled_from(["setpoint", "controller", "mode", "output", "disturbance"]))

    if kind == "setpoint":
        return SetSetpoint(scaled(draw(st.floats(-0.1, 1.1)), setpoint_limits))

    if kind == "controller":
        controller = draw(st.sampled_from(CONTROLLERS))
        specs = {"pid": PID_PARAMS, "on_off": ON_OFF_PARAMS, "manual": {}}[controller]
        params = draw(st.fixed_dictionaries({}, optional=specs))
        if controller == "pid" and draw(st.booleans()):
            params["output_min"] = scaled(draw(st.floats(-0.1, 0.5)), actuator)
            params["output_max"] = scaled(draw(st.floats(0.4, 1.0)), actuator)
        return SetController(controller, params)

    if kind == "mode":
        return SetMode(draw(st.sampled_from(["auto", "manual"])))

    if kind == "output":
        return SetManualOutput(scaled(draw(st.floats(-0.1, 1.1)), actuator))

    profile = draw(st.sampled_from(list(DISTURBANCE_PARAMS)))
    return SetDisturbance(profile, draw(st.fixed_dictionaries({}, optional=DISTURBANCE_PARAMS[profile])))


def step_with_commands(simulation: Simulation, schedule: dict, until: int) -> list[dict]:
    """Step until next_step == until, applying scheduled commands, and return the snapshot dicts."""
    records = []
    while simulation.next_step < until:
        for command in schedule.get(simulation.next_step, []):
            try:
                simulation.apply(command)
            except CommandRejected:
                pass  # rejected in both runs alike, because the state is the same
        records.append(simulation.step().to_dict())
    return records


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_restore_continues_bit_for_bit(data):
    plant = data.draw(st.sampled_from(PLANTS), label="plant")
    controller = data.draw(st.sampled_from(CONTROLLERS), label="controller")
    param_specs = {"pid": PID_PARAMS, "on_off": ON_OFF_PARAMS, "manual": {}}[controller]
    config = SimulationConfig(
        plant=plant,
        controller=controller,
        controller_params=data.draw(st.fixed_dictionaries({}, optional=param_specs), label="controller_params"),
        dt=data.draw(st.sampled_from([0.1, 0.5, 1.0, 7.0, 60.0]), label="dt"),
        seed=data.draw(st.integers(0, 2**63 - 1), label="seed"),
        noise_std=data.draw(st.sampled_from([0.0, 0.05, 0.3]), label="noise_std"),
    )
    plant_model = config.build_plant()
    low, high = plant_model.setpoint_limits
    setpoint_limits = (-50.0 if low is None else low, 150.0 if high is None else high)

    steps = data.draw(st.integers(1, 200), label="steps")
    cut = data.draw(st.integers(0, steps - 1), label="cut")
    schedule: dict[int, list] = {}
    for at, command in data.draw(
        st.lists(st.tuples(st.integers(0, steps), commands(plant_model.actuator_limits, setpoint_limits)), max_size=12),
        label="commands",
    ):
        schedule.setdefault(at, []).append(command)

    uninterrupted = step_with_commands(Simulation.from_config(config), schedule, steps)

    stored_config = json.loads(json.dumps(config.to_dict(), allow_nan=False))
    stored_state = json.loads(json.dumps(uninterrupted[cut]["state"], allow_nan=False))
    restored = Simulation.restore(SimulationConfig.from_dict(stored_config), stored_state)

    assert restored.next_step == cut + 1
    assert restored.state() == uninterrupted[cut]["state"]
    # Compare the JSON text, because repr distinguishes -0.0 from 0.0 and == does not.
    continued = step_with_commands(restored, schedule, steps)
    assert json.dumps(continued) == json.dumps(uninterrupted[cut + 1 :])
