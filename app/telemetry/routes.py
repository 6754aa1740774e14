"""Telemetry and run endpoints: recent records, runs, their journals and streamed exports."""

from flask import Response, current_app, stream_with_context
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.control.routes import command_document
from app.errors import fail
from app.extensions import db
from app.simulation import plant_signals
from app.telemetry.export import (
    FORMATS,
    MEDIA_TYPES,
    WRITERS,
    configured_chunk_size,
    export_filename,
    export_range,
    read_chunks,
    record_document,
    replace_non_finite,
)
from app.telemetry.journal import CommandJournal
from app.telemetry.models import MAX_BIGINT, Run
from app.telemetry.repository import TelemetryRepository

blp = Blueprint("telemetry", __name__, description="Runs, telemetry records and exports")

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
# Run ids and steps are 64-bit signed integers in the database. A larger
# value would fail in the driver instead of matching nothing.

INTEGER_ERROR = {"invalid": "must be an integer, got {input!r}"}


def run_field() -> fields.Integer:
    return fields.Integer(
        validate=validate.Range(min=1, max=MAX_BIGINT, error="must be a run id from {min} to {max}, got {input}"),
        error_messages=INTEGER_ERROR,
        metadata={"description": "Run id; the latest run when omitted"},
    )


def step_field(description: str, minimum: int = 0) -> fields.Integer:
    return fields.Integer(
        validate=validate.Range(min=minimum, max=MAX_BIGINT, error="must be a step from {min} to {max}, got {input}"),
        error_messages=INTEGER_ERROR,
        metadata={"description": description},
    )


class TelemetryQuerySchema(Schema):
    run = run_field()
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT, error="must be from {min} to {max} records, got {input}"),
        error_messages=INTEGER_ERROR,
        metadata={"description": f"Records to return, at most {MAX_LIMIT}"},
    )
    after_step = step_field("Return the records after this step, for polling; -1 starts at step 0", minimum=-1)
    include_state = fields.Boolean(
        load_default=False,
        error_messages={"invalid": "must be true or false, got {input!r}"},
        metadata={"description": "Add each record's full simulation state"},
    )


class ExportQuerySchema(Schema):
    format = fields.String(
        load_default="csv",
        validate=validate.OneOf(FORMATS, error="must be one of {choices}, got {input!r}"),
        metadata={"description": "csv, json (one array) or ndjson (one object per line)"},
    )
    run = run_field()
    from_step = step_field("First step to export; the run's first step when omitted")
    to_step = step_field("Last step to export; the run's last step when the export starts if omitted")

    @validates_schema
    def check_step_range(self, data: dict, **kwargs) -> None:
        first, last = data.get("from_step"), data.get("to_step")
        if first is not None and last is not None and first > last:
            raise ValidationError(f"must not be after to_step ({last}), got {first}", field_name="from_step")


@blp.route("/telemetry", methods=["GET"])
@blp.arguments(TelemetryQuerySchema, location="query", error_status_code=400)
@blp.response(200)
def recent_telemetry(args):
    """Return recent records of a run, oldest first, or with after_step the records after that step."""
    run = resolve_run(args.get("run"))
    records = TelemetryRepository(db.session).recent_records(run.id, args["limit"], args.get("after_step"))
    names = signal_names(run)
    # A non-finite value becomes null, so the response stays valid JSON.
    documents = [replace_non_finite(record_document(record, names, args["include_state"])) for record in records]

    return {"run_id": run.id, "plant": run.plant, "records": documents}


@blp.route("/telemetry/export", methods=["GET"])
@blp.arguments(ExportQuerySchema, location="query", error_status_code=400)
@blp.response(200, description="The records as a CSV, JSON or NDJSON attachment, streamed in chunks", content_type="text/csv")
def export_telemetry(args):
    """Stream a run's records as CSV, JSON or NDJSON, in constant memory.

    The export ends at the last step stored when it starts, so records the
    runner appends meanwhile are not included. A non-finite value is written
    as null or as an empty CSV cell, so the output stays valid JSON.
    """
    run = resolve_run(args.get("run"))
    summary = TelemetryRepository(db.session).run_summary(run.id)
    from_step, to_step = export_range(summary, args.get("from_step"), args.get("to_step"))
    chunk_size = configured_chunk_size(current_app.config)
    names = signal_names(run)
    chunks = read_chunks(db.engine, run.id, from_step, to_step, names, chunk_size)
    body = WRITERS[args["format"]](chunks, names)
    # The stream reads through sessions of its own, so the request's
    # connection goes back to the pool before the first byte is sent.
    db.session.close()

    filename = export_filename(run.id, args["format"])
    return Response(
        stream_with_context(body),
        mimetype=MEDIA_TYPES[args["format"]],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@blp.route("/runs", methods=["GET"])
@blp.response(200)
def list_runs():
    """Return every run with its configuration, status and row count, oldest first."""
    repository = TelemetryRepository(db.session)

    return [run_document(run, repository.run_summary(run.id)) for run in repository.list_runs()]


@blp.route("/runs/<int:run_id>", methods=["GET"])
@blp.response(200)
def get_run(run_id):
    """Return one run with its configuration, status, row count and first and last step."""
    run = resolve_run(run_id)

    return run_document(run, TelemetryRepository(db.session).run_summary(run.id))


@blp.route("/runs/<int:run_id>/commands", methods=["GET"])
@blp.response(200)
def run_commands(run_id):
    """Return the command journal of a run, oldest first: the operator's audit trail."""
    run = resolve_run(run_id)

    return [command_document(entry) for entry in CommandJournal(db.session).for_run(run.id)]


def resolve_run(run_id: int | None) -> Run:
    """Return the run `run_id`, or the latest run when it is None.

    :raises HTTPException: 404 problem details naming the `run` field when there is no such run.
    """
    repository = TelemetryRepository(db.session)
    if run_id is None:
        run = repository.latest_run()
        if run is None:
            fail(404, "no run recorded yet: start one with POST /control/start", field="run")
        return run

    run = repository.get_run(run_id) if run_id <= MAX_BIGINT else None
    if run is None:
        fail(404, f"run {run_id} not found: GET /runs lists the runs", field="run")

    return run


def signal_names(run: Run) -> list[str]:
    return [signal.name for signal in plant_signals(run.plant)]


def run_document(run: Run, summary: dict) -> dict:
    return {
        "id": run.id,
        "created_at": run.created_at.isoformat(),
        "status": run.status,
        "plant": run.plant,
        "controller": run.controller,
        "dt": run.dt,
        "seed": run.seed,
        "config": run.config,
        **summary,
    }
