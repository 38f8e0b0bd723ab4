# The two commands a newcomer needs: `make run` and `make test`. Both run `make setup` first.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TALKWATCH := $(BIN)/talkwatch

.PHONY: setup run test unit lint demo stack-up stack-down bench clean

setup: $(STAMP)
	$(TALKWATCH) stack fetch

# Reinstall only when the dependency declarations change; pip's own cache keeps it offline-able.
$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install CPython 3.11" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

run: setup
	$(TALKWATCH) run

test: setup
	bash tests/run.sh

unit: $(STAMP)
	$(BIN)/pytest -q tests/unit

lint: $(STAMP)
	$(BIN)/ruff check .

demo: setup
	$(TALKWATCH) demo

stack-up: setup
	$(TALKWATCH) stack up

stack-down: $(STAMP)
	$(TALKWATCH) stack down

bench: setup
	$(BIN)/python -m bench.connectors_bench
	$(BIN)/python -m bench.pipeline_bench

clean:
	rm -rf $(VENV) build *.egg-info
