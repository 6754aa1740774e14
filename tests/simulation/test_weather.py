"""TMY3 reader, packaged Greensboro extract and weather interpolation."""

import csv
from pathlib import Path

import pytest

from app.simulation import SimulationConfig, ValidationError, WeatherFileError, load_dry_bulb, read_tmy3_dry_bulb
from app.simulation.weather import DEFAULT_EXTRACT, dry_bulb_at, read_dry_bulb_extract

from .helpers import simulate

EXCERPT = Path(__file__).parents[1] / "data" / "tmy3_excerpt.csv"


def excerpt_lines() -> list[str]:
    return EXCERPT.read_text().splitlines()


def excerpt_dry_bulb() -> list[float]:
    """Return the dry-bulb column of the excerpt, read with the csv module."""
    with EXCERPT.open(newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[1].index("Dry-bulb (C)")
    return [float(row[column]) for row in rows[2:]]


def write_year(path: Path, temperature_of_hour) -> Path:
    """Write a full-year TMY3 file with the excerpt's header and rows, and dry-bulb = f(hour)."""
    header, names, template = excerpt_lines()[0], excerpt_lines()[1], excerpt_lines()[2].split(",")
    column = names.split(",").index("Dry-bulb (C)")
    lines = [header, names]
    for hour in range(1, 8761):
        row = list(template)
        row[1] = f"{(hour - 1) % 24 + 1:02d}:00"
        row[column] = f"{temperature_of_hour(hour):.1f}"
        lines.append(",".join(row))
    path.write_text("\n".join(lines) + "\n")
    return path


def write_excerpt_variant(path: Path, edit) -> Path:
    """Write the excerpt after ``edit`` changed its list of lines."""
    lines = excerpt_lines()
    edit(lines)
    path.write_text("\n".join(lines) + "\n")
    return path


def test_reader_reads_excerpt():
    series = read_tmy3_dry_bulb(EXCERPT, full_year=False)

    assert list(series.values) == excerpt_dry_bulb()
    assert len(series.values) == 48
    assert "723170" in series.source


def test_reader_requires_full_year():
    with pytest.raises(WeatherFileError, match="48 hourly rows, expected 8760"):
        read_tmy3_dry_bulb(EXCERPT)


def test_reader_rejects_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")

    with pytest.raises(WeatherFileError, match="empty") as error:
        read_tmy3_dry_bulb(path)

    assert str(path) in str(error.value)


def test_reader_rejects_missing_column(tmp_path):
    def rename_column(lines):
        lines[1] = lines[1].replace("Dry-bulb (C)", "Drybulb")

    path = write_excerpt_variant(tmp_path / "no_column.csv", rename_column)

    with pytest.raises(WeatherFileError, match="Dry-bulb") as error:
        read_tmy3_dry_bulb(path, full_year=False)

    assert error.value.line == 2


def test_reader_rejects_text_value(tmp_path):
    column = excerpt_lines()[1].split(",").index("Dry-bulb (C)")

    def corrupt_row(lines):
        fields = lines[11].split(",")
        fields[column] = "warm"
        lines[11] = ",".join(fields)

    path = write_excerpt_variant(tmp_path / "text.csv", corrupt_row)

    with pytest.raises(WeatherFileError, match="'warm' is not a number") as error:
        read_tmy3_dry_bulb(path, full_year=False)

    assert error.value.line == 12
    assert f"{path}, line 12" in str(error.value)


def test_reader_rejects_missing_marker(tmp_path):
    column = excerpt_lines()[1].split(",").index("Dry-bulb (C)")

    def mark_missing(lines):
        fields = lines[5].split(",")
        fields[column] = "-9900"
        lines[5] = ",".join(fields)

    path = write_excerpt_variant(tmp_path / "missing.csv", mark_missing)

    with pytest.raises(WeatherFileError, match="missing") as error:
        read_tmy3_dry_bulb(path, full_year=False)

    assert error.value.line == 6


def test_reader_rejects_hour_gap(tmp_path):
    path = write_excerpt_variant(tmp_path / "gap.csv", lambda lines: lines.pop(20))

    with pytest.raises(WeatherFileError, match="expected the time 19:00") as error:
        read_tmy3_dry_bulb(path, full_year=False)

    assert error.value.line == 21


def test_reader_rejects_short_row(tmp_path):
    def truncate(lines):
        lines[7] = ",".join(lines[7].split(",")[:10])

    path = write_excerpt_variant(tmp_path / "short.csv", truncate)

    with pytest.raises(WeatherFileError, match="too few") as error:
        read_tmy3_dry_bulb(path, full_year=False)

    assert error.value.line == 8


def test_reader_rejects_missing_file(tmp_path):
    with pytest.raises(WeatherFileError, match="cannot open"):
        read_tmy3_dry_bulb(tmp_path / "absent.csv")


def test_packaged_extract_matches_excerpt():
    series = read_dry_bulb_extract(DEFAULT_EXTRACT)

    assert len(series.values) == 8760
    assert list(series.values[:48]) == excerpt_dry_bulb()
    assert "723170" in series.source
    assert "GREENSBORO" in series.source


def test_extract_rejects_wrong_hour(tmp_path):
    path = tmp_path / "extract.csv"
    path.write_text("# test extract\nhour,dry_bulb_c\n1,5.0\n3,6.0\n")

    with pytest.raises(WeatherFileError, match="expected hour 2") as error:
        read_dry_bulb_extract(path)

    assert error.value.line == 4


def test_load_parses_each_path_once(tmp_path):
    path = write_year(tmp_path / "year.csv", lambda hour: hour % 30)

    assert load_dry_bulb(path) is load_dry_bulb(path)
    assert load_dry_bulb(None) is load_dry_bulb(DEFAULT_EXTRACT)


def test_interpolation_between_hours(tmp_path):
    series = load_dry_bulb(write_year(tmp_path / "year.csv", lambda hour: (hour % 50) / 2))

    # Row n contains (n mod 50)/2, the value at the end of hour n.
    assert dry_bulb_at(series, 10.0) == 5.0
    assert dry_bulb_at(series, 10.25) == pytest.approx(5.125, abs=1e-12)
    assert dry_bulb_at(series, 49.5) == pytest.approx(12.25, abs=1e-12)


def test_interpolation_wraps_at_year_end(tmp_path):
    series = load_dry_bulb(write_year(tmp_path / "year.csv", lambda hour: 30.0 if hour == 8760 else 10.0))

    # Hour 8760 (24:00 on 31 December) is 30 degC and hour 1 is 10 degC.
    assert dry_bulb_at(series, 8760.0) == 30.0
    assert dry_bulb_at(series, 0.0) == 30.0
    assert dry_bulb_at(series, 0.5) == pytest.approx(20.0, abs=1e-12)
    assert dry_bulb_at(series, 8760.75) == pytest.approx(15.0, abs=1e-12)
    assert dry_bulb_at(series, 2 * 8760.0 + 0.5) == pytest.approx(20.0, abs=1e-12)


def test_weather_profile_uses_start_hour(tmp_path):
    path = write_year(tmp_path / "year.csv", lambda hour: float(hour % 24))
    snapshots = simulate(
        3,
        plant="thermal_zone",
        dt=900.0,
        disturbance={"profile": "weather", "params": {"file": str(path), "start_hour": 5.0}},
    )
    outdoor = [snapshot.signals["outdoor_temperature"] for snapshot in snapshots]

    assert outdoor == pytest.approx([5.0, 5.25, 5.5], abs=1e-12)


def test_config_rejects_bad_weather_file(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("not a weather file\n")

    with pytest.raises(ValidationError, match="bad.csv") as error:
        SimulationConfig(disturbance={"profile": "weather", "params": {"file": str(path)}})

    assert error.value.field == "disturbance.params.file"
