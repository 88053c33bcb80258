"""plkit on any JupyterHub: the hand-in service, who may read hand-ins, and what each server is told.

Used as it is by the local hub (``jupyterhub_config.py`` beside this file, ``make hub``); copied
into The Littlest JupyterHub's ``/opt/tljh/config/jupyterhub_config.d/plkit.py``; pasted into Zero
to JupyterHub's ``hub.extraConfig`` (see ``z2jh-values.yaml``). Each setting can be changed here or
by the environment variable named beside it. facilitator_guide.md walks through it step by step.
"""

import os
import sys

c = get_config()  # noqa: F821  (JupyterHub's config loader provides it)

# The Python that has plkit installed, for the hand-in service (the hub's own by default).
PYTHON = os.environ.get("PLKIT_HUB_PYTHON", sys.executable)
# Where hand-ins are kept (only the hub's machine sees this folder; back it up with the hub).
HANDIN_DIR = os.environ.get("PLKIT_HANDIN_DIR", "/srv/plkit/handins")
# The port the service listens on, on this machine only.
HANDIN_PORT = int(os.environ.get("PLKIT_HANDIN_PORT", "10101"))
# How a participant's server reaches the service. On one machine (TLJH, `make hub`) directly; on
# Kubernetes through the hub's proxy (see z2jh-values.yaml).
HANDIN_URL = os.environ.get("PLKIT_HANDIN_URL", f"http://127.0.0.1:{HANDIN_PORT}/services/handin/")
# The hub users who may read everyone's hand-ins (admins may too). Comma-separated.
FACILITATORS = [n.strip() for n in os.environ.get("PLKIT_FACILITATORS", "").split(",") if n.strip()]



def _set_before(value) -> list:
    """What the config set already (TLJH and Z2JH set some of these), as a list; [] if nothing."""
    return list(value) if isinstance(value, (list, tuple)) else []


service_env = {"PLKIT_HANDIN_DIR": HANDIN_DIR, "PLKIT_FACILITATORS_GROUP": "facilitators"}
if os.environ.get("PLKIT_FRAMEWORK"):  # a district's own framework: hand-ins are checked against it
    service_env["PLKIT_FRAMEWORK"] = os.environ["PLKIT_FRAMEWORK"]

c.JupyterHub.services = [
    *[s for s in _set_before(c.JupyterHub.services) if s.get("name") != "handin"],
    {
        "name": "handin",
        "url": f"http://127.0.0.1:{HANDIN_PORT}",
        "command": [PYTHON, "-m", "plkit.handin_service"],
        "environment": service_env,
        "display": False,  # participants use it from the workbooks, not from the hub's menu
    },
]

# Every user may call the service, and so may their server's token (the kernel hands in with it);
# the service may ask the hub for a caller's name, admin flag and groups, nothing more.
c.JupyterHub.load_roles = [
    *[r for r in _set_before(c.JupyterHub.load_roles) if r.get("name") not in ("user", "server", "plkit-handin")],
    {"name": "user", "scopes": ["self", "access:services!service=handin"]},
    {"name": "server", "scopes": ["users:activity!user", "access:servers!server",
                                  "access:services!service=handin"]},
    {"name": "plkit-handin", "scopes": ["read:users:name", "read:users:groups"], "services": ["handin"]},
]

# The facilitators group (admins can also add people to it on the hub's Admin page, Groups).
groups = dict(c.JupyterHub.load_groups) if isinstance(c.JupyterHub.load_groups, dict) else {}
groups["facilitators"] = {"users": FACILITATORS}
c.JupyterHub.load_groups = groups

# A launch link starts the participant's server at once (no "Launch server" page in between).
c.JupyterHub.implicit_spawn_seconds = 0.5

# Each participant's server: where to hand in; the workbooks' kernels see it.
environment = dict(c.Spawner.environment) if isinstance(c.Spawner.environment, dict) else {}
environment["PLKIT_HANDIN_URL"] = HANDIN_URL
if os.environ.get("PLKIT_FRAMEWORK"):
    environment["PLKIT_FRAMEWORK"] = os.environ["PLKIT_FRAMEWORK"]
c.Spawner.environment = environment

# A kernel left without any open page is stopped after an hour; one with a page open never is
# (cull_connected stays False). An open page also pings its server every 30 seconds, through the
# proxy, so the hub's idle culler never stops a server while a participant has a workbook open.
c.Spawner.args = [
    *[a for a in _set_before(c.Spawner.args) if "MappingKernelManager.cull" not in a],
    "--MappingKernelManager.cull_idle_timeout=3600",
    "--MappingKernelManager.cull_interval=300",
    "--MappingKernelManager.cull_connected=False",
]
