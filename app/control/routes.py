"""Control endpoints: each validates its body, journals a command and returns 202."""

from http import HTTPStatus

from flask import current_app, url_for
from flask_smorest import Blueprint

from app.control import schemas
from app.control.precheck import check_against_plant
from app.control.weather_files import confine_config, confine_weather_file
from app.errors import fail
from app.extensions import db, runner
from app.openapi import BEARER_SCHEME
from app.runner import status as states
from app.runner.extension import QueueFull
from app.simulation import ValidationError, parse_command
from app.telemetry.journal import CommandJournal
from app.telemetry.models import MAX_BIGINT, Run

blp = Blueprint("control", __name__, url_prefix="/control", description="Drive the simulation")

# Errors every control endpoint may return besides the body's 422.
CONTROL_ERRORS = ("UNAUTHORIZED", "CONFLICT", "UNSUPPORTED_MEDIA_TYPE", "SERVICE_UNAVAILABLE")


def control_endpoint(view):
    """Document the bearer token and the errors shared by the control endpoints."""
    for name in CONTROL_ERRORS:
        view = blp.alt_response(HTTPStatus[name].value, response=name)(view)

    return blp.doc(security=[{BEARER_SCHEME: []}])(view)

# Seconds a client should wait before retrying when the queue is full: the
# runner drains the journal at least every 100 ms.
RETRY_AFTER_SECONDS = 1
# Commands that change the simulation rather than the runner.
SIMULATION_KINDS = frozenset({"setpoint", "controller", "mode", "output", "disturbance"})
# Runner states in which a run exists for simulation commands to change.
STATES_WITH_RUN = frozenset({states.RUNNING, states.PAUSED, states.FAULTED})


def current_state() -> str:
    handle = runner.handle(current_app)
    handle.ensure_started()
    if handle.blocked_reason is not None:
        fail(503, f"the runner cannot start: {handle.blocked_reason}")

    return handle.status()["state"]


def require_state(kind: str, allowed: frozenset, hint: str) -> None:
    """Raise 409 when the command makes no sense in the runner's current state."""
    state = current_state()
    if state not in allowed:
        fail(409, f"cannot {kind} while the runner is {state}: {hint}")


def enqueue(kind: str, payload: dict):
    """Validate `payload` as a `kind` command, journal it and build the 202 response."""
    handle = runner.handle(current_app)
    try:
        command = parse_command(kind, payload)
        if kind in SIMULATION_KINDS:
            run_id = handle.status().get("run_id")
            check_against_plant(command, db.session.get(Run, run_id) if run_id is not None else None)
    except ValidationError as exc:
        current_app.logger.info("rejected %s command: %s", kind, exc)
        fail(422, str(exc), field=exc.field)

    try:
        entry = handle.submit(kind, command.to_payload())
    except QueueFull as exc:
        current_app.logger.warning("rejected %s command: %s", kind, exc)
        fail(503, f"command queue full: {exc}; retry later", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    body = {"command_id": entry.id, "kind": kind, "status": entry.status}
    return body, 202, {"Location": url_for("control.get_command", command_id=entry.id)}


@blp.route("/start", methods=["POST"])
@control_endpoint
@blp.arguments(schemas.RunConfigSchema, location="json", required=False)
@blp.response(202, schemas.CommandAcceptedSchema)
def start(body):
    """Start a new run, optionally with a SimulationConfig (only while idle)."""
    require_state("start", frozenset({states.IDLE, states.STOPPED}), "use resume to continue or reset to begin a new run")
    return enqueue("start", {"config": confine_config(body.get("config"))})


@blp.route("/pause", methods=["POST"])
@control_endpoint
@blp.arguments(schemas.EmptySchema, location="json", required=False)
@blp.response(202, schemas.CommandAcceptedSchema)
def pause(body):
    """Pause a running run after its current step."""
    require_state("pause", frozenset({states.RUNNING}), "only a running runner can pause")
    return enqueue("pause", {})


@blp.route("/resume", methods=["POST"])
@control_endpoint
@blp.arguments(schemas.EmptySchema, location="json", required=False)
@blp.response(202, schemas.CommandAcceptedSchema)
def resume(body):
    """Resume a paused run."""
    require_state("resume", frozenset({states.PAUSED}), "only a paused runner can resume")
    return enqueue("resume", {})


@blp.route("/reset", methods=["POST"])
@control_endpoint
@blp.arguments(schemas.RunConfigSchema, location="json", required=False)
@blp.response(202, schemas.CommandAcceptedSchema)
def reset(body):
    """End the current run and start a new one, with the same or a new configuration."""
    current_state()
    return enqueue("reset", {"config": confine_config(body.get("config"))})


@blp.route("/step", methods=["POST"])
@control_endpoint
@blp.arguments(schemas.StepSchema, location="json", required=False)
@blp.response(200)
def step(body):
    """Take `count` steps while paused and return the last snapshot."""
    require_state("step", frozenset({states.PAUSED}), "pause the runner first")
    accepted, _, headers = enqueue("step", {"count": body["count"]})

    handle = runner.handle(current_app)
    entry = handle.wait_for_outcome(accepted["command_id"], handle.settings.step_timeout)
    if entry is None:
        return {**accepted, "detail": "the runner has not taken the steps yet; poll the Location"}, 202, headers

    if entry.status == "rejected":
        fail(409, entry.detail)

    return entry.result


@blp.route("/setpoint", methods=["PUT"])
@control_endpoint
@blp.arguments(schemas.SetpointSchema, location="json")
@blp.response(202, schemas.CommandAcceptedSchema)
def setpoint(body):
    """Change the setpoint."""
    require_state("change the setpoint", STATES_WITH_RUN, "start a run first")
    return enqueue("setpoint", body)


@blp.route("/controller", methods=["PUT"])
@control_endpoint
@blp.arguments(schemas.ControllerSchema, location="json")
@blp.response(202, schemas.CommandAcceptedSchema)
def controller(body):
    """Switch the controller type or change its parameters."""
    require_state("change the controller", STATES_WITH_RUN, "start a run first")
    return enqueue("controller", body)


@blp.route("/mode", methods=["PUT"])
@control_endpoint
@blp.arguments(schemas.ModeSchema, location="json")
@blp.response(202, schemas.CommandAcceptedSchema)
def mode(body):
    """Switch between automatic and manual mode, bumplessly."""
    require_state("change the mode", STATES_WITH_RUN, "start a run first")
    return enqueue("mode", body)


@blp.route("/output", methods=["PUT"])
@control_endpoint
@blp.arguments(schemas.OutputSchema, location="json")
@blp.response(202, schemas.CommandAcceptedSchema)
def output(body):
    """Set the manual output (in manual mode or with the manual controller)."""
    require_state("set the output", STATES_WITH_RUN, "start a run first")
    return enqueue("output", body)


@blp.route("/disturbance", methods=["PUT"])
@control_endpoint
@blp.arguments(schemas.DisturbanceSchema, location="json")
@blp.response(202, schemas.CommandAcceptedSchema)
def disturbance(body):
    """Change the disturbance profile."""
    require_state("change the disturbance", STATES_WITH_RUN, "start a run first")
    return enqueue("disturbance", confine_weather_file(body, "params.file"))


@blp.route("/speed", methods=["PUT"])
@control_endpoint
@blp.arguments(schemas.SpeedSchema, location="json")
@blp.response(202, schemas.CommandAcceptedSchema)
def speed(body):
    """Change the pacing: simulated seconds per wall-clock second, 0 for as fast as possible."""
    current_state()
    return enqueue("speed", body)


@blp.route("/commands/<int:command_id>", methods=["GET"])
@blp.response(200)
def get_command(command_id):
    """Return one journaled command and its outcome."""
    entry = CommandJournal(db.session).get(command_id) if command_id <= MAX_BIGINT else None
    if entry is None:
        fail(404, f"command {command_id} not found")

    return command_document(entry)


def command_document(entry) -> dict:
    return {
        "id": entry.id,
        "run_id": entry.run_id,
        "received_at": entry.received_at.isoformat(),
        "kind": entry.kind,
        "payload": entry.payload,
        "status": entry.status,
        "applied_run_id": entry.applied_run_id,
        "applied_step": entry.applied_step,
        "detail": entry.detail,
    }
