# Cartess: the two commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
CARTESS_PGPORT ?= 55432
export CARTESS_PGPORT
export DATABASE_URL ?= postgis://cartess@127.0.0.1:$(CARTESS_PGPORT)/cartess
# The French and English catalogues, compiled from the committed .po files; `make messages`
# refreshes the .po files from the code and templates. Defined before the rules that depend
# on the compiled files: make reads prerequisites as it goes.
MO := locale/fr/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.mo

.PHONY: demo demo-online test stop db venv npm messages serve lint format lock clean bench bench-inprocess bench-import bench-sync bench-hostile

## demo: install what is missing, prepare PostGIS, import the bundled Lille data, serve :8000
demo: venv npm $(MO)
	@config/dev/system-deps.sh demo
	@config/dev/postgis.sh start
	$(MANAGE) migrate --noinput
	$(MANAGE) import --all --skip-loaded
	$(MANAGE) demo_admin
	@echo "Cartess: http://127.0.0.1:8000 — admin: http://127.0.0.1:8000/admin/ (admin / cartess-demo, see README)"
	$(MANAGE) runserver 127.0.0.1:8000

## demo-online: the demo, brought up to date from the live sources first (`manage.py sync`,
## network access needed; a source that cannot be reached is reported and the demo still starts)
demo-online: venv npm $(MO)
	@config/dev/system-deps.sh demo
	@config/dev/postgis.sh start
	$(MANAGE) migrate --noinput
	$(MANAGE) import --all --skip-loaded
	-$(MANAGE) sync
	$(MANAGE) demo_admin
	@echo "Cartess: http://127.0.0.1:8000 — admin: http://127.0.0.1:8000/admin/ (admin / cartess-demo, see README)"
	$(MANAGE) runserver 127.0.0.1:8000

## test: the same setup without the demo data, then the linters and the whole suite
test: venv npm $(MO)
	@config/dev/system-deps.sh test
	@config/dev/postgis.sh start
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## bench: BENCH_COUNT synthetic organisations (10,000; BENCH_COUNT=100000 or 1000000) in a
## throw-away database, then every page and API through real HTTP against gunicorn under the
## production settings (2 workers), each beside its bare SQL; figures in bench/results/; then
## 60 s of load on the map API and the directory search through the production nginx
## configuration in front of gunicorn (bench_load --through-nginx: fails on one error); then
## the sync figure of bench-sync (issue 15: `sync` twice, rows/s, peak memory, rows rewritten)
BENCH_COUNT ?= 10000
BENCH_DB ?= cartess_bench_$(BENCH_COUNT)
bench: venv npm
	@config/dev/system-deps.sh bench
	@CARTESS_DBNAME=$(BENCH_DB) config/dev/postgis.sh start
	DATABASE_URL=postgis://cartess@127.0.0.1:$(CARTESS_PGPORT)/$(BENCH_DB) $(MANAGE) migrate --noinput
	DATABASE_URL=postgis://cartess@127.0.0.1:$(CARTESS_PGPORT)/$(BENCH_DB) $(MANAGE) bench_http --count $(BENCH_COUNT)
	DATABASE_URL=postgis://cartess@127.0.0.1:$(CARTESS_PGPORT)/$(BENCH_DB) $(MANAGE) bench_load --duration 60 --through-nginx
	$(MAKE) bench-sync

## bench-inprocess: the earlier measures, 100,000 organisations: map and search through Django's
## test client and their selectors, then 60 s of load through gunicorn (fails on one error)
BENCH_MAP_DB := cartess_bench_map
bench-inprocess: venv
	@config/dev/system-deps.sh demo
	@CARTESS_DBNAME=$(BENCH_MAP_DB) config/dev/postgis.sh start
	DATABASE_URL=postgis://cartess@127.0.0.1:$(CARTESS_PGPORT)/$(BENCH_MAP_DB) $(MANAGE) migrate --noinput
	DATABASE_URL=postgis://cartess@127.0.0.1:$(CARTESS_PGPORT)/$(BENCH_MAP_DB) $(MANAGE) bench_map
	DATABASE_URL=postgis://cartess@127.0.0.1:$(CARTESS_PGPORT)/$(BENCH_MAP_DB) $(MANAGE) bench_load --duration 60

## bench-import: 1,000,000 synthetic SIRENE établissements imported twice into a throw-away
## database: all in the territory (the worst case), then a national-shaped file (1 % in it)
BENCH_IMPORT_DB := cartess_bench_import
bench-import: venv
	@config/dev/system-deps.sh demo
	@CARTESS_DBNAME=$(BENCH_IMPORT_DB) config/dev/postgis.sh start
	DATABASE_URL=postgis://cartess@127.0.0.1:$(CARTESS_PGPORT)/$(BENCH_IMPORT_DB) $(MANAGE) migrate --noinput
	DATABASE_URL=postgis://cartess@127.0.0.1:$(CARTESS_PGPORT)/$(BENCH_IMPORT_DB) $(MANAGE) bench_import --rows 1000000
	DATABASE_URL=postgis://cartess@127.0.0.1:$(CARTESS_PGPORT)/$(BENCH_IMPORT_DB) $(MANAGE) bench_import --rows 1000000 --territory-share 0.01

## bench-sync: `sync` twice on a national-shaped payload set served by a local HTTP server
## (SYNC_SCALE=1: 1,250 API units, 2,000 aids, 50,000 SIRENE rows, 20,000 RNA and 20,000
## data·inclusion rows, 150 friches, 1,600 QPV), in a throw-away database
SYNC_SCALE ?= 1
BENCH_SYNC_DB := cartess_bench_sync
bench-sync: venv
	@config/dev/system-deps.sh demo
	@CARTESS_DBNAME=$(BENCH_SYNC_DB) config/dev/postgis.sh start
	DATABASE_URL=postgis://cartess@127.0.0.1:$(CARTESS_PGPORT)/$(BENCH_SYNC_DB) $(MANAGE) migrate --noinput
	DATABASE_URL=postgis://cartess@127.0.0.1:$(CARTESS_PGPORT)/$(BENCH_SYNC_DB) $(MANAGE) bench_sync --scale $(SYNC_SCALE)

## bench-hostile: 100,000 rows of one identifier for Recherche d'entreprises (local API
## pages), communes, quartiers, seed-closures, data·inclusion, RNA, QPV and SIAE, each import
## in its own process (seconds, peak memory, outcome), in a throw-away database
HOSTILE_COPIES ?= 100000
BENCH_HOSTILE_DB := cartess_bench_hostile
bench-hostile: venv
	@config/dev/system-deps.sh demo
	@CARTESS_DBNAME=$(BENCH_HOSTILE_DB) config/dev/postgis.sh start
	DATABASE_URL=postgis://cartess@127.0.0.1:$(CARTESS_PGPORT)/$(BENCH_HOSTILE_DB) $(MANAGE) migrate --noinput
	DATABASE_URL=postgis://cartess@127.0.0.1:$(CARTESS_PGPORT)/$(BENCH_HOSTILE_DB) $(MANAGE) bench_hostile --copies $(HOSTILE_COPIES)

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

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	@config/dev/system-deps.sh demo
	msgfmt --check --output-file $@ $<

messages: venv
	config/dev/messages.sh

# Front-end libraries from the npm registry, exactly as package-lock.json pins them.
npm: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@config/dev/system-deps.sh demo
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

serve: venv npm $(MO) db
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
	rm -rf $(VENV) .pgdata .pytest_cache .ruff_cache node_modules $(MO)
