"""Drive JupyterLab in a real Chromium: start a throw-away server, open and run workbooks.

Used by the browser tests (through ``conftest.py``) and by ``benchmarks/browser_click.py``;
it imports nothing from pytest, so both can use it.

Everything here waits on state (the server's status API, elements, texts), never on fixed sleeps.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WORKBOOKS = REPO / "workbooks"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium",)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# JupyterLab settings for tests: no news or update pop-up, and every cell attached to the page
# (with windowing, cells out of view may be missing from the DOM).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}

SERVER_START_TIMEOUT = 60.0  # seconds
KERNEL_TIMEOUT = 90_000  # ms: a cold kernel imports pandas and matplotlib and draws a chart
UI_TIMEOUT = 30_000  # ms

ERROR_OUTPUTS = (
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]'
)


class LabError(RuntimeError):
    """The server or the page did not reach the state we waited for."""


def find_chromium() -> str | None:
    """Debian's chromium, or ``None`` if this machine has none."""
    for candidate in (*CHROMIUM_CANDIDATES, shutil.which("chromium")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_workbooks(target: Path) -> Path:
    """Copy the repository's notebooks into ``target`` so a run never writes into the checkout."""
    target.mkdir(parents=True, exist_ok=True)
    for notebook in sorted(WORKBOOKS.glob("*.ipynb")):
        shutil.copy2(notebook, target / notebook.name)
    return target


def _write_user_settings(settings_dir: Path) -> None:
    for plugin, values in LAB_SETTINGS.items():
        path = settings_dir / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2), encoding="utf-8")


def _matplotlib_cache() -> str | None:
    """The font cache ``make`` built, so a kernel with a temporary HOME need not rebuild it."""
    if os.environ.get("MPLCONFIGDIR"):
        return os.environ["MPLCONFIGDIR"]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "matplotlib"
    return str(cache) if cache.is_dir() else None


class LabServer:
    """A JupyterLab server on a free loopback port, serving a temporary copy of the workbooks.

    Its HOME and Jupyter config, data and runtime folders are temporary too, and the kernels it
    starts inherit ``PLKIT_WORK_DIR=<root>/my_work``. Use as a context manager, or call
    ``start()`` and ``stop()``.
    """

    def __init__(self, base: Path | None = None, python: str = sys.executable) -> None:
        self._own_base = base is None
        self.base = Path(tempfile.mkdtemp(prefix="plkit-lab-")) if base is None else Path(base)
        self.python = python
        self.root = self.base / "workbooks"
        self.work_dir = self.root / "my_work"
        self.log_path = self.base / "jupyter-lab.log"
        self.port = 0
        self.token = secrets.token_hex(16)
        self.process: subprocess.Popen | None = None

    # --- addresses ----------------------------------------------------------------------------
    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "lab", **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in {**params, "token": self.token}.items())
        return f"{self.origin}/{path.lstrip('/')}?{query}"

    def notebook_url(self, name: str) -> str:
        return self.url(f"lab/tree/{name}")

    @property
    def work_file(self) -> Path:
        return self.work_dir / "plkit-work.json"

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    # --- life cycle ---------------------------------------------------------------------------
    def _environment(self) -> dict[str, str]:
        home = self.base / "home"
        jupyter = self.base / "jupyter"
        env = dict(os.environ)
        env.update({
            "HOME": str(home),
            "JUPYTER_CONFIG_DIR": str(jupyter / "config"),
            "JUPYTER_DATA_DIR": str(jupyter / "data"),
            "JUPYTER_RUNTIME_DIR": str(jupyter / "runtime"),
            "IPYTHONDIR": str(home / ".ipython"),
            "PLKIT_WORK_DIR": str(self.work_dir),
            "PYTHONUNBUFFERED": "1",
            # kernels found through the venv, whatever PATH the caller has
            "PATH": os.pathsep.join([str(Path(self.python).parent), env.get("PATH", "")]),
        })
        env.pop("JUPYTER_PATH", None)
        env.pop("JUPYTERLAB_SETTINGS_DIR", None)
        env.pop("JUPYTERLAB_WORKSPACES_DIR", None)
        mpl = _matplotlib_cache()
        if mpl:
            env["MPLCONFIGDIR"] = mpl
        for folder in (home, jupyter / "config", jupyter / "data", jupyter / "runtime"):
            folder.mkdir(parents=True, exist_ok=True)
        return env

    def start(self, timeout: float = SERVER_START_TIMEOUT) -> LabServer:
        copy_workbooks(self.root)
        env = self._environment()
        settings_dir = self.base / "jupyter" / "config" / "lab" / "user-settings"
        _write_user_settings(settings_dir)
        for attempt in range(3):
            try:
                self._launch(env, settings_dir, timeout)
                return self
            except LabError:
                # the free port may have been taken between finding it and the server binding it
                if attempt == 2 or "already in use" not in self.log():
                    raise
        return self

    def _launch(self, env: dict[str, str], settings_dir: Path, timeout: float) -> None:
        self.port = free_port()
        command = [
            self.python, "-m", "jupyter", "lab", "--no-browser",
            f"--port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}", "--ServerApp.ip=127.0.0.1", "--allow-root",
            f"--LabApp.user_settings_dir={settings_dir}",
            f"--LabApp.workspaces_dir={self.base / 'jupyter' / 'config' / 'lab' / 'workspaces'}",
        ]
        with open(self.log_path, "wb") as log:  # the child keeps its own copy of the handle
            self.process = subprocess.Popen(
                command, cwd=self.root, env=env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise LabError(f"JupyterLab exited with code {self.process.returncode} before it "
                               f"was ready. Its log:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url("api/status"), timeout=2) as response:
                    if response.status == 200:
                        return
                    last = f"HTTP {response.status}"
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                last = str(exc)
            time.sleep(0.1)
        raise LabError(f"JupyterLab did not answer on port {self.port} within {timeout:.0f} s "
                       f"(last: {last}). Its log:\n{self.log()}")

    def api(self, path: str) -> object:
        with urllib.request.urlopen(self.url(path), timeout=10) as response:
            return json.load(response)

    def shutdown_kernels(self) -> None:
        """End every session and kernel the server runs, so the next test starts afresh."""
        for kind in ("sessions", "kernels"):
            for item in self.api(f"api/{kind}"):
                request = urllib.request.Request(self.url(f"api/{kind}/{item['id']}"), method="DELETE")
                with urllib.request.urlopen(request, timeout=30):
                    pass

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()  # SIGTERM: the server shuts its kernels down, then exits
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        elif process is not None:
            process.wait()

    def cleanup(self) -> None:
        self.stop()
        if self._own_base:
            shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> LabServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.cleanup()


# --- the browser ------------------------------------------------------------------------------

def launch_chromium(playwright, executable: str | None = None, headless: bool = True):
    """Chromium from the system (never Playwright's download)."""
    executable = executable or find_chromium()
    if executable is None:
        raise LabError("No chromium found (apt-get install chromium).")
    return playwright.chromium.launch(executable_path=executable, headless=headless,
                                      args=CHROMIUM_ARGS)


def new_page(browser, width: int = 1400, height: int = 1000):
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(UI_TIMEOUT)
    return context.new_page()


def accept_kernel_dialog(page) -> bool:
    """Accept a kernel-selection (or other) dialog if one is showing; True if there was one."""
    dialog = page.locator(".jp-Dialog button.jp-mod-accept")
    if dialog.count():
        dialog.first.click()
        dialog.first.wait_for(state="detached")
        return True
    return False


KERNEL_READY_JS = """() => {
    const kernel = document.querySelector('.jp-StatusBar-TextItem[title^="Change kernel"]');
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    const running = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
    if (!kernel || !running) return false;
    const text = kernel.textContent.trim();
    // Before the session has a kernel the status bar says "No Kernel | Initializing" while
    // the execution indicator already says idle: the indicator alone is not enough.
    if (text.startsWith('No Kernel') || !text.endsWith('| Idle')) return false;
    if (running.dataset.status !== 'idle') return false;
    const prompts = panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt, .jp-CodeCell .jp-OutputPrompt');
    return ![...prompts].some(p => p.textContent.includes('*'));
}"""


def open_notebook(page, server: LabServer, name: str) -> None:
    """Open a notebook and wait until its kernel is connected and idle."""
    page.goto(server.notebook_url(name))
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(state="attached",
                                                              timeout=KERNEL_TIMEOUT)
    # a kernel dialog (if any) shows before the kernel starts: wait for one or the other
    page.wait_for_function(f"() => document.querySelector('.jp-Dialog') || ({KERNEL_READY_JS})()",
                           timeout=KERNEL_TIMEOUT, polling=100)
    if accept_kernel_dialog(page):
        wait_kernel_idle(page)


def wait_kernel_idle(page, timeout: int = KERNEL_TIMEOUT) -> None:
    """Wait until the notebook's kernel is connected and idle, and no cell is queued or running."""
    page.wait_for_function(KERNEL_READY_JS, timeout=timeout, polling=100)


def _exactly(text: str) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def _menu(page, menu: str, item: str) -> None:
    """Click a main-menu item, e.g. Run → Run All Cells."""
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=_exactly(menu)).click()
    page.locator(".lm-Menu .lm-Menu-item:not(.lm-mod-disabled)",
                 has=page.locator(".lm-Menu-itemLabel", has_text=_exactly(item))).click()


def _mark_screens_stale(page) -> None:
    """Mark the screens on show, so a wait can tell them from the ones the next run draws."""
    page.evaluate(
        "() => document.querySelectorAll('.plkit').forEach(e => e.setAttribute('data-test-stale', ''))")


def wait_screen(page, timeout: int = KERNEL_TIMEOUT):
    """Wait for a freshly drawn plkit screen (not one marked stale) and return its locator."""
    screen = page.locator(".plkit:not([data-test-stale])").first
    screen.locator(".plkit-progress").wait_for(state="visible", timeout=timeout)
    return screen


def run_all(page, timeout: int = KERNEL_TIMEOUT):
    """Run → Run All Cells; wait for a new widget screen and an idle kernel. Returns the screen."""
    _mark_screens_stale(page)
    _menu(page, "Run", "Run All Cells")
    screen = wait_screen(page, timeout)
    wait_kernel_idle(page, timeout)
    return screen


def restart_and_run_all(page, timeout: int = KERNEL_TIMEOUT):
    """Kernel → Restart Kernel and Run All Cells…, confirm; wait for a new screen. Returns it."""
    _mark_screens_stale(page)
    _menu(page, "Kernel", "Restart Kernel and Run All Cells…")
    accept = page.locator(".jp-Dialog button.jp-mod-accept")
    accept.click()
    accept.wait_for(state="detached")
    screen = wait_screen(page, timeout)
    wait_kernel_idle(page, timeout)
    return screen


def error_outputs(page) -> list[str]:
    """Texts of stderr and error outputs, and of widgets that failed to render."""
    texts = page.locator(ERROR_OUTPUTS).all_inner_texts()
    texts += page.locator(".jp-OutputArea-output").filter(
        has_text="Error displaying widget").all_inner_texts()
    return texts


def wait_file_contains(path: Path, text: str, timeout: float = 15.0) -> str:
    """Poll a file until it holds ``text``; return its content."""
    deadline = time.monotonic() + timeout
    content = ""
    while time.monotonic() < deadline:
        try:
            content = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            content = ""
        if text in content:
            return content
        time.sleep(0.05)
    raise LabError(f"{path} did not come to hold {text!r} within {timeout} s; it holds:\n{content}")
