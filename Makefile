# Two commands for a newcomer: `make demo` and `make test`. Everything else is a step they call.
SHELL := /bin/bash
.DEFAULT_GOAL := demo

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
SAMPLE := samples/gestion_publica_2026-03-31.xlsx

.PHONY: demo worker test lint pytest-sqlite pytest-postgres postgres system-deps bench lock clean

# uv itself lives apart from the project's environment so that `uv sync` never removes it.
$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The project's environment, exactly as locked in uv.lock.
$(BIN)/cascada: $(UV) pyproject.toml uv.lock
	UV_PYTHON_DOWNLOADS=never $(UV) sync --frozen --python $(PYTHON)
	@touch $@

# Prints the seed plan's results computed from the sample workbook, loads the plan into the
# embedded SQLite database and serves the app.
demo: $(BIN)/cascada
	$(BIN)/cascada compute $(SAMPLE) --corte 2026-03-31 --format table
	$(BIN)/cascada migrate --noinput -v 0
	$(BIN)/cascada demo
	@echo "cascada: http://127.0.0.1:8000  (Ctrl-C para detener)"
	@# The worker renders the reports of large plans in the background; it stops with the server.
	$(BIN)/cascada db_worker >data/worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/cascada runserver 127.0.0.1:8000

# The background worker alone (production runs it as a service next to the app servers).
worker: $(BIN)/cascada
	$(BIN)/cascada db_worker

lint: $(BIN)/cascada
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

# PostgreSQL 15 normally runs here; start it, or install it, when it does not.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
	  command -v pg_ctlcluster >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }; \
	  pg_ctlcluster 15 main start || true; \
	  for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; }
	@psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'" | grep -q 1 \
	  || psql -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE test"

# What the suite needs from Debian beyond Python: Pango for WeasyPrint, poppler-utils to read
# PDFs back (pdftotext, pdffonts), chromium for the browser tests (Playwright drives Debian's
# build; it never downloads a browser).
system-deps:
	@missing=""; \
	  command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	  ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	  [ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	  if [ -n "$$missing" ]; then \
	    echo "Instalando:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  fi

pytest-sqlite: $(BIN)/cascada system-deps
	DATABASE_URL=sqlite:///$(CURDIR)/data/test.sqlite3 $(BIN)/pytest

pytest-postgres: $(BIN)/cascada system-deps postgres
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

test: lint pytest-sqlite pytest-postgres

# The figures of BENCHMARKS.md (issue 8) on scratch databases: a temporary SQLite file and the
# PostgreSQL database BENCH_PG_URL, dropped and created (never one with data). Prints one JSON
# object; takes a few minutes at district size (five load runs of 60 s).
BENCH_SIZE ?= district
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/cascada_bench
bench: $(BIN)/cascada postgres
	CASCADA_BENCH_POSTGRES_URL=$(BENCH_PG_URL) $(BIN)/cascada bench --size $(BENCH_SIZE) --json

lock: $(UV)
	$(UV) lock

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache .hypothesis
