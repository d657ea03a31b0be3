# Everything runs from the project's own virtual environment, made from nothing on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
TYPED := engine tui fixtures tests bench

.PHONY: test lint typecheck unit demo demo-team bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Floorwatch needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check $(TYPED)
	$(BIN)/ruff format --check $(TYPED)

# Test folders have no __init__.py and each has its own conftest: check them one by one.
typecheck: $(STAMP)
	$(BIN)/mypy --strict engine tui fixtures bench tests/*.py
	for dir in $$(ls -d tests/*/ | grep -v samples); do $(BIN)/mypy --strict "$$dir" || exit 1; done

unit: $(STAMP)
	$(BIN)/pytest

demo: $(STAMP)
	$(BIN)/floorwatch demo

# Two dashboards on one floor (a private PostgreSQL), in tmux: TEAM=3 for three.
demo-team: $(STAMP)
	$(BIN)/floorwatch demo --team $(or $(TEAM),2)

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
