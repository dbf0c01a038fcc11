# Spectrum: `make run` sets up and serves the product with a demo organisation;
# `make test` runs ruff and the whole test suite against PostgreSQL and Redis, then the page tests on SQLite.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/spectrum
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
PAGE_TESTS := $(wildcard tests/*/pages)

.PHONY: run test lint format worker beat bench clean

$(BIN)/.installed-runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed-runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

## Command one: install, migrate, load the demo organisation and serve on http://$(HOST):$(PORT)
## (load_demo only adds what is missing, and prints the demo sign-ins last, just before the server starts)
run: $(BIN)/.installed-runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## Command two: install what tests need, then ruff, mypy and the whole suite on PostgreSQL and Redis,
## then the page tests once more on SQLite
test: $(BIN)/.installed-dev
	@test -x /usr/bin/chromium || (echo "Installing Debian's chromium for the browser tests" && \
		(apt-get install -y -q chromium >/dev/null 2>&1 || \
		 (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)))
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/pytest --create-db $(PYTEST_ARGS)
	@echo "The page tests again on SQLite (in memory), the database make run uses"
	TEST_ON_SQLITE=true DATABASE_URL=sqlite://:memory: REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/pytest --create-db -q $(PAGE_TESTS)

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(BIN)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## A Celery worker and scheduler for when REDIS_URL is set
worker: $(BIN)/.installed-runtime
	$(BIN)/celery -A config worker --loglevel=INFO

beat: $(BIN)/.installed-runtime
	$(BIN)/celery -A config beat --loglevel=INFO

## Benchmarks on PostgreSQL (not tests): each prints its figures beside a floor measured in the same run
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/spectrum_bench
bench: $(BIN)/.installed-dev
	for script in bench/ranking.py bench/suggest.py $(wildcard bench/reports.py); do \
		DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 test-results
