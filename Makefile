# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test lint install clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/activate

install: $(BIN)/activate

run: install
	$(FLASK) db upgrade
	$(FLASK) demo load
	@echo "API docs: http://localhost:$(PORT)/api/v1/docs"
	FIRSTFIX_PUBLIC_URL=$${FIRSTFIX_PUBLIC_URL:-http://localhost:$(PORT)} \
		$(FLASK) run --host 0.0.0.0 --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -n 2 --dist loadgroup

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
