# `make lab` and `make test` each create .venv if missing and install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: lab test test-fast lint bench clean

# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

lab: $(VENV)/.lab-installed
	$(BIN)/jupyter lab notebooks/ $(ALLOW_ROOT) $(LAB_ARGS)

test: $(VENV)/.dev-installed lint
	$(BIN)/python -m pytest

test-fast: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -m "not slow"

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check mexc_helpers tests benchmarks
	$(BIN)/ruff format --check mexc_helpers tests benchmarks

bench: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/bench_signing.py
	$(BIN)/python benchmarks/bench_doctor.py

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.lab-installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.lab-installed

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis artifacts
