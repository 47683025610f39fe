# EMA console: the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv test lint pytest bench demo serve clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check ema_server ema_desktop ema_sim tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# The API suite runs on SQLite and, where PostgreSQL's server binaries are installed, on a
# throwaway cluster that pg_virtualenv creates for the run and drops afterwards.
pytest: $(STAMP)
	@if command -v pg_virtualenv >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "pytest on SQLite and on a throwaway PostgreSQL cluster"; \
		pg_virtualenv -t -o 'max_connections=200' env EMA_TEST_POSTGRES=1 $(BIN)/python -m pytest $(PYTEST_ARGS); \
	else \
		echo "pytest on SQLite only: PostgreSQL server binaries not installed"; \
		$(BIN)/python -m pytest $(PYTEST_ARGS); \
	fi

test: lint pytest

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

serve: $(STAMP)
	$(BIN)/ema-server serve

# The demo server with 50 simulated stations (demo identities and passwords) connected to it,
# their cars and faults at ten times real speed so sessions show within minutes;
# Ctrl-C stops both.
DEMO_DB := sqlite+aiosqlite:///$(CURDIR)/demo.db
demo: $(STAMP)
	$(BIN)/ema-server seed --demo small --db $(DEMO_DB) --fresh
	$(BIN)/ema-server serve --db $(DEMO_DB) & server=$$!; \
	trap 'kill $$server 2>/dev/null; wait $$server' EXIT INT TERM; \
	$(BIN)/ema-sim --server ws://127.0.0.1:8765/ocpp --stations 50 --ocpp mixed --speed 10

clean:
	rm -rf $(VENV) build dist *.egg-info
