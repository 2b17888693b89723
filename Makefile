# Caravan: `make demo` serves the demo marketplace; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE ?= caravan.config.settings.dev
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/caravan_test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install install-test system-deps lint typecheck layers test-sqlite test-postgres test-browser bench serve-prod clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"

demo: install
	$(BIN)/caravan migrate --noinput
	$(BIN)/caravan seed-demo
	@echo "Serving Caravan at http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(BIN)/caravan runserver $(HOST):$(PORT) --noreload

# Chromium drives the browser tests; wrk drives the benchmark.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v wrk >/dev/null 2>&1 || [ ! -d /usr/share/fonts/truetype/noto ]; then \
		apt-get update -qq && apt-get install -y -qq chromium wrk fonts-noto-color-emoji >/dev/null; fi

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install-test
	$(BIN)/mypy

layers: install-test
	$(BIN)/lint-imports

test-sqlite: install-test
	$(BIN)/pytest -q -p no:randomly

test-postgres: install-test
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -q -m postgres

test-browser: install-test system-deps
	$(BIN)/pytest -q -m browser

test: install-test system-deps lint typecheck layers test-sqlite test-postgres test-browser

bench: install-test system-deps
	$(BIN)/python bench/run.py

messages: install
	cd src/caravan && ../../$(BIN)/caravan makemessages -l ru -l en --ignore 'static/*' && ../../$(BIN)/caravan compilemessages

clean:
	rm -rf var/caravan.sqlite3* var/media var/static
