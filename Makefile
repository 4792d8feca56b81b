# Two commands set everything up on a fresh machine: `make demo` and `make test`.
# DATABASE_URL selects PostgreSQL; unset, an embedded server (pgserver) starts in .pgdata/.

PYTHON ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/bin/python3.12; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1 && { echo "$$p"; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench install clean

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

test: $(STAMP)  ## the whole test suite on real PostgreSQL
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)  ## 1M customers / 5M orders refresh benchmark (minutes; wipes its database)
	$(BIN)/python benchmarks/refresh_benchmark.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pgdata *.egg-info
