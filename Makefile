# One entry point for everything; the README's two commands are `make site` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup site serve check test test-fast lint golden bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m generator.katex
	touch $@

## Build the site from content/ into site/
site: setup
	$(BIN)/paper-archive build

## Preview on http://127.0.0.1:8000/, rebuilding on changes
serve: setup
	$(BIN)/paper-archive serve

check: setup
	$(BIN)/paper-archive check

## Every test, browser tests included. Pytest's "no tests ran" (exit 5) is a failure.
test: setup
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

## The quick subset: no MkDocs builds, no browser
test-fast: setup
	$(BIN)/python -m pytest -m "not slow and not browser"; rc=$$?; [ $$rc -eq 5 ] && exit 1; exit $$rc

lint: setup
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy

## Regenerate the golden files in tests/golden/ (review the diff like code): builds a small site
golden: setup
	$(BIN)/python -m tests.golden
	$(BIN)/python -m tests.manifest  # reads the shared data too: a minute

## Benchmarks (print figures; minutes at 10,000 papers). See bench/README.md.
bench: setup
	$(BIN)/python -m bench.ingest
	$(BIN)/python -m bench.site
	$(BIN)/python -m bench.related 50000
	$(BIN)/python -m bench.search --sizes 10000

clean:
	rm -rf build site .pytest_cache
