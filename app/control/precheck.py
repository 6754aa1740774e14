"""Check simulation commands against the current run's plant before they are journaled.

The runner applies commands later and rejects the ones that do not fit
the plant. Running the plant-only checks here as well gives the client a
422 at once instead of a rejection it has to poll for. Checks that depend
on the live state (manual output in auto mode, say) stay with the runner.
"""

from app.simulation import SimulationConfig, ValidationError
from app.simulation.config import check_setpoint
from app.simulation.controllers import resolve_controller_params
from app.simulation.disturbances import disturbance_function, resolve_disturbance
from app.telemetry.models import Run


def check_against_plant(command, run: Run | None) -> None:
    """Raise ValidationError when `command` cannot fit the plant of `run`; do nothing without a run."""
    if run is None:
        return

    plant = SimulationConfig.from_dict(run.config).build_plant()
    if command.kind == "setpoint":
        check_setpoint(command.value, plant, "value")
    elif command.kind == "controller":
        resolve_controller_params(command.type, command.params, plant, "params")
    elif command.kind == "output":
        check_actuator_range(command.value, plant)
    elif command.kind == "disturbance":
        check_disturbance(command, plant)


def check_actuator_range(value: float, plant) -> None:
    low, high = plant.actuator_limits
    if not low <= value <= high:
        raise ValidationError(
            "value", f"value must be within the actuator range of the {plant.NAME} plant, {low} to {high}, got {value}."
        )


def check_disturbance(command, plant) -> None:
    spec = resolve_disturbance(plant.DISTURBANCE_DEFAULTS, command.profile, command.params, "profile", "params")
    try:
        disturbance_function(spec["profile"], spec["params"])
    except ValidationError:
        raise
    except ValueError as exc:
        # A weather file that cannot be read or parsed.
        raise ValidationError("params.file", str(exc)) from exc
