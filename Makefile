# Every target sets up .venv from pyproject.toml first, so a fresh clone
# needs nothing but Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export FLASK_APP := wsgi.py

.PHONY: run test bench migrate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

migrate: $(STAMP)
	mkdir -p instance
	$(BIN)/flask db upgrade

run: migrate
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: migrate
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
