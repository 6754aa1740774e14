"""Telemetry exports: a chunk reader and the CSV, JSON and NDJSON writers, all generators.

The HTTP export and `flask telemetry export` share them, so both write the
same bytes for the same rows.
"""

import csv
import io
import logging
import math
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.telemetry import json_codec
from app.telemetry.repository import TelemetryRepository

log = logging.getLogger(__name__)

FORMATS = ("csv", "json", "ndjson")
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "ndjson": "application/x-ndjson",
}
# Leading columns of every CSV export. The plant's signals follow in the
# plant's signal order.
CONTROL_COLUMNS = ("step", "sim_time", "recorded_at", "setpoint", "process_value", "control_output")
# Rows per SELECT and per piece of the stream when EXPORT_CHUNK_SIZE is not
# configured. Memory per export is about one chunk, so it stays flat
# whatever the row count.
EXPORT_CHUNK_SIZE = 5000

# The csv module's default line terminator, kept for the orjson rows.
CSV_LINE_END = "\r\n"


def export_filename(run_id: int, export_format: str) -> str:
    """Return the attachment file name of an export, e.g. loopsim-run-3.csv."""
    return f"loopsim-run-{run_id}.{export_format}"


def configured_chunk_size(config) -> int:
    """Return EXPORT_CHUNK_SIZE from the Flask config, or the default when it is not set.

    :raises ValueError: when the value is not a positive integer.
    """
    size = config.get("EXPORT_CHUNK_SIZE", EXPORT_CHUNK_SIZE)
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"invalid EXPORT_CHUNK_SIZE {size!r}: set a positive number of rows, e.g. {EXPORT_CHUNK_SIZE}")

    return size


def export_range(summary: dict, from_step: int | None, to_step: int | None) -> tuple[int, int]:
    """Return the first and last step to export, ending at most at the run's last stored step.

    `summary` is TelemetryRepository.run_summary of the run, read when the
    export starts, so records appended during the export are left out.
    """
    last_stored = summary["last_step"] if summary["last_step"] is not None else -1
    first = from_step if from_step is not None else 0
    last = last_stored if to_step is None else min(to_step, last_stored)

    return first, last


def read_chunks(
    engine: Engine, run_id: int, from_step: int, to_step: int, signal_names: Sequence[str], chunk_size: int
) -> Iterator[Sequence]:
    """Yield the run's records from `from_step` to `to_step` in step order, in chunks of flat rows.

    A row is the CONTROL_COLUMNS and then one value per signal name, as
    TelemetryRepository.export_rows returns it. Each chunk is read in its
    own session, which is closed before the chunk is yielded. So a consumer
    that stops midway, such as a client that disconnects from a download,
    leaves no connection checked out.
    """
    next_step = from_step
    while True:
        with Session(engine) as session:
            chunk = TelemetryRepository(session).export_rows(run_id, next_step, to_step, signal_names, chunk_size)

        if not chunk:
            return

        yield chunk
        if len(chunk) < chunk_size:
            return

        next_step = chunk[-1][0] + 1


def record_document(record, signal_names: Sequence[str], include_state: bool = False) -> dict:
    """Build the JSON document of one TelemetryRecord, the shape the JSON exports also write."""
    signals = record.signals
    document = {
        "step": record.step,
        "sim_time": record.sim_time,
        "recorded_at": record.recorded_at.isoformat(),
        "setpoint": record.setpoint,
        "process_value": record.process_value,
        "control_output": record.control_output,
        "signals": {name: signals.get(name) for name in signal_names},
    }
    if include_state:
        document["state"] = record.state

    return document


def replace_non_finite(value):
    """Return `value` with every NaN or infinite float, also inside dicts and lists, replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None

    if isinstance(value, dict):
        return {key: replace_non_finite(item) for key, item in value.items()}

    if isinstance(value, (list, tuple)):
        return [replace_non_finite(item) for item in value]

    return value


def count_non_finite(value) -> int:
    """Count the NaN and infinite floats in `value`, also inside dicts and lists."""
    if isinstance(value, float):
        return 0 if math.isfinite(value) else 1

    if isinstance(value, dict):
        return sum(count_non_finite(item) for item in value.values())

    if isinstance(value, (list, tuple)):
        return sum(count_non_finite(item) for item in value)

    return 0


def write_csv(chunks: Iterable[Sequence], signal_names: Sequence[str]) -> Iterator[str]:
    """Yield a CSV export of flat rows: the header, then one piece of text per chunk.

    Each chunk is encoded by orjson as one array of row arrays, whose text
    between the brackets is already CSV: numbers unquoted, the timestamp in
    double quotes, nothing else. That is four times faster than the csv
    module, which spends its time in repr() of the floats. orjson writes the
    shortest text that reads back as the same float (1e-5 where repr()
    writes 1e-05). A missing or non-finite value becomes an empty cell.
    """
    yield _csv_text([(*CONTROL_COLUMNS, *signal_names)])

    for rows in chunks:
        if not rows:
            continue

        text = json_codec.dumps([tuple(row) for row in rows])
        if "null" in text:
            _warn_non_finite(rows, "empty CSV cells")
            text = text.replace("null", "")

        yield text[2:-2].replace("],[", CSV_LINE_END) + CSV_LINE_END


def write_json(chunks: Iterable[Sequence], signal_names: Sequence[str]) -> Iterator[str]:
    """Yield a JSON export of flat rows: one array of record documents, written piece by piece."""
    yield "["

    separator = "\n"
    for chunk in chunks:
        yield separator + ",\n".join(_encode(_row_document(row, signal_names)) for row in chunk)
        separator = ",\n"

    yield "\n]\n"


def write_ndjson(chunks: Iterable[Sequence], signal_names: Sequence[str]) -> Iterator[str]:
    """Yield an NDJSON export of flat rows: one record document per line."""
    for chunk in chunks:
        yield "".join(_encode(_row_document(row, signal_names)) + "\n" for row in chunk)


WRITERS = {"csv": write_csv, "json": write_json, "ndjson": write_ndjson}


def _row_document(row: Sequence, signal_names: Sequence[str]) -> dict:
    """Build the record_document shape from one flat row."""
    step, sim_time, recorded_at, setpoint, process_value, control_output, *values = row

    return {
        "step": step,
        "sim_time": sim_time,
        "recorded_at": recorded_at,
        "setpoint": setpoint,
        "process_value": process_value,
        "control_output": control_output,
        "signals": dict(zip(signal_names, values)),
    }


def _csv_text(rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)

    return buffer.getvalue()


def _warn_non_finite(rows: Sequence[Sequence], written_as: str) -> None:
    replaced = sum(count_non_finite(tuple(row)) for row in rows)
    if replaced:
        log.warning("export wrote %d non-finite values as %s (steps %s to %s)", replaced, written_as, rows[0][0], rows[-1][0])


def _encode(document: dict) -> str:
    """Encode a document as strict JSON; orjson writes a non-finite float as null."""
    text = json_codec.dumps(document)
    if "null" in text and count_non_finite(document):
        log.warning("export wrote %d non-finite values as null (step %s)", count_non_finite(document), document.get("step"))

    return text
