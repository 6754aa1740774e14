"""The CSV, JSON and NDJSON writers on flat rows: exact floats, strict JSON, non-finite values."""

import csv
import io
import math
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.telemetry.export import EXPORT_CHUNK_SIZE, configured_chunk_size, write_csv, write_json, write_ndjson
from tests.telemetry.helpers import strict_json

NAMES = ("level", "inflow")
START = datetime(2026, 1, 31, 12, 0, tzinfo=timezone.utc)
finite_floats = st.floats(allow_nan=False, allow_infinity=False)


def flat_row(step: int, values: tuple) -> tuple:
    """Build a row as TelemetryRepository.export_rows returns it."""
    return (step, step * 0.5, (START + timedelta(seconds=step)).isoformat(), *values)


def csv_lines(chunks) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(write_csv(chunks, NAMES)), newline="")))


@given(st.lists(st.tuples(*[finite_floats] * 5), min_size=1, max_size=20))
def test_csv_floats_read_back_exactly(values):
    rows = [flat_row(step, value) for step, value in enumerate(values)]

    lines = csv_lines([rows])

    assert [tuple(float(cell) for cell in line[3:]) for line in lines[1:]] == values


@given(st.lists(st.tuples(*[finite_floats] * 5), min_size=1, max_size=20))
def test_json_floats_read_back_exactly(values):
    rows = [flat_row(step, value) for step, value in enumerate(values)]

    documents = strict_json("".join(write_json([rows], NAMES)))

    read_back = [
        (doc["setpoint"], doc["process_value"], doc["control_output"], doc["signals"]["level"], doc["signals"]["inflow"])
        for doc in documents
    ]
    assert read_back == values


def test_csv_writes_non_finite_as_empty(caplog):
    rows = [flat_row(0, (1.0, math.nan, 2.0, math.inf, -math.inf)), flat_row(1, (1.0, 2.0, 3.0, 4.0, 5.0))]

    lines = csv_lines([rows])

    assert lines[1][3:] == ["1.0", "", "2.0", "", ""]
    assert lines[2][3:] == ["1.0", "2.0", "3.0", "4.0", "5.0"]
    assert "3 non-finite values" in caplog.text


def test_json_writes_non_finite_as_null(caplog):
    rows = [flat_row(0, (math.nan, 1.0, 2.0, math.inf, 3.0))]

    document = strict_json("".join(write_json([rows], NAMES)))[0]

    assert document["setpoint"] is None
    assert document["signals"] == {"level": None, "inflow": 3.0}
    assert "2 non-finite values" in caplog.text


def test_ndjson_writes_non_finite_as_null():
    rows = [flat_row(0, (1.0, 1.0, -math.inf, 2.0, 3.0))]

    lines = "".join(write_ndjson([rows], NAMES)).splitlines()

    assert strict_json(lines[0])["control_output"] is None


def test_csv_header_lists_terms_and_signals():
    lines = csv_lines([])

    assert lines == [["step", "sim_time", "recorded_at", "setpoint", "process_value", "control_output", "level", "inflow"]]


def test_json_writer_yields_one_piece_per_chunk():
    chunks = [[flat_row(0, (1.0,) * 5)], [flat_row(1, (2.0,) * 5)], [flat_row(2, (3.0,) * 5)]]

    pieces = list(write_json(chunks, NAMES))

    assert len(pieces) == 5
    assert [doc["step"] for doc in strict_json("".join(pieces))] == [0, 1, 2]


def test_empty_json_export_is_empty_array():
    assert strict_json("".join(write_json([], NAMES))) == []


def test_missing_signal_is_null_or_empty():
    rows = [flat_row(0, (1.0, 2.0, 3.0, None, 4.0))]

    csv_cells = csv_lines([rows])[1]
    document = strict_json("".join(write_ndjson([rows], NAMES)))

    assert csv_cells[6] == ""
    assert document["signals"]["level"] is None


def test_timestamps_are_iso_utc():
    rows = [flat_row(3, (1.0,) * 5)]

    cell = csv_lines([rows])[1][2]
    document = strict_json("".join(write_ndjson([rows], NAMES)))

    assert cell == "2026-01-31T12:00:03+00:00"
    assert document["recorded_at"] == cell


def test_chunk_size_defaults_when_unset():
    assert configured_chunk_size({}) == EXPORT_CHUNK_SIZE


@pytest.mark.parametrize("size", [0, -1, 2.5, "100", True])
def test_chunk_size_must_be_positive_integer(size):
    with pytest.raises(ValueError, match="invalid EXPORT_CHUNK_SIZE"):
        configured_chunk_size({"EXPORT_CHUNK_SIZE": size})
