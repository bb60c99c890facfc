# Every target creates its own virtualenv: a fresh clone needs nothing but python3.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test check fmt bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dealnudge demo

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/ruff format --check bot rules tests
	$(BIN)/ruff check bot rules tests
	$(BIN)/mypy
	$(BIN)/python -m pytest

fmt: $(STAMP)
	$(BIN)/ruff format bot rules tests
	$(BIN)/ruff check --fix bot rules tests

clean:
	rm -rf $(VENV) build *.egg-info
