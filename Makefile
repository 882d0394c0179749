# Ambassadeurs NR — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint install install-test system-packages content-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs are stamped so `make run` twice does not reinstall; a change to the
# dependencies (pyproject.toml or constraints.txt) triggers a new install.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test system-packages node_modules/.installed

## npm packages of the browser tests (scorm-again, the LMS side of the SCORM tests).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## make run: install, prepare the instance (SQLite, keys) and serve on http://127.0.0.1:5000
run: install
	$(BIN)/ambassadeurs init
	$(BIN)/ambassadeurs serve

## System packages the test suite needs (idempotent; skipped when already present).
SYSTEM_PACKAGES := postgresql chromium systemd redis-server fonts-dejavu-core
system-packages:
	bash scripts/install-system-packages.sh $(SYSTEM_PACKAGES)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy course_content

content-check: install
	$(BIN)/ambassadeurs content check

## make test: install what the tests need, lint, then run the whole suite
## The suite runs against SQLite and against a throwaway PostgreSQL on 127.0.0.1,
## stopped afterwards whatever the outcome.
test: install-test lint
	bash scripts/test-postgres.sh start
	export AMBASSADEURS_TEST_DATABASE_URL=$$(bash scripts/test-postgres.sh url); \
	  $(BIN)/pytest && \
	  AMBASSADEURS_TEST_TOOL_DATABASE=postgresql $(BIN)/pytest $(PG_SUITE); \
	  status=$$?; bash scripts/test-postgres.sh stop; exit $$status

## The tool's integration tests, run a second time on PostgreSQL.
PG_SUITE := tests/lti_tool

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis node_modules
