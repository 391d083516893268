# Lianluo — the two commands: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEV_ENV := LIANLUO_DEV=1 DEBUG=1 PORT=$(PORT)
TEST_ENV := LIANLUO_DEV=1 SECURE_HTTPS=0 LIANLUO_OUTBOX_MODE=sync

.PHONY: demo test test-browser lint format messages bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

## Start the product on SQLite with demo data; prints the URL and the logins.
demo: $(BIN)/.installed
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## Lint, type-check, migrations check, and the test suite (SQLite, or DATABASE_URL).
test: $(BIN)/.installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(TEST_ENV) $(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(TEST_ENV) $(BIN)/pytest -q

## Browser and QR tests: Debian's Chromium via Playwright, zbar (installed by .ci/run).
test-browser: $(BIN)/.installed
	$(TEST_ENV) $(BIN)/pytest -q -m browser

lint:
	$(BIN)/ruff check src tests benchmarks
format:
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks
messages:
	cd src/lianluo && LIANLUO_DEV=1 ../../$(BIN)/django-admin makemessages -l zh_Hans -l en --no-obsolete
	cd src/lianluo && LIANLUO_DEV=1 ../../$(BIN)/django-admin compilemessages

bench: $(BIN)/.installed
	$(BIN)/python benchmarks/intake.py --quick

clean:
	rm -rf var .pytest_cache
