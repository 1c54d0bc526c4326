# Bodega: `make run` starts the app with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HTMX := app/static/vendor/htmx.min.js

.PHONY: run test test-db lint fmt assets bench clean-data messages

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is required")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

$(HTMX): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p app/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $(HTMX)

assets: $(HTMX)

run: $(STAMP) $(HTMX)
	$(VENV)/bin/bodega run

test: $(STAMP) $(HTMX)
	$(PY) -m pytest -q -n 2

# The database tests alone, e.g. against another server: make test-db TEST_DATABASE_URL=postgresql://...
test-db: $(STAMP) $(HTMX)
	$(PY) -m pytest -q -n 2 tests/integration tests/web

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

fmt: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -o app/locale/messages.pot --no-location --sort-output -k _ -k N_ app tenants storefront backoffice
	$(VENV)/bin/pybabel update -i app/locale/messages.pot -d app/locale -l es --no-fuzzy-matching

bench: $(STAMP) $(HTMX)
	$(PY) -m bench.run

clean-data:
	rm -rf .data
