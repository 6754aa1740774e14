"""Numeric parameter specifications and their validation against overrides."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.simulation.checks import check_known_keys, check_mapping, check_number, join_field


@dataclass(frozen=True)
class ParamSpec:
    """Default, allowed range and unit of one numeric parameter."""

    default: float
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    min_exclusive: bool = False
    max_exclusive: bool = False

    def check(self, value: Any, field: str) -> float:
        """Return ``value`` as a float within this range, or raise ValidationError."""
        return check_number(
            value,
            field,
            minimum=self.minimum,
            maximum=self.maximum,
            min_exclusive=self.min_exclusive,
            max_exclusive=self.max_exclusive,
            unit=self.unit,
        )


def check_overrides(specs: Mapping[str, ParamSpec], overrides: Any, prefix: str) -> dict[str, float]:
    """Return the overrides as floats after checking their keys and ranges."""
    overrides = check_mapping(overrides, prefix)
    check_known_keys(overrides, prefix, specs)
    return {name: specs[name].check(value, join_field(prefix, name)) for name, value in overrides.items()}


def resolve_params(specs: Mapping[str, ParamSpec], overrides: Any, prefix: str) -> dict[str, float]:
    """Return every parameter of ``specs``: the checked override where given, else the default."""
    checked = check_overrides(specs, overrides, prefix)
    return {name: checked.get(name, spec.default) for name, spec in specs.items()}
