"""Description of one recorded plant signal."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Signal:
    """Name, unit and meaning of one plant signal, as used in CSV headers and charts.

    ``unit`` is "1" for a dimensionless fraction and "" for a value without unit.
    """

    name: str
    unit: str
    description: str
