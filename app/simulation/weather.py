"""Read hourly dry-bulb temperature series from NREL TMY3 files and the packaged extract.

A TMY3 file (NREL, Typical Meteorological Year 3) has a station header on
line 1 (id, name, state, UTC offset, latitude, longitude, elevation) and
the column names on line 2. Then follow 8760 hourly rows, with times
01:00 to 24:00 in local standard time. Row n is the value at the end of
hour n of the year.

The packaged extract keeps only that column, with ``#`` comment lines that
name its source, a ``hour,dry_bulb_c`` header line and 8760 rows.
"""

import csv
import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path

HOURS_PER_YEAR = 8760
DRY_BULB_COLUMN = "Dry-bulb (C)"
TIME_COLUMN = "Time (HH:MM)"
EXTRACT_HEADER = ("hour", "dry_bulb_c")
DEFAULT_EXTRACT = Path(__file__).with_name("data") / "greensboro_723170_drybulb.csv"

# TMY3 marks a missing value with -9900 (and -9999 in some fields).
_MISSING_MARKERS = (-9900.0, -9999.0)


class WeatherFileError(ValueError):
    """A weather file that cannot be read, naming the file and, where known, the line."""

    def __init__(self, path: str | os.PathLike, message: str, line: int | None = None) -> None:
        where = f"{path}, line {line}" if line is not None else f"{path}"
        super().__init__(f"Invalid weather file {where}: {message}")
        self.path = str(path)
        self.line = line


@dataclass(frozen=True)
class DryBulbSeries:
    """Hourly dry-bulb temperatures in degC, where ``values[n]`` is the value at the end of hour n+1."""

    values: tuple[float, ...]
    source: str


def read_tmy3_dry_bulb(path: str | os.PathLike, *, full_year: bool = True) -> DryBulbSeries:
    """Read the dry-bulb column of a TMY3 CSV file.

    :param full_year: require exactly 8760 data rows. Pass False to read an
        excerpt, which must still start at 01:00 on the first day.
    :raises WeatherFileError: on an empty file, a missing column, a value that
        is not a number, an hour out of sequence or a wrong row count.
    """
    with _open_text(path) as lines:
        reader = csv.reader(lines)
        station = _read_station_header(path, reader)
        dry_bulb_index, time_index = _read_column_header(path, reader)
        values = _read_hourly_rows(path, reader, dry_bulb_index, time_index)

    _check_row_count(path, len(values), full_year)
    return DryBulbSeries(values=tuple(values), source=f"TMY3 {station}")


def read_dry_bulb_extract(path: str | os.PathLike) -> DryBulbSeries:
    """Read a dry-bulb extract: ``#`` comment lines, a ``hour,dry_bulb_c`` header, 8760 rows."""
    comments = []
    values: list[float] = []
    header_seen = False

    with _open_text(path) as lines:
        for line_number, line in enumerate(lines, start=1):
            text = line.strip()
            if not header_seen and text.startswith("#"):
                comments.append(text.lstrip("# "))
                continue

            fields = [field.strip() for field in text.split(",")]
            if not header_seen:
                if tuple(fields) != EXTRACT_HEADER:
                    raise WeatherFileError(
                        path, f"expected the header line 'hour,dry_bulb_c', got {text!r}.", line_number
                    )
                header_seen = True
                continue

            values.append(_parse_extract_row(path, fields, line_number, len(values) + 1))

    if not header_seen:
        raise WeatherFileError(path, "the file is empty or has no 'hour,dry_bulb_c' header line.")

    _check_row_count(path, len(values), full_year=True)
    return DryBulbSeries(values=tuple(values), source=" ".join(comments))


_cache: dict[str, DryBulbSeries] = {}
_cache_lock = threading.Lock()


def load_dry_bulb(path: str | os.PathLike | None = None) -> DryBulbSeries:
    """Return the full-year series of a TMY3 file or extract, parsing each path once per process.

    ``None`` means the packaged Greensboro extract. A file whose first
    character is ``#`` is read as an extract, any other file as TMY3.
    """
    resolved = os.path.realpath(DEFAULT_EXTRACT if path is None else path)
    series = _cache.get(resolved)
    if series is not None:
        return series

    with _cache_lock:
        series = _cache.get(resolved)
        if series is None:
            series = _read_any(resolved)
            _cache[resolved] = series
    return series


def dry_bulb_at(series: DryBulbSeries, hour_of_year: float) -> float:
    """Return the temperature at ``hour_of_year``, linearly interpolated between hours.

    Hour 0 is midnight at the start of 1 January. Positions wrap at 8760 h,
    so the hour after 24:00 on 31 December (row 8760) runs to 01:00 on
    1 January (row 1).
    """
    values = series.values
    # values[i] sits at hour i + 1, so shift by one hour before indexing.
    position = (hour_of_year - 1.0) % HOURS_PER_YEAR
    index = int(position)
    fraction = position - index
    if index >= HOURS_PER_YEAR:  # (-tiny) % 8760.0 can round up to 8760.0
        index, fraction = 0, 0.0

    lower = values[index]
    upper = values[(index + 1) % HOURS_PER_YEAR]
    return lower + (upper - lower) * fraction


def _read_any(path: str) -> DryBulbSeries:
    """Read ``path`` as an extract or as a full-year TMY3 file, by its first character."""
    with _open_text(path) as lines:
        first_character = lines.read(1)

    if first_character == "#":
        return read_dry_bulb_extract(path)
    return read_tmy3_dry_bulb(path, full_year=True)


class _open_text:
    """Open a text file for reading, turning OS and decoding errors into WeatherFileError."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = path

    def __enter__(self):
        try:
            self.handle = open(self.path, encoding="utf-8", newline="")
        except OSError as error:
            raise WeatherFileError(self.path, f"cannot open it ({error.strerror}).") from error
        return self.handle

    def __exit__(self, exc_type, exc, traceback) -> bool:
        self.handle.close()
        if isinstance(exc, UnicodeDecodeError):
            raise WeatherFileError(self.path, "it is not UTF-8 or ASCII text.") from exc
        return False


def _read_station_header(path, reader) -> str:
    """Return the station description from line 1 of a TMY3 file."""
    row = next(reader, None)
    if row is None or not any(field.strip() for field in row):
        raise WeatherFileError(path, "the file is empty, expected the TMY3 station header.", 1)

    if len(row) < 7:
        raise WeatherFileError(
            path,
            "line 1 must be the TMY3 station header with 7 fields "
            f"(id, name, state, UTC offset, latitude, longitude, elevation), got {len(row)}.",
            1,
        )

    station_id, name, state = (field.strip() for field in row[:3])
    return f"station {station_id} {name}, {state}"


def _read_column_header(path, reader) -> tuple[int, int]:
    """Return the indexes of the dry-bulb and time columns from line 2."""
    row = next(reader, None)
    if row is None:
        raise WeatherFileError(path, "the column header line is missing.", 2)

    names = [field.strip() for field in row]
    for column in (DRY_BULB_COLUMN, TIME_COLUMN):
        if column not in names:
            raise WeatherFileError(path, f"the column {column!r} is missing from the header.", 2)

    return names.index(DRY_BULB_COLUMN), names.index(TIME_COLUMN)


def _read_hourly_rows(path, reader, dry_bulb_index: int, time_index: int) -> list[float]:
    """Return the dry-bulb values of the data rows, checking the hour sequence."""
    values = []
    for row in reader:
        line_number = reader.line_num
        if not any(field.strip() for field in row):
            raise WeatherFileError(path, "blank line among the hourly rows.", line_number)

        if len(row) <= max(dry_bulb_index, time_index):
            raise WeatherFileError(
                path, f"the row has {len(row)} fields, too few for the {DRY_BULB_COLUMN!r} column.", line_number
            )

        expected_time = f"{len(values) % 24 + 1:02d}:00"
        if row[time_index].strip() != expected_time:
            raise WeatherFileError(
                path, f"expected the time {expected_time}, got {row[time_index].strip()!r}.", line_number
            )

        values.append(_parse_temperature(path, row[dry_bulb_index], line_number))
    return values


def _parse_extract_row(path, fields: list[str], line_number: int, expected_hour: int) -> float:
    """Return the temperature of one extract row after checking its hour number."""
    if len(fields) != 2:
        raise WeatherFileError(path, f"expected 2 fields (hour, dry_bulb_c), got {len(fields)}.", line_number)

    if fields[0] != str(expected_hour):
        raise WeatherFileError(path, f"expected hour {expected_hour}, got {fields[0]!r}.", line_number)

    return _parse_temperature(path, fields[1], line_number)


def _parse_temperature(path, text: str, line_number: int) -> float:
    """Return a dry-bulb temperature in degC, rejecting text, non-finite and missing values."""
    try:
        value = float(text)
    except ValueError:
        raise WeatherFileError(
            path, f"the dry-bulb temperature {text.strip()!r} is not a number.", line_number
        ) from None

    if not math.isfinite(value) or value in _MISSING_MARKERS:
        raise WeatherFileError(
            path, f"the dry-bulb temperature {text.strip()!r} is missing or not finite.", line_number
        )
    return value


def _check_row_count(path, count: int, full_year: bool) -> None:
    """Raise WeatherFileError unless the file has hourly rows, 8760 of them for a full year."""
    if count == 0:
        raise WeatherFileError(path, "the file has no hourly rows.")

    if full_year and count != HOURS_PER_YEAR:
        raise WeatherFileError(path, f"the file has {count} hourly rows, expected {HOURS_PER_YEAR} (one year).")
