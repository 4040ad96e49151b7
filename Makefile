# The two commands of the README: `make run` (demo on embedded defaults) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin

# What the test suite talks to (overridable from the environment).
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://vpswg:vpswg@127.0.0.1:5432/vpswg)
TEST_REDIS_URL ?= $(or $(REDIS_URL),redis://127.0.0.1:6379/14)
TEST_CACHE_URL ?= redis://127.0.0.1:6379/15
TEST_ENV := DJANGO_ENV=test DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	CACHE_URL=$(or $(CACHE_URL),$(TEST_CACHE_URL)) EMAIL_URL=

.PHONY: run jobs test install install-dev services messages lint format bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required (Python 3.11): install it, or run 'make PYTHON=/path/to/python3.11 ...'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@touch $@

$(VENV)/.dev: requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	@touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

## make run: install, migrate, load the demo, serve http://127.0.0.1:8000 (SQLite, no services)
run: install
	env -u DATABASE_URL -u REDIS_URL -u CACHE_URL -u EMAIL_URL -u DJANGO_ENV \
		$(BIN)/python manage.py migrate --noinput
	env -u DATABASE_URL -u REDIS_URL -u CACHE_URL -u EMAIL_URL -u DJANGO_ENV \
		$(BIN)/python manage.py seed_demo
	env -u DATABASE_URL -u REDIS_URL -u CACHE_URL -u EMAIL_URL -u DJANGO_ENV \
		$(BIN)/python manage.py runserver 127.0.0.1:8000

## make jobs: beside `make run`, in a second terminal: the scheduled jobs (reminders, the
## quarterly cadence, retention), which Celery beat runs in production
jobs: install
	env -u DATABASE_URL -u REDIS_URL -u CACHE_URL -u EMAIL_URL -u DJANGO_ENV \
		$(BIN)/python manage.py run_jobs

## make test: install, make sure PostgreSQL, Redis, Chromium & co. are there, check the import
## contracts (pyproject.toml: the layers of docs/architecture.md), run every test
test: install-dev services
	$(BIN)/lint-imports --no-cache
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

services:
	@./.ci/services.sh all

## make bench: the scale benchmark (PostgreSQL, Redis, gunicorn, wrk, Celery, SMTP on loopback);
## writes bench/results/<date>.md. BENCH_ARGS="--help" lists its options.
bench: install-dev services
	$(BIN)/python -m bench.run $(BENCH_ARGS)

## make messages: refresh the catalogues after changing user-facing strings
messages: install-dev
	$(BIN)/python manage.py makemessages --locale es --locale fr --no-obsolete --no-location --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*'
	$(BIN)/python manage.py compilemessages --locale es --locale fr --ignore '.venv/*'

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var $(VENV) .pytest_cache
