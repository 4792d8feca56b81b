# Two commands set everything up on a fresh machine: `make demo` and `make test`.
# DATABASE_URL selects PostgreSQL; unset, an embedded server (pgserver) starts in .pgdata/.

PYTHON ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/bin/python3.12; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1 && { echo "$$p"; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench install clean app app-deps browser-deps

$(STAMP): setup.cfg pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 not found: set PYTHON=/path/to/python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

install: $(STAMP)

demo: $(STAMP)  ## build a demo store, define segments, refresh them, show members
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py segments_demo $(DEMO_ARGS)

APP := dashboard-app
APP_STAMP := $(APP)/node_modules/.installed

# the Dashboard app's toolchain (node/npm); without npm its tests skip themselves
$(APP_STAMP): $(APP)/package.json $(APP)/package-lock.json
	cd $(APP) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

app-deps:
	@if command -v npm >/dev/null; then $(MAKE) -s $(APP_STAMP); else echo "npm not found: Dashboard app unit tests skipped"; fi

# Debian's chromium for the browser tests (Playwright drives it; no browser download)
browser-deps:
	@if ! command -v chromium >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium (apt-get) for the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) >/dev/null 2>&1 \
			|| echo "chromium could not be installed: browser tests will skip"; fi

app: app-deps  ## rebuild the Dashboard app's bundle (saleor_segments/dashboard_app/static; commit it)
	cd $(APP) && npm run build

lint: $(STAMP)  ## ruff (lint + import order) over the package and tests; mypy (settings in pyproject.toml)
	$(BIN)/ruff check saleor_segments tests benchmarks manage.py
	$(BIN)/mypy

test: $(STAMP) app-deps browser-deps lint  ## lint and type checks, then the whole test suite on real PostgreSQL (+ app unit and browser tests)
	@if [ -f $(APP_STAMP) ]; then cd $(APP) && npx vitest run --reporter=dot; fi
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)  ## 1M customers / 5M orders refresh benchmark (minutes; wipes its database)
	$(BIN)/python benchmarks/refresh_benchmark.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pgdata *.egg-info
