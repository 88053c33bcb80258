"""plkit on any JupyterHub: the hand-in service, who may read hand-ins, and what each server is told.

Used as it is by the local hub (``jupyterhub_config.py`` beside this file, ``make hub``); copied
into The Littlest JupyterHub's ``/opt/tljh/config/jupyterhub_config.d/plkit.py``; pasted into Zero
to JupyterHub's ``hub.extraConfig`` (see ``z2jh-values.yaml``). Each setting can be changed here or
by the environment variable named beside it. facilitator_guide.md walks through it step by step.
"""

import os
import sys

# `c` is the hub's config: JupyterHub's loader, TLJH's jupyterhub_config.d and Z2JH's extraConfig
# all provide it.
c = globals()["c"]

# The Python that has plkit installed, for the hand-in service (the hub's own by default).
PYTHON = os.environ.get("PLKIT_HUB_PYTHON", sys.executable)
# Where hand-ins are kept (only the hub's machine sees this folder; back it up with the hub).
HANDIN_DIR = os.environ.get("PLKIT_HANDIN_DIR", "/srv/plkit/handins")
# The port the service listens on, on this machine only.
HANDIN_PORT = int(os.environ.get("PLKIT_HANDIN_PORT", "10101"))
# Where the hub and its proxy reach the service: this machine (TLJH, `make hub`), or on Kubernetes
# the hub's pod (http://hub:10101, see z2jh-values.yaml).
SERVICE_URL = os.environ.get("PLKIT_HANDIN_SERVICE_URL", f"http://127.0.0.1:{HANDIN_PORT}")
# How a participant's server reaches the service: the same address, under the service's prefix.
HANDIN_URL = os.environ.get("PLKIT_HANDIN_URL", f"{SERVICE_URL}/services/handin/")
# The hub users who may read everyone's hand-ins (admins may too). Comma-separated.
FACILITATORS = [n.strip() for n in os.environ.get("PLKIT_FACILITATORS", "").split(",") if n.strip()]

service_env = {"PLKIT_HANDIN_DIR": HANDIN_DIR, "PLKIT_FACILITATORS_GROUP": "facilitators",
               "PLKIT_HANDIN_LISTEN": os.environ.get("PLKIT_HANDIN_LISTEN", "")}
if os.environ.get("PLKIT_FRAMEWORK"):  # a district's own framework: hand-ins are checked against it
    service_env["PLKIT_FRAMEWORK"] = os.environ["PLKIT_FRAMEWORK"]

# Each setting below adds to what the hub's own config set (TLJH's culler, Z2JH's services...):
# extend/append/update, never "=".
c.JupyterHub.services.append(
    {
        "name": "handin",
        "url": SERVICE_URL,
        "command": [PYTHON, "-m", "plkit.handin_service"],
        "environment": service_env,
        "display": False,  # participants use it from the workbooks, not from the hub's menu
    }
)

# Every user may call the service, and so may their server's token (the kernel hands in with it);
# the service may ask the hub for a caller's name, admin flag and groups, nothing more.
c.JupyterHub.load_roles.extend([
    {"name": "user", "scopes": ["self", "access:services!service=handin"]},
    {"name": "server", "scopes": ["users:activity!user", "access:servers!server",
                                  "access:services!service=handin"]},
    {"name": "plkit-handin", "scopes": ["read:users:name", "read:users:groups"], "services": ["handin"]},
])

# The facilitators group (admins can also add people to it on the hub's Admin page, Groups).
c.JupyterHub.load_groups.update({"facilitators": {"users": FACILITATORS}})

# A launch link starts the participant's server at once (no "Launch server" page in between).
c.JupyterHub.implicit_spawn_seconds = 0.5

# Each participant's server: where to hand in; the workbooks' kernels see it.
c.Spawner.environment.update({"PLKIT_HANDIN_URL": HANDIN_URL})
if os.environ.get("PLKIT_FRAMEWORK"):
    c.Spawner.environment.update({"PLKIT_FRAMEWORK": os.environ["PLKIT_FRAMEWORK"]})

# A kernel left without any open page is stopped after an hour; one with a page open never is
# (cull_connected stays False). An open page also pings its server every 30 seconds, through the
# proxy, so the hub's idle culler never stops a server while a participant has a workbook open.
c.Spawner.args.extend([
    "--MappingKernelManager.cull_idle_timeout=3600",
    "--MappingKernelManager.cull_interval=300",
    "--MappingKernelManager.cull_connected=False",
])
