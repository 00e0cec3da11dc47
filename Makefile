# `make lab` and `make test` each create .venv if missing and install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: lab dashboard lite lite-serve test test-fast lint bench browser clean

# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

# The kit's JupyterLab settings (jupyter-settings/overrides.json5: a label's link to docs/protocol.md#rule opens the
# page rendered at that rule), copied into the venv where JupyterLab reads the defaults packages bring: settings you
# change in JupyterLab still win, and ~/.jupyter is left alone. The browser site gets the same (lite/build.py).
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.d/mexc-signature-lab.json5

lab: $(VENV)/.lab-installed $(LAB_SETTINGS)
	$(BIN)/jupyter lab $(ALLOW_ROOT) --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb $(LAB_ARGS)

$(LAB_SETTINGS): jupyter-settings/overrides.json5
	mkdir -p $(@D)
	cp $< $@

# The instructor's class dashboard (export the `instructor:` line `mexc-lab serve --class` printed first; without it,
# a demo class). LAB_ARGS passes options to JupyterLab, as for `make lab`.
dashboard: $(VENV)/.lab-installed $(LAB_SETTINGS)
	$(BIN)/jupyter lab $(ALLOW_ROOT) --LabApp.default_url=/lab/tree/notebooks/instructor/class_dashboard.ipynb $(LAB_ARGS)

# On every core; --dist loadfile keeps a file on one worker: a notebook's cells, and the browser tests' shared pages.
PARALLEL := -n auto --dist loadfile

test: $(VENV)/.dev-installed lint browser lite
	$(BIN)/python -m pytest $(PARALLEL)

# The kit as a static JupyterLite site in _site/: Python runs in the browser, nothing to install.
# Built from PyPI and npm only (downloads cached in ~/.cache/mexc-signature-lab/lite); the site fetches nothing at run time.
# The workshop's solutions stay out of it; `LITE_SOLUTIONS=1 make lite` builds an instructor's copy with them.
lite: $(VENV)/.lite-installed
	$(BIN)/python lite/build.py

# This machine only by default; LITE_HOST=0.0.0.0 serves a classroom (plain http: see the README).
LITE_HOST ?= 127.0.0.1
LITE_PORT ?= 8000
lite-serve:
	@test -f _site/jupyter-lite.json || $(MAKE) lite
	@echo "Serving the site on http://$(LITE_HOST):$(LITE_PORT)/lab/index.html (Ctrl-C stops it)"
	$(PYTHON) -m http.server $(LITE_PORT) --bind $(LITE_HOST) --directory _site

test-fast: $(VENV)/.dev-installed
	$(BIN)/python -m pytest $(PARALLEL) -m "not slow and not browser"

# The browser tests drive Debian's Chromium. Install it when missing and we are root; otherwise they
# skip with a one-line reason (under CI=true a missing browser fails them instead).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
		&& apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } \
		|| echo "Chromium not installed: the browser tests will skip (sudo apt-get install chromium)"

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check conftest.py mexc_helpers tests benchmarks lite examples
	$(BIN)/ruff format --check conftest.py mexc_helpers tests benchmarks lite examples
	$(BIN)/lint-imports  # the layering contract in pyproject.toml

bench: $(VENV)/.dev-installed lite
	$(BIN)/python benchmarks/bench_signing.py
	$(BIN)/python benchmarks/bench_doctor.py
	$(BIN)/python benchmarks/bench_labs.py
	$(BIN)/python benchmarks/bench_load.py
	$(BIN)/python benchmarks/bench_lite.py
	$(BIN)/python benchmarks/bench_proxy.py

# uv installs the same requirements as pip, in seconds instead of a minute and a half, compiled to bytecode as pip
# does (a Python that may not write .pyc files would otherwise compile every module at every start; pip works too:
# `pip install -r requirements-dev.txt`).
INSTALL := $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv~=0.13"

$(VENV)/.lab-installed: requirements.txt pyproject.toml | $(BIN)/python
	$(INSTALL) -r requirements.txt
	touch $@

$(VENV)/.lite-installed: requirements-lite.txt requirements.txt pyproject.toml | $(BIN)/python
	$(INSTALL) -r requirements-lite.txt
	touch $@ $(VENV)/.lab-installed

$(VENV)/.dev-installed: requirements-dev.txt requirements-lite.txt requirements.txt requirements-overrides.txt pyproject.toml | $(BIN)/python
	$(INSTALL) -r requirements-dev.txt --override requirements-overrides.txt
	touch $@ $(VENV)/.lite-installed $(VENV)/.lab-installed

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis artifacts _site build
