"""`flask telemetry` commands: export a run, list the runs, prune old runs."""

import sys
from datetime import datetime, timezone

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.simulation import plant_signals
from app.telemetry.export import FORMATS, WRITERS, configured_chunk_size, export_range, read_chunks
from app.telemetry.models import Run
from app.telemetry.repository import TelemetryRepository

telemetry_cli = AppGroup("telemetry", help="Export, list and prune telemetry.")


class UTCDateTimeParam(click.ParamType):
    """An ISO 8601 date or date and time, read as UTC when it has no offset."""

    name = "date"

    def convert(self, value, param, ctx) -> datetime:
        if isinstance(value, datetime):
            return value

        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 date: use e.g. 2026-01-31 or 2026-01-31T12:00:00Z", param, ctx)

        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=timezone.utc)

        return parsed.astimezone(timezone.utc)


@telemetry_cli.command("export")
@click.option(
    "--run", "run_id", type=click.IntRange(min=1), show_default="the latest run", help="Id of the run to export."
)
@click.option(
    "--format", "export_format", type=click.Choice(FORMATS), default="csv", show_default=True,
    help="File format: csv, json (one array) or ndjson (one object per line).",
)
@click.option("--output", "-o", default="-", show_default=True, help="File to write, or - for standard output.")
@click.option(
    "--from-step", type=click.IntRange(min=0), show_default="the run's first step", help="First step to export."
)
@click.option(
    "--to-step", type=click.IntRange(min=0), show_default="the run's last stored step", help="Last step to export."
)
def export_command(run_id, export_format, output, from_step, to_step):
    """Export a run's telemetry records as CSV, JSON or NDJSON."""
    if from_step is not None and to_step is not None and from_step > to_step:
        raise click.UsageError(f"--from-step {from_step} is after --to-step {to_step}: give a --from-step at or below --to-step")

    run = find_run(run_id)
    repository = TelemetryRepository(db.session)
    summary = repository.run_summary(run.id)
    first, last = export_range(summary, from_step, to_step)
    names = [signal.name for signal in plant_signals(run.plant)]
    # Release the command's connection: the export reads through sessions of its own.
    db.session.close()

    try:
        chunk_size = configured_chunk_size(current_app.config)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    chunks = read_chunks(db.engine, run.id, first, last, names, chunk_size)
    if output == "-":
        write_pieces(WRITERS[export_format](chunks, names), output)
        return

    label = f"Exporting run {run.id}"
    with click.progressbar(length=expected_rows(summary, first, last), label=label, file=sys.stderr) as bar:
        write_pieces(WRITERS[export_format](counted(chunks, bar), names), output)

    click.echo(f"Wrote run {run.id} as {export_format} to {output}", err=True)


@telemetry_cli.command("runs")
def runs_command():
    """List the runs with their plant, controller, status and stored steps."""
    repository = TelemetryRepository(db.session)
    runs = repository.list_runs()
    if not runs:
        click.echo("No runs recorded yet: start one with POST /control/start.")
        return

    click.echo(f"{'id':>6}  {'created_at (UTC)':<19}  {'status':<7}  {'plant':<13}  {'controller':<10}  "
               f"{'dt':>6}  {'seed':>10}  {'rows':>10}  steps")
    for run in runs:
        summary = repository.run_summary(run.id)
        click.echo(format_run_line(run, summary))


@telemetry_cli.command("prune")
@click.option("--keep-runs", type=click.IntRange(min=0), help="Keep the newest N runs and delete the older ones.")
@click.option(
    "--before", type=UTCDateTimeParam(),
    help="Delete the runs created before this ISO 8601 date or time, read as UTC without an offset.",
)
@click.option("--yes", is_flag=True, help="Delete without asking for confirmation.")
def prune_command(keep_runs, before, yes):
    """Delete old runs with their records and commands, always keeping the latest run."""
    if keep_runs is None and before is None:
        raise click.UsageError("missing --keep-runs or --before: give one, e.g. --keep-runs 10 or --before 2026-01-31")

    if keep_runs is not None and before is not None:
        raise click.UsageError("--keep-runs and --before cannot be combined: give only one of them")

    if keep_runs is not None:
        question = f"Delete every run except the newest {keep_runs} and the latest one?"
    else:
        question = f"Delete every run created before {before.isoformat()} except the latest one?"

    if not yes:
        click.confirm(question, abort=True)

    deleted = TelemetryRepository(db.session).prune(keep_runs=keep_runs, before=before)
    db.session.commit()
    if not deleted:
        click.echo("No run matched, so nothing was deleted.")
        return

    click.echo(f"Deleted {len(deleted)} runs: {', '.join(str(run_id) for run_id in deleted)}.")


def find_run(run_id: int | None) -> Run:
    """Return the run `run_id`, or the latest one when it is None.

    :raises click.UsageError: when the run does not exist.
    """
    repository = TelemetryRepository(db.session)
    if run_id is None:
        run = repository.latest_run()
        if run is None:
            raise click.UsageError("no run recorded yet, so there is nothing to export: start a run first")
        return run

    run = repository.get_run(run_id)
    if run is None:
        raise click.UsageError(f"--run {run_id} not found: `flask telemetry runs` lists the run ids")

    return run


def expected_rows(summary: dict, first: int, last: int) -> int:
    """Return the number of records from `first` to `last`, for the progress bar."""
    if summary["row_count"] == 0:
        return 0

    low = max(first, summary["first_step"])
    high = min(last, summary["last_step"])
    if low == summary["first_step"] and high == summary["last_step"]:
        return summary["row_count"]

    # NOTE: exact only when the run's steps are contiguous, as the runner
    # writes them. The progress bar is the only user of this number.
    return max(high - low + 1, 0)


def counted(chunks, bar):
    """Yield the chunks unchanged, advancing the progress bar by each chunk's rows."""
    for chunk in chunks:
        yield chunk
        bar.update(len(chunk))


def write_pieces(pieces, output: str) -> None:
    """Write text pieces as UTF-8 to a file, replaced only once complete, or to standard output."""
    try:
        with click.open_file(output, "wb", atomic=output != "-") as stream:
            for piece in pieces:
                stream.write(piece.encode("utf-8"))
    except OSError as exc:
        raise click.FileError(output, hint=f"{exc.strerror}; check that the folder exists and is writable") from exc


def format_run_line(run: Run, summary: dict) -> str:
    created = run.created_at.strftime("%Y-%m-%d %H:%M:%S")
    steps = "-" if summary["row_count"] == 0 else f"{summary['first_step']}-{summary['last_step']}"

    return (f"{run.id:>6}  {created:<19}  {run.status:<7}  {run.plant:<13}  {run.controller:<10}  "
            f"{run.dt:>6g}  {run.seed:>10}  {summary['row_count']:>10}  {steps}")
