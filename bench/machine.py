"""The machine and software versions that a benchmark run measured."""

import os
import platform
import sqlite3
import subprocess
from importlib.metadata import version


def machine_info() -> dict:
    """Return the core count, Python, library and SQLite versions of this process."""
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "flask": version("flask"),
        "sqlalchemy": version("sqlalchemy"),
        "gunicorn": version("gunicorn"),
        "sqlite_library": sqlite3.sqlite_version,
        "sqlite_cli": sqlite_cli_version(),
        "revision": source_revision(),
    }


def cpu_model() -> str:
    """Return the CPU model name from /proc/cpuinfo, or "unknown" where it has none."""
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass

    return "unknown"


def source_revision() -> str:
    """Return `git describe --always --dirty` of the project, or "unknown" outside a git checkout."""
    project_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        output = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=project_root, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"

    return output.strip()


def sqlite_cli_version() -> str:
    """Return the version of the `sqlite3` command-line shell, or "not installed"."""
    try:
        output = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "not installed"

    return output.split()[0]
