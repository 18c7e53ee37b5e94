# The README's two commands: `make run` and `make test`. Both create .venv when missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
SAMPLES ?= samples
OUT ?= out

.PHONY: run test lint bench clean-out

$(BIN)/python:
	$(PY) -m venv $(VENV)
	# the machine's pip is too old for lxml's extras: upgrade it inside the venv first
	$(BIN)/python -m pip install --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[dev]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/decruft run $(SAMPLES) --out $(OUT)

test: $(STAMP_DEV)
	$(BIN)/python -m ruff check cleaners flows tests benchmarks
	$(BIN)/python -m pytest -q

lint: $(STAMP_DEV)
	$(BIN)/python -m ruff check cleaners flows tests benchmarks
	$(BIN)/python -m ruff format --check cleaners flows tests benchmarks

clean-out:
	rm -rf $(OUT)
