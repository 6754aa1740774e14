"""Commands: requests to change a simulation or its runner, validated when built.

Simulation commands are applied by Simulation.apply between two steps.
Runner commands are only validated here, and the runner executes them.
Every command converts to a JSON-able payload and back with
parse_command(command.kind, command.to_payload()) == command.
"""

import copy
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from types import MappingProxyType
from typing import Any, ClassVar

from app.simulation.checks import check_choice, check_int, check_known_keys, check_mapping, check_number
from app.simulation.config import SimulationConfig
from app.simulation.controllers import CONTROLLERS, check_controller_overrides
from app.simulation.disturbances import PROFILES, check_profile_params
from app.simulation.errors import ValidationError
from app.simulation.snapshot import MODES

MAX_STEP_COUNT = 10_000
MAX_SPEED = 1e6  # simulated seconds per wall-clock second


class _Command:
    """Base of all commands: payload conversion."""

    kind: ClassVar[str]

    def to_payload(self) -> dict[str, Any]:
        """Return the fields as a JSON-able dict."""
        payload = {}
        for item in fields(self):
            value = getattr(self, item.name)
            payload[item.name] = _plain(value)
        return payload


@dataclass(frozen=True)
class SetSetpoint(_Command):
    """Set the setpoint, in PV units. The plant's setpoint range is checked when applied."""

    kind: ClassVar[str] = "setpoint"
    value: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", check_number(self.value, "value"))


@dataclass(frozen=True)
class SetController(_Command):
    """Switch to the controller ``type`` or change its parameters.

    ``params`` override the current parameters when ``type`` is the current
    controller, and the plant's defaults otherwise. The output limits are
    checked against the actuator range when applied.
    """

    kind: ClassVar[str] = "controller"
    type: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        controller = check_choice(self.type, "type", CONTROLLERS)
        params = check_controller_overrides(controller, self.params, "params")
        object.__setattr__(self, "params", MappingProxyType(params))


@dataclass(frozen=True)
class SetMode(_Command):
    """Switch between "auto" (the controller acts) and "manual" (the manual output acts), bumpless both ways."""

    kind: ClassVar[str] = "mode"
    mode: str

    def __post_init__(self) -> None:
        check_choice(self.mode, "mode", MODES)


@dataclass(frozen=True)
class SetManualOutput(_Command):
    """Set the manual output, in control output units, for manual mode or the manual controller."""

    kind: ClassVar[str] = "output"
    value: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", check_number(self.value, "value"))


@dataclass(frozen=True)
class SetDisturbance(_Command):
    """Switch the disturbance profile, with ``params`` overriding the plant's defaults for it."""

    kind: ClassVar[str] = "disturbance"
    profile: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        profile = check_choice(self.profile, "profile", PROFILES)
        params = check_profile_params(profile, self.params, "params")
        object.__setattr__(self, "params", MappingProxyType(params))


@dataclass(frozen=True)
class _RunCommand(_Command):
    """A command that begins a run, with ``config`` (a SimulationConfig dict) if given."""

    config: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "config", _normalize_config(self.config))

    def simulation_config(self) -> SimulationConfig | None:
        """Return the config of the new run, or None to keep the current one."""
        return None if self.config is None else SimulationConfig.from_dict(self.config)


@dataclass(frozen=True)
class Start(_RunCommand):
    """Start the simulation, as a new run with ``config`` (a SimulationConfig dict) if given."""

    kind: ClassVar[str] = "start"


@dataclass(frozen=True)
class Pause(_Command):
    """Stop stepping until Resume."""

    kind: ClassVar[str] = "pause"


@dataclass(frozen=True)
class Resume(_Command):
    """Continue stepping after Pause."""

    kind: ClassVar[str] = "resume"


@dataclass(frozen=True)
class Step(_Command):
    """Advance by ``count`` steps, from 1 to MAX_STEP_COUNT, then pause."""

    kind: ClassVar[str] = "step"
    count: int = 1

    def __post_init__(self) -> None:
        check_int(self.count, "count", minimum=1, maximum=MAX_STEP_COUNT)


@dataclass(frozen=True)
class Reset(_RunCommand):
    """Restart from step 0, with ``config`` (a SimulationConfig dict) if given, else the current config."""

    kind: ClassVar[str] = "reset"


@dataclass(frozen=True)
class SetSpeed(_Command):
    """Set the pace in simulated seconds per wall-clock second, where 0 means as fast as possible."""

    kind: ClassVar[str] = "speed"
    value: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", check_number(self.value, "value", minimum=0.0, maximum=MAX_SPEED))


SimulationCommand = SetSetpoint | SetController | SetMode | SetManualOutput | SetDisturbance
RunnerCommand = Start | Pause | Resume | Step | Reset | SetSpeed
Command = SimulationCommand | RunnerCommand

COMMAND_CLASSES: dict[str, type[_Command]] = {
    cls.kind: cls
    for cls in (
        SetSetpoint,
        SetController,
        SetMode,
        SetManualOutput,
        SetDisturbance,
        Start,
        Pause,
        Resume,
        Step,
        Reset,
        SetSpeed,
    )
}
COMMAND_KINDS: tuple[str, ...] = tuple(COMMAND_CLASSES)


def parse_command(kind: Any, payload: Any) -> Command:
    """Build the command of ``kind`` from its payload, as to_payload() returns it.

    :raises ValidationError: for an unknown kind, an unknown or missing
        payload key, or an invalid value.
    """
    cls = COMMAND_CLASSES[check_choice(kind, "kind", COMMAND_KINDS)]
    payload = check_mapping(payload, "payload")
    names = [item.name for item in fields(cls)]
    check_known_keys(payload, "", names)

    for item in fields(cls):
        if item.default is MISSING and item.default_factory is MISSING and item.name not in payload:
            raise ValidationError(item.name, f"{item.name} is missing from the {kind!r} command payload.")

    return cls(**payload)


def _normalize_config(config: Any) -> dict[str, Any] | None:
    """Return the config dict of a Start or Reset command in to_dict() form, after validating it."""
    if config is None:
        return None

    try:
        return SimulationConfig.from_dict(config).to_dict()
    except ValidationError as error:
        field_path = "config" if error.field in ("", "config") else f"config.{error.field}"
        raise ValidationError(field_path, f"Invalid config: {error}") from error


def _plain(value: Any) -> Any:
    """Return ``value`` with read-only mappings turned into new plain dicts."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    return copy.deepcopy(value)
