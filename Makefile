# Every target creates its own virtualenv: a fresh clone needs nothing but python3.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
BENCH_STAMP := $(VENV)/.bench-installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
BENCH_ARGS ?=
# pytest with its bytecode (and its rewritten test modules) kept in .venv/pycache, even
# where the environment sets PYTHONDONTWRITEBYTECODE: otherwise each of its workers compiles
# bot/, rules/ and tests/ again on every run (seconds of CPU apiece).
PYTEST := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/$(VENV)/pycache $(BIN)/python -m pytest

.PHONY: demo test test-slow check fmt bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# The bench extra (DuckDB, psutil, pyinstrument) on top of dev, with its own stamp.
$(BENCH_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	rm -f $(VENV)/.bench-installed-*
	touch $(BENCH_STAMP)

demo: $(STAMP)
	$(BIN)/dealnudge demo

# The fast suite (pyproject's addopts leave out tests marked slow); test-slow runs only the
# slow kinds (see the marker in pyproject.toml), in one process: they wait on real time and
# real processes, which three workers on two cores would crowd. .ci/run runs both.
test: $(STAMP)
	$(PYTEST)

test-slow: $(STAMP)
	$(PYTEST) -m slow -n 0

check: $(STAMP)
	$(BIN)/ruff format --check bot rules tests bench
	$(BIN)/ruff check bot rules tests bench
	$(BIN)/mypy
	$(PYTEST)

fmt: $(STAMP)
	$(BIN)/ruff format bot rules tests bench
	$(BIN)/ruff check --fix bot rules tests bench

# Writes BENCHMARKS.md (about half an hour on 2 cores; synthetic exports are cached in
# .bench-cache/). More runs: make bench BENCH_ARGS="--repeats 5"; one section: "--only scan".
bench: $(BENCH_STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
