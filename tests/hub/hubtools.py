"""A throw-away workshop hub for tests and the load benchmark: deploy/jupyterhub's configuration on
free loopback ports, with a temporary state folder, always torn down (hub, proxy, services, servers).

The tests reach the hub's REST API through a test-only service token (users, tokens, servers);
the hand-in service itself is the one ``make hub`` runs, unchanged.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PROXY = REPO / ".hub" / "node_modules" / ".bin" / "configurable-http-proxy"
JUPYTERHUB = Path(sys.executable).with_name("jupyterhub")
PASSWORD = "workshop-room-test"  # what each participant chooses at their first sign-in, in the tests
FACILITATOR = "facilitator"
FACILITATOR_PASSWORD = "only-the-hub-runner-knows"
ADMIN = "hub-admin"
START_TIMEOUT = 90.0
SPAWN_TIMEOUT = 180.0

# The hub under test, plus a service whose token may manage users, tokens and servers.
TEST_CONFIG = """
import os
load_subconfig(os.environ["PLKIT_TEST_HUB_CONFIG"])
c.JupyterHub.services.append({"name": "plkit-tests", "api_token": os.environ["PLKIT_TEST_HUB_TOKEN"]})
c.JupyterHub.load_roles.append({"name": "plkit-tests", "services": ["plkit-tests"],
    "scopes": ["admin:users", "admin:servers", "tokens", "admin:groups", "list:users"]})
c.Authenticator.admin_users = {"hub-admin"}  # an administrator who is not a facilitator
"""


class HubError(RuntimeError):
    pass


def missing() -> str:
    """Why a hub cannot start here ("" when it can)."""
    try:
        import jupyterhub  # noqa: F401
        import nbgitpuller  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed (make test installs it)"
    if not PROXY.exists():
        return "configurable-http-proxy is not in .hub/node_modules (make test installs it)"
    return ""


def free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def call(method: str, url: str, token: str | None = None, body: bytes | None = None,
         timeout: float = 60) -> tuple[int, bytes]:
    """An HTTP request straight to this machine (no proxy): (status, body)."""
    headers = {"Authorization": f"token {token}"} if token else {}
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def source_repository(target: Path) -> Path:
    """A clone of this checkout's committed history for nbgitpuller to pull from (never the checkout)."""
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(target)], check=True)
    for key, value in (("user.name", "plkit tests"), ("user.email", "tests@example.invalid")):
        subprocess.run(["git", "-C", str(target), "config", key, value], check=True)
    return target


class Hub:
    """deploy/jupyterhub/jupyterhub_config.py running in ``state``."""

    def __init__(self, state: Path, facilitators: str = FACILITATOR, extra_config: str = "") -> None:
        self.state = state
        self.port, api, proxy_api, handin_port = free_ports(4)
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.handin_url = f"http://127.0.0.1:{handin_port}/services/handin/"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("PLKIT_", "JUPYTERHUB_"))}
        self.env.update({
            "PLKIT_HUB_STATE": str(state), "PLKIT_HUB_PORT": str(self.port),
            "PLKIT_HUB_API_PORT": str(api), "PLKIT_PROXY_API_PORT": str(proxy_api),
            "PLKIT_HANDIN_PORT": str(handin_port), "PLKIT_FACILITATOR_PASSWORD": FACILITATOR_PASSWORD,
            "PLKIT_FACILITATORS": facilitators,
            "PLKIT_TEST_HUB_CONFIG": str(CONFIG), "PLKIT_TEST_HUB_TOKEN": self.token,
        })
        self.extra_config = extra_config  # more config lines (the load benchmark's longer timeouts)
        self.process: subprocess.Popen | None = None
        self.log_path = state / "hub.log"

    # --- starting and stopping ----------------------------------------------------------------
    def start(self) -> Hub:
        self.state.mkdir(parents=True, exist_ok=True)
        config = self.state / "test_config.py"
        config.write_text(TEST_CONFIG + self.extra_config)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen([str(JUPYTERHUB), "-f", str(config)], cwd=self.state, env=self.env,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HubError(f"the hub stopped at start:\n{self.log()[-3000:]}")
            if self._answers(f"{self.url}/hub/api/") and self._answers(self.handin_url + "api/handin", ok=(401,)):
                return self
            time.sleep(0.2)
        self.stop()
        raise HubError(f"the hub did not start in {START_TIMEOUT:.0f} s:\n{self.log()[-3000:]}")

    def _answers(self, url: str, ok: tuple[int, ...] = (200,)) -> bool:
        try:
            return call("GET", url, timeout=5)[0] in ok
        except OSError:
            return False

    def stop(self) -> None:
        """Stop the hub and everything it started (each in its own session), whatever state it is in."""
        if self.process is None:
            return
        import psutil

        try:
            family = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            family = []
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for child in family:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
        psutil.wait_procs(family, timeout=10)
        self.process = None

    def __enter__(self) -> Hub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    # --- the hub's API ------------------------------------------------------------------------
    def api(self, method: str, path: str, data: object = None, token: str | None = None) -> object:
        body = None if data is None else json.dumps(data).encode()
        status, raw = call(method, f"{self.url}/hub/api/{path}", token or self.token, body)
        if status >= 400:
            raise HubError(f"{method} {path}: {status} {raw[:500]!r}")
        return json.loads(raw) if raw.strip() else None

    def add_user(self, name: str) -> None:
        status, raw = call("POST", f"{self.url}/hub/api/users/{quote(name)}", self.token)
        if status not in (201, 409):
            raise HubError(f"adding {name}: {status} {raw[:300]!r}")

    def user_token(self, name: str, scopes: list[str] | None = None) -> str:
        """A token for ``name`` (all their permissions, or only ``scopes``)."""
        data: dict = {"note": "plkit tests", "expires_in": 3600}
        if scopes is not None:
            data["scopes"] = scopes
        return self.api("POST", f"users/{quote(name)}/tokens", data)["token"]

    def spawn(self, name: str, timeout: float = SPAWN_TIMEOUT) -> float:
        """Start ``name``'s server; returns the seconds it took to be ready."""
        started = time.monotonic()
        status, raw = call("POST", f"{self.url}/hub/api/users/{quote(name)}/server", self.token)
        if status not in (201, 202, 400):  # 400: already running
            raise HubError(f"spawning {name}: {status} {raw[:300]!r}")
        while time.monotonic() - started < timeout:
            model = self.api("GET", f"users/{quote(name)}")
            server = model["servers"].get("")
            if server and server.get("ready"):
                return time.monotonic() - started
            if not server and not model.get("pending") and time.monotonic() - started > 5:
                raise HubError(f"{name}'s server stopped while starting:\n{self.log()[-3000:]}")
            time.sleep(0.3)
        raise HubError(f"{name}'s server was not ready in {timeout:.0f} s")

    def home(self, name: str) -> Path:
        return self.state / "homes" / name

    # --- nbgitpuller ------------------------------------------------------------------------
    def pull(self, name: str, token: str, repo: str, branch: str = "main", target: str = "plkit") -> str:
        """Pull the kit into ``~/<target>`` as nbgitpuller's page does (its event stream), to the end."""
        query = urlencode({"repo": repo, "branch": branch, "targetpath": target})
        status, raw = call("GET", f"{self.url}/user/{quote(name)}/git-pull/api?{query}", token, timeout=120)
        text = raw.decode(errors="replace")
        if status != 200 or '"phase": "finished"' not in text:
            raise HubError(f"pulling for {name}: {status} {text[-1000:]}")
        return text

    def link(self, repo: str, urlpath: str, branch: str = "main", target: str = "plkit") -> str:
        """The nbgitpuller link a participant follows."""
        from plkit.hub_links import pull_link

        return pull_link(self.url, repo, urlpath, branch=branch, target=target)
