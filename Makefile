# EMA console: the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv test lint pytest bench demo demo-server serve package translations clean

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

# The console on a private ema-server (fresh SQLite demo data on a free loopback port) with 30
# simulated stations, signed in as the demo administrator; closing the window (or Ctrl-C) stops all.
demo: $(STAMP)
	$(BIN)/ema-desktop --demo

# The same server and fleet without the console, on http://127.0.0.1:8765 (for API or OCPP work).
DEMO_DB := sqlite+aiosqlite:///$(CURDIR)/demo.db
demo-server: $(STAMP)
	$(BIN)/ema-server seed --demo small --db $(DEMO_DB) --fresh
	$(BIN)/ema-server serve --db $(DEMO_DB) & server=$$!; \
	trap 'kill $$server 2>/dev/null; wait $$server' EXIT INT TERM; \
	$(BIN)/ema-sim --server ws://127.0.0.1:8765/ocpp --stations 50 --ocpp mixed --speed 10

# The console as a one-folder bundle, dist/ema-desktop/ (PyInstaller; build files in build/),
# with its desktop entry and icon beside the program.
package: $(STAMP)
	sh packaging/build.sh $(BIN)/pyinstaller

# Qt Linguist: bring the console's texts into the Czech catalogue (translations of unchanged texts
# are kept, texts gone from the code are dropped, new ones wait as unfinished for a translator, e.g.
# in $(BIN)/pyside6-linguist), and the texts with a count (%n) into the plural-only English catalogue
# (the code is English, but "%n change(s)" needs its singular and plural written out); then compile
# the .qm files the console loads. tests/desktop/test_translations.py fails until every text is
# translated and the .qm files are rebuilt.
SOURCES = $(sort $(shell find ema_desktop -name '*.py'))
TS := resources/translations/ema_desktop_cs.ts
TS_EN := resources/translations/ema_desktop_en.ts
translations: $(STAMP)
	$(BIN)/pyside6-lupdate $(SOURCES) -ts $(TS) -no-obsolete
	$(BIN)/pyside6-lupdate $(SOURCES) -ts $(TS_EN) -no-obsolete -pluralonly
	$(BIN)/pyside6-lrelease $(TS) -qm $(TS:.ts=.qm)
	$(BIN)/pyside6-lrelease $(TS_EN) -qm $(TS_EN:.ts=.qm)

clean:
	rm -rf $(VENV) build dist *.egg-info
