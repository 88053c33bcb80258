"""The workshop hub on this machine (``make hub``, and the hub tests): try it before a district does.

JupyterHub behind configurable-http-proxy (installed by ``make hub`` in ``.hub/node_modules``), a
simple shared-password login, every participant's server a local process with its own home folder
under the state folder, nbgitpuller, the hand-in service and the idle culler. Only this machine
can reach it (127.0.0.1).

Not for a real deployment: every participant's server runs as the same system user, and the
password is one word for the room. A district uses its own login (Google, Microsoft, LDAP...) and
The Littlest JupyterHub or Zero to JupyterHub (facilitator_guide.md).

Settings from the environment (``make hub`` and the tests set them): PLKIT_HUB_STATE (the state
folder), PLKIT_HUB_PORT (the page's port; the next three ports are the hub's API, the proxy's API
and the hand-in service unless set), PLKIT_HUB_PASSWORD, PLKIT_FACILITATORS.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (JupyterHub's config loader provides it)

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
STATE = Path(os.environ.get("PLKIT_HUB_STATE") or REPO / ".hub" / "state").resolve()
PORT = int(os.environ.get("PLKIT_HUB_PORT", "8000"))
API_PORT = int(os.environ.get("PLKIT_HUB_API_PORT", PORT + 1))
PROXY_API_PORT = int(os.environ.get("PLKIT_PROXY_API_PORT", PORT + 2))
os.environ.setdefault("PLKIT_HANDIN_PORT", str(PORT + 3))
os.environ.setdefault("PLKIT_HANDIN_DIR", str(STATE / "handins"))
os.environ.setdefault("PLKIT_FACILITATORS", "facilitator")
os.environ.setdefault("PLKIT_HUB_PYTHON", sys.executable)
BIN = Path(sys.executable).parent
(STATE / "homes").mkdir(parents=True, exist_ok=True)

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = PORT
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = API_PORT
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
c.ConfigurableHTTPProxy.command = [str(REPO / ".hub" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")

# One password for the room, any name: each name gets its own server and home folder.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ.get("PLKIT_HUB_PASSWORD", "workshop-room")
c.Authenticator.allow_all = True

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

load_subconfig(str(HERE / "workshop_config.py"))  # noqa: F821

if os.geteuid() == 0:  # a container or CI runs as root; Jupyter refuses to unless told
    c.Spawner.args.append("--allow-root")

# Servers left with no page open for an hour are stopped (their work is saved in their home).
c.JupyterHub.services.append({
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600"],
})
c.JupyterHub.load_roles.append({
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
})
