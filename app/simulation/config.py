"""Configuration of one simulation run."""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

from app.simulation.checks import check_choice, check_int, check_known_keys, check_mapping, check_number
from app.simulation.controllers import CONTROLLERS, check_controller_overrides, resolve_controller_params
from app.simulation.disturbances import resolve_disturbance_mapping
from app.simulation.params import check_overrides
from app.simulation.plants import PLANTS, plant_class
from app.simulation.plants.base import Plant

MAX_SEED = 2**63 - 1
# One day: a longer step would skip the daily cycle of the weather, and a
# huge dt overflows the tank's count of integration substeps.
MAX_DT = 86_400.0


@dataclass(frozen=True)
class SimulationConfig:
    """Validated settings of a run: plant, controller, step size, noise and starting values.

    Mapping fields hold only the overrides that were given, as read-only
    mappings with float values. Every check runs in __post_init__ and
    raises ValidationError naming the field.
    """

    plant: str = "thermal_zone"
    plant_params: Mapping[str, float] = field(default_factory=dict)
    controller: str = "pid"
    controller_params: Mapping[str, Any] = field(default_factory=dict)
    dt: float = 1.0  # s
    seed: int = 0
    setpoint: float | None = None  # None: the plant's default setpoint
    disturbance: Mapping[str, Any] | None = None  # None: the plant's default profile
    noise_std: float = 0.0  # standard deviation of the PV measurement noise, in PV units
    initial: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        plant_cls = plant_class(self.plant)
        dt = check_number(self.dt, "dt", minimum=0.0, maximum=MAX_DT, min_exclusive=True, unit="s")
        seed = check_int(self.seed, "seed", minimum=0, maximum=MAX_SEED)
        noise_std = check_number(self.noise_std, "noise_std", minimum=0.0, unit=plant_cls.PROCESS_VALUE_UNIT)

        plant_overrides = check_overrides(plant_cls.PARAMS, self.plant_params, "plant_params")
        plant = plant_cls.from_overrides(plant_overrides, dt)
        initial_overrides = check_overrides(plant.initial_specs(), self.initial, "initial")
        initial = plant.resolve_initial(initial_overrides)

        controller = check_choice(self.controller, "controller", CONTROLLERS)
        controller_overrides = check_controller_overrides(controller, self.controller_params, "controller_params")
        controller_params = resolve_controller_params(controller, controller_overrides, plant, "controller_params")

        setpoint = plant.DEFAULT_SETPOINT if self.setpoint is None else check_setpoint(self.setpoint, plant, "setpoint")
        disturbance = resolve_disturbance_mapping(
            plant.DISTURBANCE_DEFAULTS,
            {"profile": plant.DEFAULT_DISTURBANCE_PROFILE} if self.disturbance is None else self.disturbance,
            "disturbance",
        )
        given_disturbance = None
        if self.disturbance is not None:
            given_params = {
                name: value
                for name, value in disturbance["params"].items()
                if name in self.disturbance.get("params", {})
            }
            given_disturbance = MappingProxyType(
                {"profile": disturbance["profile"], "params": MappingProxyType(given_params)}
            )

        self._set("dt", dt)
        self._set("seed", seed)
        self._set("noise_std", noise_std)
        self._set("setpoint", None if self.setpoint is None else setpoint)
        self._set("plant_params", MappingProxyType(plant_overrides))
        self._set("initial", MappingProxyType(initial_overrides))
        self._set("controller_params", MappingProxyType(controller_overrides))
        self._set("disturbance", given_disturbance)

        self._set("resolved_plant_params", MappingProxyType(dict(plant.params)))
        self._set("resolved_initial", MappingProxyType(initial))
        self._set("resolved_controller_params", MappingProxyType(controller_params))
        self._set("resolved_setpoint", setpoint)
        self._set("resolved_disturbance", disturbance)

    def _set(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)

    def __hash__(self) -> int:
        return hash(json.dumps(self.to_dict(), sort_keys=True))

    def build_plant(self) -> Plant:
        """Return a new plant with the resolved parameters, in its initial state."""
        plant = plant_class(self.plant)(self.resolved_plant_params, self.dt)
        plant.reset(self.resolved_initial)
        return plant

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict of the fields as given, which from_dict turns back into an equal config."""
        disturbance = None
        if self.disturbance is not None:
            disturbance = {"profile": self.disturbance["profile"], "params": dict(self.disturbance["params"])}

        return {
            "plant": self.plant,
            "plant_params": dict(self.plant_params),
            "controller": self.controller,
            "controller_params": dict(self.controller_params),
            "dt": self.dt,
            "seed": self.seed,
            "setpoint": self.setpoint,
            "disturbance": disturbance,
            "noise_std": self.noise_std,
            "initial": dict(self.initial),
        }

    @classmethod
    def from_dict(cls, data: Any) -> "SimulationConfig":
        """Build a config from a mapping such as to_dict() returns. Missing keys take the defaults.

        :raises ValidationError: for an unknown key or an invalid value.
        """
        data = check_mapping(data, "config")
        check_known_keys(data, "", [item.name for item in fields(cls)])
        return cls(**data)


def check_setpoint(value: Any, plant: Plant, field: str) -> float:
    """Return ``value`` as a finite float within the setpoint limits of ``plant``."""
    low, high = plant.setpoint_limits
    return check_number(value, field, minimum=low, maximum=high, unit=plant.PROCESS_VALUE_UNIT)
