# Two commands on a fresh machine: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# Settings from .env (see .env.example), if there is one, exported to the commands below.
# Like dotenv, a variable already set in the environment (or on the command line) wins.
ENV_FILE_VARS := $(shell sed -n 's/^[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\)[[:space:]]*=.*/\1/p' .env 2>/dev/null)
$(foreach v,$(ENV_FILE_VARS),$(if $(filter environment,$(origin $(v))),$(eval SAVED_$(v) := $(value $(v)))))
-include .env
$(foreach v,$(ENV_FILE_VARS),$(if $(filter-out undefined,$(origin SAVED_$(v))),$(eval $(v) := $(SAVED_$(v)))))
export $(ENV_FILE_VARS)
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: install run test test-fast dev lint format bench sql summary bi

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[dev]'
	# Local copies of the scripts Data Docs pages load, so they render offline (best effort).
	$(PY) -m expectations.docs_assets build/web-assets
	touch $(STAMP)

install: $(STAMP)

# Ingest the inbox (FILINGS_DIR, default samples/filings), build, publish, print a summary.
run: install
	$(PY) -m orchestration run

# Every tier: unit, dbt and end to end (what CI runs).
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

# The everyday tier: the parser, suites, assets and sensors, publishing; no dbt, no pipeline.
test-fast: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -m unit

# The Dagster UI: assets, partitions, checks, the inbox sensor and the daily schedule.
dev: install
	$(PY) -m orchestration home
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/dagster dev -m orchestration.definitions

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .

# Every benchmark, then one table of their figures (build/bench/*.json; docs/scaling.md).
# BENCH_SIZES: the warehouse backfills (10000 adds some 25 minutes); the largest also has
# filings added one at a time. BENCH_PDFS: PDFs (50-100 pages) for the parallel parse.
BENCH_SIZES ?= 100,1000
BENCH_PDFS ?= 100
bench: install
	mkdir -p build/bench
	taskset -c 0 $(PY) benchmarks/parse_bench.py --json build/bench/parse.json \
	  || $(PY) benchmarks/parse_bench.py --json build/bench/parse.json
	$(PY) benchmarks/pdf_bench.py --json build/bench/pdf.json
	$(PY) benchmarks/parse_pool_bench.py --filings $(BENCH_PDFS) --json build/bench/pool.json
	$(PY) benchmarks/warehouse_bench.py --sizes $(BENCH_SIZES) --repeats 1 --add-repeats 3 \
	  --json build/bench/warehouse.json
	$(PY) benchmarks/report.py build/bench

# A read-only SQL prompt on the published warehouse (the duckdb CLI from PyPI's duckdb-cli
# if it can be installed, otherwise a minimal Python prompt).
sql: install
	test -x $(VENV)/bin/duckdb || $(PY) -m pip install --quiet duckdb-cli || true
	$(PY) -m orchestration sql

summary: install
	$(PY) -m orchestration summary

# Superset on the published warehouse (after `make run`): its own environment under build/
# (Superset needs SQLAlchemy < 2; pins and reasons in orchestration/bi/superset-requirements.txt),
# its state in build/bi, the dashboard of orchestration/bi/dashboard imported with overwrite.
# Serves on 127.0.0.1:8088 in the foreground; Ctrl-C stops it. See README "BI: Superset".
SUPERSET_VENV ?= build/superset-venv
SUPERSET_STAMP := $(SUPERSET_VENV)/.installed-stamp
BI_PORT ?= 8088

$(SUPERSET_STAMP): orchestration/bi/superset-requirements.txt
	test -x $(SUPERSET_VENV)/bin/python || $(PYTHON) -m venv $(SUPERSET_VENV)
	$(SUPERSET_VENV)/bin/python -m pip install --quiet -r orchestration/bi/superset-requirements.txt
	touch $(SUPERSET_STAMP)

bi: $(SUPERSET_STAMP)
	$(SUPERSET_VENV)/bin/python orchestration/bi/provision.py setup
	$(SUPERSET_VENV)/bin/python orchestration/bi/provision.py serve --port $(BI_PORT)
