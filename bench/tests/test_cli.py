"""Options of `python -m bench`: the page it writes and the environment it ignores."""

import os

from bench.__main__ import DOCS_PAGE, SCRATCH_PAGE, default_output, drop_flask_variables, parse_args
from bench.figures import GROUPS


def test_full_run_writes_docs_page():
    assert default_output(list(GROUPS), quick=False) == DOCS_PAGE


def test_quick_run_writes_scratch_page():
    assert default_output(list(GROUPS), quick=True) == SCRATCH_PAGE


def test_partial_run_writes_scratch_page():
    assert default_output(["export"], quick=False) == SCRATCH_PAGE


def test_only_repeats_collect_groups():
    assert parse_args(["--only", "steps", "--only", "pacing"]).only == ["steps", "pacing"]


def test_flask_settings_are_dropped(monkeypatch):
    monkeypatch.setenv("FLASK_SIM_SPEED", "3")
    drop_flask_variables()
    assert "FLASK_SIM_SPEED" not in os.environ


def test_flask_app_is_kept(monkeypatch):
    monkeypatch.setenv("FLASK_APP", "wsgi.py")
    drop_flask_variables()
    assert os.environ["FLASK_APP"] == "wsgi.py"
