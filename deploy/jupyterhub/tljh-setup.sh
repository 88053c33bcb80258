#!/bin/bash
# plkit on The Littlest JupyterHub (https://tljh.jupyter.org), one server for up to ~100 people.
# Run on the hub's server, as an administrator, from a copy of the kit's repository, after TLJH is
# installed. Read each line before running it (facilitator_guide.md, "Running a workshop on
# JupyterHub", explains every step). Not run by the kit's tests: this machine has no TLJH.
set -euo pipefail
KIT="${KIT:-https://github.com/plkit-org/plkit}"   # the kit's repository (your fork, if you have one)
FACILITATORS="${FACILITATORS:-}"                   # hub user names, comma-separated: ms-rivera,mr-chen

# 1. The kit, nbgitpuller and Voila in the participants' environment (where the hub's
#    jupyterhub-singleuser runs, so the hand-in service can use the same Python).
sudo -E /opt/tljh/user/bin/pip install "plkit @ git+${KIT}@main" nbgitpuller

# 2. The workshop settings: the hand-in service, the facilitators group, what each server is told.
sudo mkdir -p /srv/plkit/handins
sudo chmod 700 /srv/plkit/handins
sed -e "s|PLKIT_HUB_PYTHON\", sys.executable|PLKIT_HUB_PYTHON\", \"/opt/tljh/user/bin/python\"|" \
    -e "s|\"PLKIT_FACILITATORS\", \"\"|\"PLKIT_FACILITATORS\", \"${FACILITATORS}\"|" \
    deploy/jupyterhub/workshop_config.py | sudo tee /opt/tljh/config/jupyterhub_config.d/plkit.py >/dev/null

# 3. TLJH's own settings: JupyterLab by default, servers idle for an hour stopped (an open page
#    keeps its server), and the district's login instead of TLJH's first-use one (see the guide).
sudo tljh-config set user_environment.default_app jupyterlab
sudo tljh-config set services.cull.timeout 3600
sudo tljh-config reload
