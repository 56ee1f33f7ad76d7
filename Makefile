# Cartess: the two commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
CARTESS_PGPORT ?= 55432
export CARTESS_PGPORT
export DATABASE_URL ?= postgis://cartess@127.0.0.1:$(CARTESS_PGPORT)/cartess

.PHONY: demo test stop db venv serve lint format lock clean

## demo: install what is missing, prepare PostGIS, import the bundled Lille data, serve :8000
demo: venv
	@config/dev/system-deps.sh demo
	@config/dev/postgis.sh start
	$(MANAGE) migrate --noinput
	$(MANAGE) import --all --skip-loaded
	$(MANAGE) demo_admin
	@echo "Cartess: http://127.0.0.1:8000 — admin: http://127.0.0.1:8000/admin/ (admin / cartess-demo, see README)"
	$(MANAGE) runserver 127.0.0.1:8000

## test: the same setup without the demo data, then the linters and the whole suite
test: venv
	@config/dev/system-deps.sh test
	@config/dev/postgis.sh start
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## stop: stop the project's PostGIS cluster
stop:
	@config/dev/postgis.sh stop

db:
	@config/dev/system-deps.sh demo
	@config/dev/postgis.sh start

venv: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.lock
	@config/dev/system-deps.sh demo
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.lock
	@touch $@

serve: venv db
	$(MANAGE) runserver 127.0.0.1:8000

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## lock: re-freeze requirements.lock and requirements-dev.lock from pyproject.toml
lock: venv
	$(VENV)/bin/pip install --quiet uv
	config/dev/lock.sh

clean: stop
	rm -rf $(VENV) .pgdata .pytest_cache .ruff_cache
