"""The simulation loop: measure, control, record, advance."""

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from app.simulation.checks import check_choice, check_int, check_known_keys, check_mapping, check_number, check_required_keys
from app.simulation.commands import SetController, SetDisturbance, SetManualOutput, SetMode, SetSetpoint
from app.simulation.config import SimulationConfig, check_setpoint
from app.simulation.controllers import CONTROLLERS, controller_class, resolve_controller_params
from app.simulation.controllers.base import Controller
from app.simulation.disturbances import disturbance_function, resolve_disturbance, resolve_disturbance_mapping
from app.simulation.errors import CommandRejected, NonFiniteResult, ValidationError
from app.simulation.noise import standard_normal
from app.simulation.plants.base import Plant
from app.simulation.snapshot import MODES, Snapshot

STATE_KEYS = ("next_step", "plant", "controller", "setpoint", "mode", "manual_output", "last_output", "disturbance")
_CONTROLLER_KEYS = ("type", "params", "state")


class Simulation:
    """One run of a plant under a controller, advanced one step of dt at a time.

    step() produces the record of step k: it measures the PV at sim_time =
    k*dt (plant output plus noise(seed, k)), computes the control output,
    records the snapshot and then advances the plant to (k+1)*dt with the
    control output and the disturbance at k*dt held. Commands applied with
    apply() between steps k-1 and k act on record k.

    The state contains everything needed to continue: restore(config, state)
    followed by step() gives bit-identical snapshots to the uninterrupted run.
    """

    def __init__(
        self,
        config: SimulationConfig,
        plant: Plant,
        controller_name: str,
        controller: Controller,
        setpoint: float,
        disturbance: Mapping[str, Any],
    ) -> None:
        self.config = config
        self.next_step = 0
        self.last_snapshot: Snapshot | None = None

        self._plant = plant
        self._dt = config.dt
        self._seed = config.seed
        self._noise_std = config.noise_std
        self._signal_names = tuple(signal.name for signal in plant.SIGNALS)

        self._controller_name = controller_name
        self._controller = controller
        self._setpoint = setpoint
        self._mode = "auto"
        low, _ = plant.actuator_limits
        self._manual_output = low
        self._last_output = low  # output held during the last advance, actuator minimum before step 0
        self._disturbance = disturbance
        self._disturbance_at = disturbance_function(disturbance["profile"], disturbance["params"])

    @classmethod
    def from_config(cls, config: SimulationConfig) -> "Simulation":
        """Start a new run from ``config``, whose next step is 0."""
        controller = controller_class(config.controller)(config.resolved_controller_params, config.dt)
        return cls(
            config,
            config.build_plant(),
            config.controller,
            controller,
            config.resolved_setpoint,
            config.resolved_disturbance,
        )

    @classmethod
    def restore(cls, config: SimulationConfig, state: Any) -> "Simulation":
        """Continue a run from a snapshot's state with the config it ran under.

        Setpoint, mode, controller and disturbance come from the state, since
        commands may have changed them. The next step is state["next_step"].
        last_snapshot is None until the next step.
        :raises ValidationError: on a malformed or non-finite state, with the field "state.<path>".
        """
        state = check_mapping(state, "state")
        check_known_keys(state, "state", STATE_KEYS)
        check_required_keys(state, "state", STATE_KEYS)

        plant = config.build_plant()
        plant.load_state(state["plant"], "state.plant")
        controller_name, controller = _restore_controller(state["controller"], plant, config.dt)
        disturbance = resolve_disturbance_mapping(plant.DISTURBANCE_DEFAULTS, state["disturbance"], "state.disturbance")

        simulation = cls(
            config,
            plant,
            controller_name,
            controller,
            check_setpoint(state["setpoint"], plant, "state.setpoint"),
            disturbance,
        )
        low, high = plant.actuator_limits
        unit = plant.CONTROL_OUTPUT_UNIT
        simulation.next_step = check_int(state["next_step"], "state.next_step", minimum=0)
        simulation._mode = check_choice(state["mode"], "state.mode", MODES)
        simulation._manual_output = check_number(
            state["manual_output"], "state.manual_output", minimum=low, maximum=high, unit=unit
        )
        simulation._last_output = check_number(
            state["last_output"], "state.last_output", minimum=low, maximum=high, unit=unit
        )
        return simulation

    @property
    def mode(self) -> str:
        """Return "auto" or "manual"."""
        return self._mode

    @property
    def setpoint(self) -> float:
        return self._setpoint

    @property
    def controller_name(self) -> str:
        return self._controller_name

    @property
    def controller_params(self) -> Mapping[str, Any]:
        return MappingProxyType(self._controller.params)

    @property
    def manual_output(self) -> float:
        return self._manual_output

    @property
    def disturbance(self) -> Mapping[str, Any]:
        """Return the current disturbance spec {"profile", "params"}."""
        return MappingProxyType(self._disturbance)

    @property
    def plant(self) -> Plant:
        return self._plant

    def step(self) -> Snapshot:
        """Compute and return the record of step next_step, then advance the plant by dt."""
        step = self.next_step
        sim_time = step * self._dt
        plant = self._plant

        process_value = plant.output()
        if self._noise_std:
            process_value += self._noise_std * standard_normal(self._seed, step)

        if self._mode == "manual":
            control_output = self._manual_output
            self._controller.track(self._setpoint, process_value, control_output)
        elif self._controller_name == "manual":
            control_output = self._manual_output
        else:
            control_output = self._controller.compute(self._setpoint, process_value)

        disturbance = self._disturbance_at(sim_time)
        signals = dict(zip(self._signal_names, plant.signal_values(control_output, disturbance)))
        plant.advance(control_output, disturbance)
        self._last_output = control_output
        self.next_step = step + 1

        state = self.state()
        _check_finite(step, process_value, control_output, signals, state)
        snapshot = Snapshot(
            step,
            sim_time,
            self._setpoint,
            process_value,
            control_output,
            MappingProxyType(signals),
            MappingProxyType(state),
            self._mode,
        )
        self.last_snapshot = snapshot
        return snapshot

    def state(self) -> dict[str, Any]:
        """Return a new JSON-able dict of the state that the next step starts from."""
        return {
            "next_step": self.next_step,
            "plant": self._plant.state_dict(),
            "controller": {
                "type": self._controller_name,
                "params": dict(self._controller.params),
                "state": self._controller.state_dict(),
            },
            "setpoint": self._setpoint,
            "mode": self._mode,
            "manual_output": self._manual_output,
            "last_output": self._last_output,
            "disturbance": {"profile": self._disturbance["profile"], "params": dict(self._disturbance["params"])},
        }

    def apply(self, command: Any) -> None:
        """Apply a simulation command before the next step, entirely or not at all.

        :raises CommandRejected: when the command does not fit the current
            state, for example a setpoint outside the plant's range or a
            manual output in auto mode. Runner commands are rejected too.
        """
        handler = _HANDLERS.get(type(command))
        if handler is None:
            kind = getattr(command, "kind", type(command).__name__)
            raise CommandRejected(
                f"The command {kind!r} is not a simulation command. Send it to the runner instead."
            )
        handler(self, command)

    def _apply_setpoint(self, command: SetSetpoint) -> None:
        try:
            setpoint = check_setpoint(command.value, self._plant, "value")
        except ValidationError as error:
            raise CommandRejected(str(error), error.field) from error
        self._setpoint = setpoint

    def _apply_controller(self, command: SetController) -> None:
        same_type = command.type == self._controller_name
        base = self._controller.params if same_type else None
        try:
            params = resolve_controller_params(command.type, command.params, self._plant, "params", base)
        except ValidationError as error:
            raise CommandRejected(str(error), error.field) from error

        controller = controller_class(command.type)(params, self._dt)
        if same_type:
            controller.load_state(self._controller.state_dict(), "controller.state")

        # Keep the output continuous: a new controller, or new PID gains,
        # start from the output held now. An unchanged on-off state stays.
        if self._mode == "auto" and (not same_type or command.type == "pid"):
            controller.start_from(self._last_output)

        manual_output = self._manual_output
        if command.type == "manual" and not same_type and self._mode == "auto":
            manual_output = self._last_output

        self._controller_name = command.type
        self._controller = controller
        self._manual_output = manual_output

    def _apply_mode(self, command: SetMode) -> None:
        if command.mode == self._mode:
            return

        if command.mode == "manual":
            # The manual controller already applies the manual output, which
            # may have been set since the last step.
            if self._controller_name != "manual":
                self._manual_output = self._last_output
        else:
            self._controller.start_from(self._manual_output)
        self._mode = command.mode

    def _apply_manual_output(self, command: SetManualOutput) -> None:
        if self._mode == "auto" and self._controller_name != "manual":
            raise CommandRejected(
                f"The manual output applies only in manual mode or with the manual controller, "
                f"but the mode is auto with the {self._controller_name} controller. Send mode=manual first."
            )

        low, high = self._plant.actuator_limits
        if not low <= command.value <= high:
            unit = self._plant.CONTROL_OUTPUT_UNIT
            suffix = f" {unit}" if unit and unit != "1" else ""
            raise CommandRejected(
                f"value must be within the actuator range of the {self._plant.NAME} plant, "
                f"from {low:g} to {high:g}{suffix}, got {command.value!r}.",
                "value",
            )
        self._manual_output = command.value

    def _apply_disturbance(self, command: SetDisturbance) -> None:
        try:
            spec = resolve_disturbance(
                self._plant.DISTURBANCE_DEFAULTS, command.profile, command.params, "profile", "params"
            )
        except ValidationError as error:
            raise CommandRejected(str(error), error.field) from error

        self._disturbance_at = disturbance_function(spec["profile"], spec["params"])
        self._disturbance = spec


_HANDLERS = {
    SetSetpoint: Simulation._apply_setpoint,
    SetController: Simulation._apply_controller,
    SetMode: Simulation._apply_mode,
    SetManualOutput: Simulation._apply_manual_output,
    SetDisturbance: Simulation._apply_disturbance,
}


def _restore_controller(data: Any, plant: Plant, dt: float) -> tuple[str, Controller]:
    """Return the controller name and instance stored in state["controller"]."""
    data = check_mapping(data, "state.controller")
    check_known_keys(data, "state.controller", _CONTROLLER_KEYS)
    check_required_keys(data, "state.controller", _CONTROLLER_KEYS)

    name = check_choice(data["type"], "state.controller.type", CONTROLLERS)
    cls = controller_class(name)
    check_required_keys(check_mapping(data["params"], "state.controller.params"), "state.controller.params", cls.PARAMS)
    params = resolve_controller_params(name, data["params"], plant, "state.controller.params")

    controller = cls(params, dt)
    controller.load_state(data["state"], "state.controller.state")
    return name, controller


def _check_finite(step: int, process_value: float, control_output: float, signals: dict, state: dict) -> None:
    """Raise NonFiniteResult when a value of the step overflowed.

    The plant and controller states are checked down to their top-level
    numbers. A dead-time buffer holds only past control outputs, which were
    checked at their own step. The sum of all values is finite whenever
    every value is, so the names are only looked for when it is not. A sum
    that overflows from huge but finite values then finds nothing to raise.
    """
    plant_state = state["plant"]
    controller_state = state["controller"]["state"]
    total = process_value + control_output + sum(signals.values())
    for value in (*plant_state.values(), *controller_state.values()):
        if value.__class__ is float:
            total += value

    if math.isfinite(total):
        return

    values = {"process_value": process_value, "control_output": control_output, **signals}
    values.update((f"state.plant.{name}", value) for name, value in plant_state.items())
    values.update((f"state.controller.state.{name}", value) for name, value in controller_state.items())
    for name, value in values.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise NonFiniteResult(
                f"step {step} produced {name} = {value}: the plant or controller parameters make the "
                "arithmetic overflow. Reset the run with smaller gains, noise or disturbance values."
            )
