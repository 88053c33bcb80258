# Two commands matter: `make lab` (open the workbooks) and `make test` (run every test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
# JupyterLab refuses to start as root (containers, CI) unless told it may.
ROOT_OK := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab app test test-fast lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -c "import matplotlib.pyplot"  # build the font cache once, quietly
	touch $@

lab: $(VENV)/.installed  ## open JupyterLab on the workbooks
	$(BIN)/jupyter lab --ServerApp.root_dir=workbooks --port=$(PORT) $(ROOT_OK)

app: $(VENV)/.installed  ## serve the workbooks as code-free apps (Voila)
	$(BIN)/voila workbooks --port=$(PORT) \
		--MappingKernelManager.cull_interval=60 --MappingKernelManager.cull_idle_timeout=600

lint: $(VENV)/.installed-test
	$(BIN)/ruff check plkit tests benchmarks

test: $(VENV)/.installed-test lint  ## every test layer, browser tests included
	$(BIN)/pytest -n 2 --dist loadscope --nbval-lax tests workbooks

test-fast: $(VENV)/.installed-test  ## unit, widget and notebook tests; no browser
	$(BIN)/pytest -n 2 --dist loadscope --nbval-lax -m "not browser and not binder" tests workbooks

bench: $(VENV)/.installed-test  ## performance figures (see benchmarks/README.md)
	$(BIN)/python benchmarks/run_all.py
	$(BIN)/python benchmarks/group_analysis.py
	$(BIN)/python benchmarks/browser_click.py

clean:
	rm -rf $(VENV) build dist *.egg-info
