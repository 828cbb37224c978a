# Two commands on a fresh machine: `make serve` and `make test`.
# PYTHON picks the interpreter (3.10 to 3.13): `make test PYTHON=python3.13` (after `make clean`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The pins for the interpreter's version: constraints-3.10.txt on 3.10, else constraints.txt.
PYVERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
CONSTRAINTS := $(if $(wildcard constraints-$(PYVERSION).txt),constraints-$(PYVERSION).txt,constraints.txt)
# pip shows what it fetches and installs, without its progress bars (they flood a log)
PIP_INSTALL := $(BIN)/pip install --progress-bar off

.PHONY: install serve site test lint bench golden fuzz clean

$(STAMP): pyproject.toml constraints.txt constraints-3.10.txt
	@test -n "$(PYVERSION)" || { echo "make: $(PYTHON) not found; pass PYTHON=python3.X (3.10 to 3.13)"; exit 1; }
	@echo "== Python $(PYVERSION) ($(PYTHON)): creating $(VENV)/ and installing .[site,test,bench] pinned by $(CONSTRAINTS)"
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade pip
	$(PIP_INSTALL) -c $(CONSTRAINTS) -e '.[site,test,bench]'
	touch $(STAMP)
	@echo "== installed into $(VENV)/"

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

site: $(STAMP)
	$(BIN)/mkdocs build --strict

# every test, then the linters and the import contracts (pyproject.toml, [tool.importlinter])
test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/ruff check src tests bench docs/hooks
	$(BIN)/mypy
	$(BIN)/lint-imports

lint: $(STAMP)
	$(BIN)/ruff check src tests bench docs/hooks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/run.py

fuzz: $(STAMP)
	READINESS_FUZZ_PROFILE=long $(BIN)/python -m pytest tests/test_fuzz_source.py tests/test_cleanup_states.py -q

golden: $(STAMP)
	$(BIN)/python -m pytest tests --update-golden -q

clean:
	rm -rf $(VENV) site .pytest_cache
