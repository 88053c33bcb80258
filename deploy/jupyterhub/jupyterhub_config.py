"""The workshop hub on this machine (``make hub``, and the hub tests): try it before a district does.

JupyterHub behind configurable-http-proxy (installed by ``make hub`` in ``.hub/node_modules``),
sign-in where each person's first password becomes theirs (``plkit_signin.py``: plain names only;
the facilitators' password is made at the first start and printed), every participant's server a
local process with its own home folder under the state folder, nbgitpuller, the hand-in service
and the idle culler. Only this machine can reach it (127.0.0.1).

Not for a real deployment: every participant's server runs as the same system user. A district
uses its own login (Google, Microsoft, LDAP...) and The Littlest JupyterHub or Zero to JupyterHub
(facilitator_guide.md).

Settings from the environment (``make hub`` and the tests set them): PLKIT_HUB_STATE (the state
folder), PLKIT_HUB_PORT (the page's port; the next three ports are the hub's API, the proxy's API
and the hand-in service unless set), PLKIT_FACILITATORS, PLKIT_FACILITATOR_PASSWORD (else one is
made and kept in the state folder).
"""

import atexit
import os
import shutil
import sys
import tempfile
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

# Each person's first password becomes theirs; plain names only; the facilitators' names have a
# password only the person running the hub knows (printed below, kept in the state folder).
sys.path.insert(0, str(HERE))
import plkit_signin  # noqa: E402

c.JupyterHub.authenticator_class = plkit_signin.WorkshopAuthenticator
c.FirstUseAuthenticator.dbm_path = str(STATE / "passwords.dbm")
c.FirstUseAuthenticator.min_password_length = plkit_signin.MIN_PASSWORD
c.Authenticator.username_pattern = plkit_signin.NAME_PATTERN
c.Authenticator.allow_all = True
FACILITATOR_NAMES = [n.strip() for n in os.environ["PLKIT_FACILITATORS"].split(",") if n.strip()]
FACILITATOR_PASSWORD = plkit_signin.facilitator_password(STATE, os.environ.get("PLKIT_FACILITATOR_PASSWORD", ""))
plkit_signin.reserve(c.FirstUseAuthenticator.dbm_path, FACILITATOR_NAMES, FACILITATOR_PASSWORD)
print(f"plkit: the facilitator signs in as {' or '.join(FACILITATOR_NAMES)} with the password {FACILITATOR_PASSWORD} "
      f"(kept in {STATE / 'facilitator-password.txt'}; PLKIT_FACILITATOR_PASSWORD=... make hub sets another).",
      file=sys.stderr, flush=True)
# The sign-in page says which name and password to use (templates/login.html).
c.JupyterHub.template_paths = [str(HERE / "templates")]
c.JupyterHub.template_vars = {"plkit_facilitators": " or ".join(FACILITATOR_NAMES) or "facilitator",
                              "plkit_min_password": plkit_signin.MIN_PASSWORD}

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# Kernels talk to their server over local sockets (ipc), not TCP ports: on one machine, servers
# starting kernels in the same second each picked "free" TCP ports, and two could pick the same one
# (a kernel then failed to start: issue 19, item 13). Each server's sockets are in a short folder
# of its own (a socket's path may not exceed 107 bytes), removed when the hub stops.
KERNEL_SOCKETS = Path(tempfile.mkdtemp(prefix="plkit-hub-"))
atexit.register(shutil.rmtree, KERNEL_SOCKETS, ignore_errors=True)
c.Spawner.args.append("--KernelManager.transport=ipc")
c.Spawner.environment.update({"JUPYTER_RUNTIME_DIR": lambda spawner: str(KERNEL_SOCKETS / str(spawner.user.id))})

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
