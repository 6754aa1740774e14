"""Controller registry and parameter resolution against a plant."""

from collections.abc import Mapping
from typing import Any

from app.simulation.checks import check_choice, join_field
from app.simulation.controllers.base import Controller
from app.simulation.controllers.manual import ManualController
from app.simulation.controllers.on_off import OnOffController
from app.simulation.controllers.pid import PidController
from app.simulation.errors import ValidationError
from app.simulation.params import check_overrides
from app.simulation.plants.base import Plant

CONTROLLER_CLASSES: dict[str, type[Controller]] = {
    PidController.NAME: PidController,
    OnOffController.NAME: OnOffController,
    ManualController.NAME: ManualController,
}
CONTROLLERS: tuple[str, ...] = tuple(CONTROLLER_CLASSES)


def controller_class(controller: str, field: str = "controller") -> type[Controller]:
    """Return the class of ``controller``, raising ValidationError for an unknown name."""
    return CONTROLLER_CLASSES[check_choice(controller, field, CONTROLLERS)]


def check_controller_overrides(controller: str, overrides: Any, prefix: str) -> dict[str, float]:
    """Return the overrides as floats after the plant-independent checks of keys and ranges."""
    return check_overrides(controller_class(controller).PARAMS, overrides, prefix)


def resolve_controller_params(
    controller: str,
    overrides: Any,
    plant: Plant,
    prefix: str,
    base: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Return the full parameters of ``controller`` for ``plant``.

    The overrides apply on top of ``base``, or of the plant's defaults when
    ``base`` is None. Output parameters must lie within the actuator range.
    :raises ValidationError: naming ``prefix.<param>``.
    """
    cls = controller_class(controller)
    checked = check_controller_overrides(controller, overrides, prefix)
    params = dict(plant.default_controller_params(controller) if base is None else base)
    params.update(checked)

    low, high = plant.actuator_limits
    unit = plant.CONTROL_OUTPUT_UNIT
    for name in cls.OUTPUT_PARAMS:
        value = params[name]
        if not low <= value <= high:
            field = join_field(prefix, name)
            suffix = f" {unit}" if unit and unit != "1" else ""
            raise ValidationError(
                field,
                f"{field} must be within the actuator range of the {plant.NAME} plant, "
                f"from {low:g} to {high:g}{suffix}, got {value!r}.",
            )

    cls.check_params(params, prefix)
    return params


__all__ = [
    "CONTROLLERS",
    "CONTROLLER_CLASSES",
    "Controller",
    "check_controller_overrides",
    "controller_class",
    "resolve_controller_params",
]
