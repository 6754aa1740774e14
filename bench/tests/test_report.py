"""The Markdown page and where a run writes it."""

from bench.report import BenchRun, render
from bench.results import Figure, Measure, Target

MACHINE = {
    "cpu_count": 2,
    "python": "3.11.7",
    "flask": "3.1.3",
    "sqlalchemy": "2.1.9",
    "gunicorn": "27.0.1",
    "sqlite_library": "3.40.1",
}


def bench_run(**changes) -> BenchRun:
    values = dict(
        command="python -m bench",
        plan_name="full",
        started_at="2026-01-01 00:00 UTC",
        machine=MACHINE,
        load_before=(1.0, 0.5, 0.25),
        load_after=(2.0, 1.0, 0.5),
        seconds=600.0,
        figures=[
            Figure(
                "4",
                "CSV export",
                Measure(4.1, "s"),
                Measure(3.3, "s"),
                score=1.24,
                target=Target(2.0, at_least=False),
                note="136 MB",
            )
        ],
    )
    values.update(changes)
    return BenchRun(**values)


def test_page_has_one_row_per_figure():
    page = render(bench_run())
    assert "| 4 | CSV export | 4.10 s | 3.30 s | 1.24 | ≤ 2.00 | pass |" in page


def test_page_lists_figure_notes():
    assert "- **4.** 136 MB" in render(bench_run())


def test_page_lists_machine_versions():
    page = render(bench_run())
    assert "| CPU cores (os.cpu_count()) | 2 |" in page
    assert "| SQLite library (sqlite3.sqlite_version) | 3.40.1 |" in page
    assert "| Load average before the run (1, 5, 15 min) | 1.00, 0.50, 0.25 |" in page


def test_page_shows_group_errors_on_one_row():
    page = render(bench_run(errors={"export": "RuntimeError: gunicorn exited | see\nlog"}))
    assert "| – | `export` group | error: RuntimeError: gunicorn exited \\| see log | | | | ERROR |" in page


def test_page_starts_with_intro():
    assert render(bench_run()).startswith("# Benchmarks\n")
