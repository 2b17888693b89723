# Caravan: `make demo` serves the demo marketplace; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE ?= caravan.config.settings.dev
# The suite always runs on the test settings, whatever the shell exported for the demo.
PYTEST := DJANGO_SETTINGS_MODULE=caravan.config.settings.test $(BIN)/pytest
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/caravan_test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: openapi demo test install install-test system-deps lint typecheck layers test-sqlite test-postgres test-browser bench serve-prod clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"

demo: install
	$(BIN)/caravan migrate --noinput
	$(BIN)/caravan seed-demo --url http://$(HOST):$(PORT)
	@echo "Serving Caravan at http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(BIN)/caravan runserver $(HOST):$(PORT) --noreload

# Chromium drives the browser tests; wrk drives the benchmark.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v wrk >/dev/null 2>&1 || [ ! -d /usr/share/fonts/truetype/noto ]; then \
		apt-get update -qq && apt-get install -y -qq chromium wrk fonts-noto-color-emoji >/dev/null; fi
	@# Chinese glyphs for the zh-hans pages in headless Chromium (screenshots, browser tests) and for
	@# WeasyPrint's PDFs; without a CJK font both draw empty boxes.
	@if [ ! -d /usr/share/fonts/truetype/wqy ]; then \
		apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei >/dev/null; fi
	@# WeasyPrint (customs declarations as PDF) renders with Pango.
	@if ! ldconfig -p | grep -q libpangoft2-1.0; then \
		apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; fi

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install-test
	$(BIN)/mypy

layers: install-test
	$(BIN)/lint-imports

test-sqlite: install-test
	$(PYTEST) -q

test-postgres: install-test
	DATABASE_URL=$(PG_TEST_URL) $(PYTEST) -q -m postgres

test-browser: install-test system-deps
	$(PYTEST) -q -m browser

test: install-test system-deps lint typecheck layers test-sqlite test-postgres test-browser

# The demo the production way: gunicorn, WhiteNoise (hashed static files), Redis, and Celery
# worker + beat (the scheduler that expires unpaid orders and releases escrow). Needs Redis.
serve-prod: install
	$(BIN)/python -m caravan.demo.serve_prod --host $(HOST) --port $(PORT)

bench: install-test system-deps
	$(BIN)/python bench/run.py

# Three Russian catalogs (English is the source language): the domain apps' catalog in
# src/caravan/locale (LOCALE_PATHS, read first), the storefront's (its pages, the top-level
# templates such as base.html, the back office's templates, the sandbox payment page and the
# notification mails' layout)
# and the seller portal's.
# makemessages merges into the existing catalog, so every translation is kept; a new or
# changed string arrives untranslated or fuzzy and kernel/tests/test_translations.py fails
# until it is translated. The interface apps' templates live outside their app directory,
# so each of their catalogs is extracted in a scratch directory of symlinks placed outside
# src/caravan (inside it, LOCALE_PATHS would claim the strings for the domain catalog), with
# the app's own locale directory ignored (makemessages would write there, past the scratch
# copy of the catalog, and lose the templates' strings).
# English is the source language; these are the shipped translations (settings.LANGUAGES
# less "en", in Django's locale spelling: "zh-hans" lives in zh_Hans).
LOCALES = ru de zh_Hans
LOCALE_FLAGS = $(foreach locale,$(LOCALES),--locale $(locale))
MAKEMESSAGES = $(abspath $(BIN))/caravan makemessages $(LOCALE_FLAGS) --symlinks --ignore tests --ignore static --ignore var
# Every template directory but the seller portal's goes to the storefront catalog, shared partials
# (conversations, customs, parcels) included: a directory left out of both lists reaches no catalog.
STOREFRONT_MESSAGES = storefront $(filter-out templates/seller_portal,$(patsubst src/caravan/%/,%,$(wildcard src/caravan/templates/*/))) $(patsubst src/caravan/%,%,$(wildcard src/caravan/templates/*.html)) payments/templates notifications/templates
SELLER_PORTAL_MESSAGES = seller_portal templates/seller_portal

# $(1): the app owning the catalog; $(2): its sources, relative to src/caravan.
define app_messages
	scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	for locale in $(LOCALES); do \
		mkdir -p "$$scratch/locale/$$locale/LC_MESSAGES" && \
		cp src/caravan/$(1)/locale/$$locale/LC_MESSAGES/django.po "$$scratch/locale/$$locale/LC_MESSAGES/"; \
	done && \
	for source in $(2); do \
		mkdir -p "$$scratch/$$(dirname $$source)" && ln -s "$(CURDIR)/src/caravan/$$source" "$$scratch/$$source"; \
	done && \
	(cd "$$scratch" && $(MAKEMESSAGES) --ignore locale) && \
	for locale in $(LOCALES); do \
		cp "$$scratch/locale/$$locale/LC_MESSAGES/django.po" src/caravan/$(1)/locale/$$locale/LC_MESSAGES/django.po; \
	done
endef

messages: install
	cd src/caravan && $(MAKEMESSAGES) --ignore storefront --ignore seller_portal --ignore templates
	$(call app_messages,storefront,$(STOREFRONT_MESSAGES))
	$(call app_messages,seller_portal,$(SELLER_PORTAL_MESSAGES))
	@for catalog in src/caravan/locale src/caravan/storefront/locale src/caravan/seller_portal/locale; do \
		for locale in $(LOCALES); do \
			printf '%s/%s: ' $$catalog $$locale; msgfmt --statistics -o /dev/null $$catalog/$$locale/LC_MESSAGES/django.po; \
		done; \
	done
	cd src/caravan && $(abspath $(BIN))/caravan compilemessages $(LOCALE_FLAGS) --ignore static --ignore var

clean:
	rm -rf var/caravan.sqlite3* var/media var/static

openapi: install
	$(BIN)/python -c "import django; django.setup(); from caravan.api.openapi import write_schema; print(write_schema())"
