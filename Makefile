# Two commands for a fresh machine: `make run` (the app) and `make test` (the test suite).
# Each creates the virtual environment .venv on first use and reinstalls when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# pytest's worker processes for `make test` (pytest-xdist; 0: every test in pytest's own process). Two use both cores
# of a 2-core machine, CI's size.
TEST_WORKERS ?= 2

.PHONY: run test bench wheel translations clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/cnnviz $(ARGS)

test: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen CNNVIZ_TEST_MNIST=$${CNNVIZ_TEST_MNIST:-../shared/data/mnist} $(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[bench]"
	$(PY) benchmarks/train_speed.py

# The wheel, resources included (what .ci/run installs into a fresh environment and runs from outside the checkout).
wheel: $(VENV)/.installed
	$(PY) -m pip wheel --quiet --no-deps --wheel-dir dist .
	@ls dist/cnnviz-*.whl

# The Japanese catalogues: new strings of the sources added to resources/i18n/ja_*.ts (to translate there, with
# resources/i18n/glossary.md's terms), then all released into the cnnviz_ja.qm the package ships (docs/code-layout.md).
translations: $(VENV)/.installed
	$(PY) -m cnnviz.gui.i18n_catalogues

clean:
	rm -rf $(VENV) build dist *.egg-info
