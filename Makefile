# The two commands of the README's quick start are `make demo` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
SHARED := ../shared

.PHONY: setup demo test cases bench
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

demo: setup
	$(BIN)/hegui assess examples/jobs-platform.yaml --as-of 2024-06-20

test: setup
	$(BIN)/python -m pytest

cases: setup
	$(BIN)/python $(SHARED)/tools/run-cases --hegui $(BIN)/hegui $(SHARED)/cases

bench: setup
	$(BIN)/python benchmarks/assess_speed.py
