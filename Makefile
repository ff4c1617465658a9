# Thin wrappers; every target shows the command it runs.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip

.PHONY: setup setup-test run test bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --upgrade pip

setup: $(BIN)/python
	$(PIP) install -c constraints.txt -e ".[stats,deep,mlops]"

setup-test: $(BIN)/python
	$(PIP) install -c constraints.txt -e ".[stats,deep,mlops,test]"

run: setup
	$(BIN)/mlweekly run

test: setup-test
	$(BIN)/python -m pytest -n 2

bench: setup-test
	$(BIN)/mlweekly bench

lint: setup-test
	$(BIN)/ruff check src tests lessons benchmarks

clean:
	rm -rf $(VENV) journal .pytest_cache
