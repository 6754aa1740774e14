"""Command line of the benchmarks: `python -m bench [--quick] [--only GROUP] ...`."""

import argparse
import logging
import os
import shlex
import sys
import time
from datetime import datetime, timezone

from bench.figures import GROUPS
from bench.machine import machine_info
from bench.plan import FULL, QUICK
from bench.report import BenchRun, write_json, write_page
from bench.workspace import Workspace

log = logging.getLogger("bench")

BENCH_ROOT = os.path.dirname(os.path.abspath(__file__))
PROJECT_ROOT = os.path.dirname(BENCH_ROOT)
RESULTS_DIR = os.path.join(BENCH_ROOT, "results")
DOCS_PAGE = os.path.join(PROJECT_ROOT, "docs", "benchmarks.md")
SCRATCH_PAGE = os.path.join(RESULTS_DIR, "benchmarks.md")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure Loopsim against baselines taken in the same run and write a Markdown table.",
        epilog="Exit status: 0, or 1 with --check when a figure misses its target, or 2 when a group failed to run.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run in about a minute: 50k stored rows instead of 1M, intervals of seconds, 10 s of pacing",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=list(GROUPS),
        metavar="GROUP",
        help=f"run only this group of figures; repeat for several. Groups: {', '.join(GROUPS)}",
    )
    parser.add_argument(
        "--output",
        help="Markdown page to write (default: docs/benchmarks.md for a full run of every group, "
        "else bench/results/benchmarks.md so that partial runs never replace the committed page)",
    )
    parser.add_argument(
        "--keep-databases",
        action="store_true",
        help="keep the scratch SQLite files in bench/results/ after the run (about 700 MB for the full plan)",
    )
    parser.add_argument("--check", action="store_true", help="exit with status 1 when a figure misses its target")

    return parser.parse_args(argv)


def default_output(groups: list[str], quick: bool) -> str:
    """Return docs/benchmarks.md for a full run of every group, else the page in bench/results/."""
    if quick or sorted(groups) != sorted(GROUPS):
        return SCRATCH_PAGE

    return DOCS_PAGE


def configure_logging() -> None:
    """Log the benchmark's progress to stderr through a handler of its own, because each app it builds sets the root logger to WARNING."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s", "%H:%M:%S"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def drop_flask_variables() -> None:
    """Remove FLASK_* settings from the environment, so that every figure runs with the Config defaults.

    The gunicorn servers never see them, and the in-process apps would
    otherwise read them. FLASK_APP, which the Makefile sets, stays.
    """
    names = sorted(name for name in os.environ if name.startswith("FLASK_") and name != "FLASK_APP")
    for name in names:
        del os.environ[name]

    if names:
        log.warning("ignoring %s: the benchmarks run with app/config.py and instance/config.py only", ", ".join(names))


def main(argv: list[str]) -> int:
    options = parse_args(argv)
    configure_logging()
    drop_flask_variables()
    plan = QUICK if options.quick else FULL
    groups = options.only or list(GROUPS)
    output = options.output or default_output(groups, options.quick)

    bench_run = BenchRun(
        command=" ".join(["python -m bench", *map(shlex.quote, argv)]),
        plan_name="quick" if options.quick else "full",
        started_at=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        machine=machine_info(),
        load_before=os.getloadavg(),
    )
    log.info("%s plan, groups %s, %d cores, load average %.2f", bench_run.plan_name, ", ".join(groups), os.cpu_count(), bench_run.load_before[0])

    workspace = Workspace(RESULTS_DIR, plan.seeded_rows)
    started = time.monotonic()
    try:
        for group in groups:
            run_group(group, workspace, plan, bench_run)
    finally:
        if not options.keep_databases:
            workspace.clean()

    bench_run.seconds = time.monotonic() - started
    bench_run.load_after = os.getloadavg()
    write_page(output, bench_run)
    write_json(os.path.join(RESULTS_DIR, "results.json"), bench_run)
    print_summary(bench_run, output)

    if bench_run.errors:
        return 2

    return 1 if options.check and bench_run.failed else 0


def run_group(group: str, workspace: Workspace, plan, bench_run: BenchRun) -> None:
    """Measure one group and add its figures, or record its error and go on with the next group."""
    log.info("group %s: starting", group)
    started = time.monotonic()
    try:
        figures = GROUPS[group](workspace, plan)
    except Exception as exc:
        log.exception("group %s failed", group)
        bench_run.errors[group] = f"{type(exc).__name__}: {exc}"
        return

    bench_run.figures.extend(figures)
    log.info("group %s: done in %.0f s", group, time.monotonic() - started)


def print_summary(bench_run: BenchRun, output: str) -> None:
    for figure in bench_run.figures:
        target = figure.target.describe() if figure.target else ""
        print(
            f"{figure.number:>3}  {figure.verdict:8}  {figure.describe_score():>10} {target:10}  "
            f"{figure.value.describe()} vs {figure.baseline.describe()}  {figure.title}"
        )
    for group, message in bench_run.errors.items():
        print(f"  -  ERROR     group {group}: {message}")

    print(f"wrote {output} in {bench_run.seconds / 60:.1f} minutes")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
