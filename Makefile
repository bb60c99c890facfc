# Every target creates its own virtualenv: a fresh clone needs nothing but python3.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
BENCH_STAMP := $(VENV)/.bench-installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
BENCH_ARGS ?=

.PHONY: demo test check fmt bench clean

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

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/ruff format --check bot rules tests bench
	$(BIN)/ruff check bot rules tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

fmt: $(STAMP)
	$(BIN)/ruff format bot rules tests bench
	$(BIN)/ruff check --fix bot rules tests bench

# Writes BENCHMARKS.md (about half an hour on 2 cores; synthetic exports are cached in
# .bench-cache/). More runs: make bench BENCH_ARGS="--repeats 5"; one section: "--only scan".
bench: $(BENCH_STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
