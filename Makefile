# Two commands matter: `make lab` (open the workbooks) and `make test` (run every test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
# JupyterLab refuses to start as root (containers, CI) unless told it may.
ROOT_OK := $(if $(filter 0,$(shell id -u)),--allow-root,)

# `make lab` and `make app` serve one person's work: everyone who opens the address shares one work file.
ONE_PERSON := printf '%s\n' \
	"plkit: this serves ONE person's work (saved in workbooks/my_work/). Everyone who opens this address" \
	"shares that one work file. For a room of people, give each person their own server: see" \
	"'Running a workshop on JupyterHub' in facilitator_guide.md." ""

.PHONY: lab app test test-fast fuzz lint bench clean hub

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

# The settings Binder gets (binder/postBuild), installed into .venv the same way: JupyterLab's
# extension manager read-only (never asks PyPI), its news and update check off, Voila's "plkit"
# template (no fonts or icons from a CDN), no pop-ups. Nothing leaves the machine.
SETTINGS := binder/postBuild binder/overrides.json binder/jupyter_lab_config.json binder/voila.json \
	binder/jupyter_server_config.json \
	$(wildcard share/jupyter/voila/templates/plkit/*)
$(VENV)/.settings: $(SETTINGS) | $(BIN)/python
	NB_PYTHON_PREFIX=$(CURDIR)/$(VENV) bash binder/postBuild
	touch $@

# A workshop JupyterHub on this machine (deploy/jupyterhub/): for trying it, and for the hub tests.
# configurable-http-proxy comes from npm, installed here in .hub/ (never globally).
PROXY    := .hub/node_modules/.bin/configurable-http-proxy
HUB_PORT ?= 8000
$(PROXY):
	npm install --prefix .hub --no-audit --no-fund --loglevel=error configurable-http-proxy@5
	touch $@

$(VENV)/.installed-hub: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[hub]'
	touch $@

hub: $(VENV)/.installed-hub $(VENV)/.settings $(PROXY)  ## a workshop JupyterHub at http://127.0.0.1:8000 (Ctrl-C stops it)
	@printf '%s\n' "plkit workshop hub: http://127.0.0.1:$(HUB_PORT)/ (this machine only; it also takes the next three ports)." \
		"Each person signs in with a plain name; the first password they type becomes theirs. The facilitator's" \
		"password is printed below when the hub starts. Ctrl-C stops the hub and every participant's server;" \
		"their homes and hand-ins stay in .hub/state/. Launch links:" ""
	@$(BIN)/plkit link --hub http://127.0.0.1:$(HUB_PORT) --repo $(CURDIR) --branch $$(git rev-parse --abbrev-ref HEAD)
	PLKIT_HUB_STATE=$(CURDIR)/.hub/state PLKIT_HUB_PORT=$(HUB_PORT) \
		$(BIN)/jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

lab: $(VENV)/.installed $(VENV)/.settings  ## open JupyterLab on the workbooks
	@$(ONE_PERSON)
	$(BIN)/jupyter lab --ServerApp.root_dir=workbooks --port=$(PORT) $(ROOT_OK) \
		--LabApp.default_url=/lab/tree/00_start_here.ipynb

app: $(VENV)/.installed $(VENV)/.settings  ## serve the workbooks as code-free apps (Voila)
	@$(ONE_PERSON)
	$(BIN)/voila workbooks --port=$(PORT)  # a closed page's kernel is culled: see binder/voila.json

lint: $(VENV)/.installed-test
	$(BIN)/ruff check plkit tests benchmarks

test: $(VENV)/.installed-test $(PROXY) lint  ## every test layer, browser and hub tests included
	$(BIN)/pytest -n 2 --dist loadscope --nbval-lax tests workbooks

test-fast: $(VENV)/.installed-test $(PROXY)  ## unit, widget and notebook tests; no browser
	$(BIN)/pytest -n 2 --dist loadscope --nbval-lax -m "not browser and not binder" tests workbooks

fuzz: $(VENV)/.installed-test  ## the generated-input properties, long (thousands of inputs each)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -n 2 -m properties tests

bench: $(VENV)/.installed-test $(PROXY)  ## performance figures (see benchmarks/README.md)
	$(BIN)/python benchmarks/run_all.py
	$(BIN)/python benchmarks/group_analysis.py
	$(BIN)/python benchmarks/browser_click.py
	$(BIN)/python benchmarks/first_control.py
	$(BIN)/python benchmarks/kernel_cull.py  # about 3 minutes, mostly waiting for the culler
	$(BIN)/python benchmarks/hub_load.py  # 30 participants at once on a local hub: 3 to 7 minutes on 2 cores

clean:
	rm -rf $(VENV) build dist *.egg-info
