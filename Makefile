# Everyday commands. `make run` and `make test` set up everything they need first.
SHELL := /bin/bash
PORT ?= 8000
TEST_WORKERS ?= $(shell nproc)
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask
export FLASK_APP := wsgi.py

.PHONY: run serve setup test test-sqlite test-postgres lint lint-only messages translations deps dev-deps system-deps node-deps bench bench-load bench-idle clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

deps: $(VENV)/.installed
dev-deps: $(VENV)/.dev-installed

translations: deps
	$(VENV)/bin/pybabel compile --use-fuzzy -d app/translations -f >/dev/null

setup: deps translations
	$(FLASK) setup

run: setup ## set everything up and serve on http://127.0.0.1:$(PORT)
	PORT=$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py --bind 127.0.0.1:$(PORT) wsgi:app

serve: setup ## production settings (needs SECRET_KEY; BIND, WEB_CONCURRENCY: docs/deployment.md)
	MOTCUA_ENV=production PORT=$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py wsgi:app

system-deps:
	bash scripts/install-system-deps.sh

node-deps: system-deps
	test -f node_modules/.package-lock.json -a node_modules/.package-lock.json -nt package-lock.json || npm ci --no-audit --no-fund --silent

lint: dev-deps node-deps lint-only ## ruff and mypy for Python, eslint (eslint.config.js) for app/static/js

# Type-checked: the record schema, fee arithmetic, search and the modules added in round three.
TYPED := app/schema app/fees.py app/search app/spreadsheet.py app/startup.py app/csvcells.py \
	app/collation.py app/notices.py app/uploads_held.py app/ratelimit.py app/schedule app/service_points \
	app/public/service_points.py app/editor/service_points.py app/revisions app/tablet app/dbretry.py \
	app/budget.py app/quality/import_preview.py app/editor/quality_import.py \
	app/compression.py

lint-only:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy $(TYPED)
	node_modules/.bin/eslint .

messages: dev-deps ## extract interface strings and update the catalogues
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot . >/dev/null
	$(VENV)/bin/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching >/dev/null

test: ## set-up, lint, the suite on SQLite and on PostgreSQL; prints the time of each phase
	bash scripts/test-phases.sh

test-sqlite: dev-deps translations node-deps ## the whole suite on SQLite, slow tests included
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder

test-postgres: dev-deps translations ## the suite against a throwaway PostgreSQL server
	bash scripts/with-postgres.sh $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder -m "not browser"

bench: dev-deps
	$(PY) benchmarks/search_bench.py

bench-load: deps translations ## wrk against gunicorn (installs wrk when missing)
	bash benchmarks/load.sh

bench-idle: dev-deps translations ## what idle nodes cost, and publish → searchable, on SQLite then PostgreSQL
	$(PY) benchmarks/idle_bench.py
	bash scripts/with-postgres.sh $(PY) benchmarks/idle_bench.py

clean:
	rm -rf $(VENV) node_modules instance search_index/*
