"""Check and convert input values, raising ValidationError with the field path."""

import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

from app.simulation.errors import ValidationError


def join_field(prefix: str, name: str) -> str:
    """Return the dotted field path ``prefix.name``, or ``name`` without a prefix."""
    return f"{prefix}.{name}" if prefix else name


def describe_range(
    minimum: float | None,
    maximum: float | None,
    *,
    min_exclusive: bool = False,
    max_exclusive: bool = False,
    unit: str = "",
) -> str:
    """Return the allowed range as words, for example "greater than 0 s"."""
    suffix = f" {unit}" if unit and unit != "1" else ""
    if minimum is not None and maximum is not None and not (min_exclusive or max_exclusive):
        return f"from {_format(minimum)} to {_format(maximum)}{suffix}"

    parts = []
    if minimum is not None:
        word = "greater than" if min_exclusive else "at least"
        parts.append(f"{word} {_format(minimum)}{suffix}")
    if maximum is not None:
        word = "less than" if max_exclusive else "at most"
        parts.append(f"{word} {_format(maximum)}{suffix}")
    return " and ".join(parts)


def _format(number: float) -> str:
    """Return an int in full and a float in its shortest form, without a trailing ".0"."""
    if isinstance(number, int):
        return str(number)
    return f"{number:g}" if abs(number) < 1e15 else repr(number)


def check_number(
    value: Any,
    field: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    min_exclusive: bool = False,
    max_exclusive: bool = False,
    unit: str = "",
) -> float:
    """Return ``value`` as a finite float within the range.

    Bools are rejected although Python counts them as ints, because a JSON
    ``true`` in a number field is a client bug, not the number 1.
    """
    limits = describe_range(
        minimum, maximum, min_exclusive=min_exclusive, max_exclusive=max_exclusive, unit=unit
    )
    requirement = "a finite number" + (f" {limits}" if limits else "")

    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValidationError(field, f"{field} must be {requirement}, got {value!r}.")

    try:
        number = float(value)
    except OverflowError:
        raise ValidationError(field, f"{field} must be {requirement}, got {value!r}.") from None

    too_low = minimum is not None and (number <= minimum if min_exclusive else number < minimum)
    too_high = maximum is not None and (number >= maximum if max_exclusive else number > maximum)
    if not math.isfinite(number) or too_low or too_high:
        raise ValidationError(field, f"{field} must be {requirement}, got {value!r}.")

    return number


def check_int(value: Any, field: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an int within [minimum, maximum], rejecting bools and floats."""
    limits = describe_range(minimum, maximum)
    requirement = "an integer" + (f" {limits}" if limits else "")

    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValidationError(field, f"{field} must be {requirement}, got {value!r}.")

    number = int(value)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ValidationError(field, f"{field} must be {requirement}, got {value!r}.")

    return number


def check_choice(value: Any, field: str, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of the allowed strings."""
    allowed = tuple(choices)
    if not isinstance(value, str) or value not in allowed:
        names = ", ".join(repr(choice) for choice in allowed)
        raise ValidationError(field, f"{field} must be one of {names}, got {value!r}.")
    return value


def check_mapping(value: Any, field: str) -> Mapping:
    """Return ``value`` if it is a mapping with string keys."""
    if not isinstance(value, Mapping):
        raise ValidationError(field, f"{field} must be a mapping (JSON object), got {value!r}.")

    for key in value:
        if not isinstance(key, str):
            raise ValidationError(field, f"{field} must have string keys, got the key {key!r}.")

    return value


def check_known_keys(mapping: Mapping, prefix: str, allowed: Iterable[str]) -> None:
    """Raise ValidationError naming the first key of ``mapping`` not in ``allowed``."""
    allowed = tuple(allowed)
    for key in mapping:
        if key not in allowed:
            field = join_field(prefix, key)
            names = ", ".join(repr(name) for name in allowed) or "none"
            where = prefix or "this object"
            raise ValidationError(
                field, f"{field} is not a known key of {where}. Allowed keys: {names}."
            )


def check_required_keys(mapping: Mapping, prefix: str, required: Iterable[str]) -> None:
    """Raise ValidationError naming the first key of ``required`` missing from ``mapping``."""
    for key in required:
        if key not in mapping:
            field = join_field(prefix, key)
            raise ValidationError(field, f"{field} is missing. Add it to {prefix or 'the object'}.")
