"""Immutable record of one simulation step."""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from app.simulation.checks import check_choice, check_int, check_known_keys, check_mapping, check_number, join_field
from app.simulation.errors import ValidationError

MODES = ("auto", "manual")
_FIELDS = ("step", "sim_time", "setpoint", "process_value", "control_output", "signals", "state", "mode")


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Values of step ``step`` at sim_time = step*dt, and the state after the step.

    ``signals`` contains every plant signal in plant_signals() order. ``state``
    is what Simulation.restore needs to continue with step + 1, bit for bit.
    Both are read-only views of dicts that belong to this snapshot alone.
    """

    step: int
    sim_time: float  # s
    setpoint: float
    process_value: float  # measured, so with noise when noise_std > 0
    control_output: float
    signals: Mapping[str, float]
    state: Mapping[str, Any]
    mode: str  # "auto" or "manual"

    def to_dict(self) -> dict[str, Any]:
        """Return a new JSON-able dict, which json.dumps(allow_nan=False) accepts with floats exact."""
        return {
            "step": self.step,
            "sim_time": self.sim_time,
            "setpoint": self.setpoint,
            "process_value": self.process_value,
            "control_output": self.control_output,
            "signals": dict(self.signals),
            "state": _copy_json(self.state),
            "mode": self.mode,
        }

    @classmethod
    def from_dict(cls, data: Any) -> "Snapshot":
        """Build a snapshot from a to_dict() result, checking types and finiteness.

        The state is checked only for JSON types here. Simulation.restore
        checks its content.
        :raises ValidationError: naming the invalid field.
        """
        data = check_mapping(data, "snapshot")
        check_known_keys(data, "snapshot", _FIELDS)
        for name in _FIELDS:
            if name not in data:
                field = join_field("snapshot", name)
                raise ValidationError(field, f"{field} is missing from the snapshot dict.")

        signals = check_mapping(data["signals"], "snapshot.signals")
        state = check_mapping(data["state"], "snapshot.state")
        return cls(
            step=check_int(data["step"], "snapshot.step", minimum=0),
            sim_time=check_number(data["sim_time"], "snapshot.sim_time", minimum=0.0, unit="s"),
            setpoint=check_number(data["setpoint"], "snapshot.setpoint"),
            process_value=check_number(data["process_value"], "snapshot.process_value"),
            control_output=check_number(data["control_output"], "snapshot.control_output"),
            signals=MappingProxyType(
                {name: check_number(value, f"snapshot.signals.{name}") for name, value in signals.items()}
            ),
            state=MappingProxyType(_checked_json(state, "snapshot.state")),
            mode=check_choice(data["mode"], "snapshot.mode", MODES),
        )


def _copy_json(value: Any) -> Any:
    """Return a deep copy of nested dicts and lists, as the state contains them.

    Exact type checks instead of isinstance(Mapping) keep to_dict() cheap,
    because the runner calls it for every step.
    """
    kind = type(value)
    if kind is dict or kind is MappingProxyType:
        return {key: _copy_json(item) for key, item in value.items()}
    if kind is list:
        return [_copy_json(item) for item in value]
    return value


def _checked_json(value: Any, field: str) -> Any:
    """Return a plain copy of ``value`` after checking it holds only JSON types and finite numbers."""
    if isinstance(value, Mapping):
        return {key: _checked_json(item, join_field(field, str(key))) for key, item in check_mapping(value, field).items()}
    if isinstance(value, list | tuple):
        return [_checked_json(item, f"{field}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(field, f"{field} must be a finite number, got {value!r}.")
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise ValidationError(field, f"{field} must be a JSON value, got {value!r} of type {type(value).__name__}.")
