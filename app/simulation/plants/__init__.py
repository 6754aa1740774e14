"""Plant registry: names, signals and units of every plant."""

from app.simulation.checks import check_choice
from app.simulation.plants.base import Plant
from app.simulation.plants.first_order import FirstOrder
from app.simulation.plants.tank import Tank
from app.simulation.plants.thermal_zone import ThermalZone
from app.simulation.signals import Signal

PLANT_CLASSES: dict[str, type[Plant]] = {
    ThermalZone.NAME: ThermalZone,
    Tank.NAME: Tank,
    FirstOrder.NAME: FirstOrder,
}
PLANTS: tuple[str, ...] = tuple(PLANT_CLASSES)


def plant_class(plant: str, field: str = "plant") -> type[Plant]:
    """Return the class of ``plant``, raising ValidationError for an unknown name."""
    return PLANT_CLASSES[check_choice(plant, field, PLANTS)]


def plant_signals(plant: str) -> tuple[Signal, ...]:
    """Return the signals of ``plant`` in snapshot order."""
    return plant_class(plant).SIGNALS


def process_value_unit(plant: str) -> str:
    """Return the unit of the process value of ``plant``, for example "degC"."""
    return plant_class(plant).PROCESS_VALUE_UNIT


def control_output_unit(plant: str) -> str:
    """Return the unit of the control output of ``plant``: "W", "1" (valve fraction) or "%"."""
    return plant_class(plant).CONTROL_OUTPUT_UNIT


__all__ = [
    "PLANTS",
    "PLANT_CLASSES",
    "Plant",
    "control_output_unit",
    "plant_class",
    "plant_signals",
    "process_value_unit",
]
