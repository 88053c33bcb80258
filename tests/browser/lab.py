"""Drive JupyterLab and Voilà in a real Chromium: start throw-away servers, open and run workbooks.

Used by the browser tests (through ``conftest.py``) and by ``benchmarks/browser_click.py``;
it imports nothing from pytest, so both can use it.

Everything here waits on state (the server's status API, elements, texts), never on fixed sleeps.
"""

from __future__ import annotations

import contextlib
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WORKBOOKS = REPO / "workbooks"
ARTIFACTS = REPO / "test-artifacts"  # screenshots and logs for a person to look at
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

# The settings users get (binder/postBuild installs them into Binder's environment, and `make`
# into .venv): each test server gets its own copy. Among them: no news, no update check, a
# read-only extension manager (nothing asks PyPI), Voilà's "plkit" template (no CDN), and every
# cell attached to the page (with windowing, cells out of view may be missing from the DOM).
POST_BUILD = REPO / "binder" / "postBuild"
# Every name lookup and connection the servers and their kernels make is logged (see audit/).
AUDIT = Path(__file__).resolve().parent / "audit"
LOOPBACK = {"127.0.0.1", "::1", "localhost", "localhost.localdomain", "ip6-localhost"}

THEME_PLUGIN = "@jupyterlab/apputils-extension/themes"

SERVER_START_TIMEOUT = 60.0  # seconds
KERNEL_TIMEOUT = 90_000  # ms: a cold kernel imports pandas and matplotlib and draws a chart
UI_TIMEOUT = 30_000  # ms

SCREEN = ".plkit"  # the root of every workbook's widget screen
PROGRESS = ".plkit-progress"  # on every participant workbook's screen
SAVE_BAR = ".plkit-save-bar"  # on every participant workbook's screen
DOWNLOAD_LINK = f"{SAVE_BAR} a[download]"  # Download my work: a data: URI of the work file
# What would show code: code cells' input, prompts, editors (Markdown cells are fine).
CODE = ".jp-CodeCell .jp-InputArea, .jp-InputPrompt, .jp-CodeMirrorEditor, .cm-editor"
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


def workbook_names() -> list[str]:
    """Every workbook of the kit (``workbooks/*.ipynb``), by file name."""
    return sorted(path.name for path in WORKBOOKS.glob("*.ipynb"))


def copy_workbooks(target: Path) -> Path:
    """Copy the repository's notebooks into ``target`` so a run never writes into the checkout."""
    target.mkdir(parents=True, exist_ok=True)
    for notebook in sorted(WORKBOOKS.glob("*.ipynb")):
        shutil.copy2(notebook, target / notebook.name)
    return target


def _write_user_settings(settings_dir: Path, settings: dict[str, dict]) -> None:
    for plugin, values in settings.items():
        path = settings_dir / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2), encoding="utf-8")


def _matplotlib_cache() -> str | None:
    """The font cache ``make`` built, so a kernel with a temporary HOME need not rebuild it."""
    if os.environ.get("MPLCONFIGDIR"):
        return os.environ["MPLCONFIGDIR"]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "matplotlib"
    return str(cache) if cache.is_dir() else None


def _local(item: dict) -> bool:
    """A logged network call that stays on this machine: loopback, or a Unix socket."""
    host = item.get("host")
    if item["event"] == "socket.connect" and isinstance(host, str) and host.startswith("/"):
        return True  # a Unix socket's path
    if host in (None, "", 0):
        return item["event"] != "socket.connect"  # a lookup of no name (this machine's)
    return str(host) in LOOPBACK or str(host).startswith(("127.", "::ffff:127."))


class JupyterServer:
    """A Jupyter server on a free loopback port, serving a temporary copy of the workbooks.

    Its HOME and Jupyter config, data and runtime folders are temporary too, and the kernels it
    starts inherit ``PLKIT_WORK_DIR=<root>/my_work``. It runs with the kit's settings, as users
    get them (``binder/postBuild`` installs them into ``<base>/prefix``), and logs its and its
    kernels' network calls (``connections()``). Use as a context manager, or call ``start()``
    and ``stop()``. Subclasses give the command line and the address to poll.
    """

    name = "Jupyter server"
    log_name = "server.log"
    ready_path = "api/status"  # answers 200 once the server is up (requires the token)

    def __init__(self, base: Path | None = None, python: str = sys.executable) -> None:
        self._own_base = base is None
        self.base = Path(tempfile.mkdtemp(prefix="plkit-browser-")) if base is None else Path(base)
        self.python = python
        self.root = self.base / "workbooks"
        self.work_dir = self.root / "my_work"
        self.log_path = self.base / self.log_name
        self.port = 0
        self.token = secrets.token_hex(16)
        self.process: subprocess.Popen | None = None

    # --- addresses ----------------------------------------------------------------------------
    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "", **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in {**params, "token": self.token}.items())
        return f"{self.origin}/{path.lstrip('/')}?{query}"

    @property
    def work_file(self) -> Path:
        return self.work_dir / "plkit-work.json"

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    # --- life cycle ---------------------------------------------------------------------------
    @property
    def runtime_dir(self) -> Path:
        return self.base / "jupyter" / "runtime"

    @property
    def prefix(self) -> Path:
        """Where ``binder/postBuild`` installs the kit's settings for this server."""
        return self.base / "prefix"

    @property
    def connections_log(self) -> Path:
        return self.base / "connections.log"

    def connections(self) -> list[dict]:
        """Every name lookup and connection the server and its kernels made so far (see audit/)."""
        try:
            lines = self.connections_log.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in lines if line.strip()]

    def outside_connections(self) -> list[dict]:
        """The connections and name lookups that were not for this machine."""
        return [item for item in self.connections() if not _local(item)]

    def _environment(self) -> dict[str, str]:
        home = self.base / "home"
        jupyter = self.base / "jupyter"
        env = dict(os.environ)
        env.update({
            "HOME": str(home),
            "JUPYTER_CONFIG_DIR": str(jupyter / "config"),
            "JUPYTER_DATA_DIR": str(jupyter / "data"),
            "JUPYTER_RUNTIME_DIR": str(self.runtime_dir),
            "IPYTHONDIR": str(home / ".ipython"),
            "PLKIT_WORK_DIR": str(self.work_dir),
            "PYTHONUNBUFFERED": "1",
            # kernels found through the venv, whatever PATH the caller has
            "PATH": os.pathsep.join([str(Path(self.python).parent), env.get("PATH", "")]),
            # the kit's settings first (binder/postBuild's copy, see _prepare)
            "JUPYTER_CONFIG_PATH": str(self.prefix / "etc" / "jupyter"),
            "JUPYTER_PATH": str(self.prefix / "share" / "jupyter"),
            # the server and its kernels log their network calls
            "PLKIT_CONNECTIONS_LOG": str(self.connections_log),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(AUDIT), env.get("PYTHONPATH")])),
        })
        env.pop("JUPYTERLAB_SETTINGS_DIR", None)
        env.pop("JUPYTERLAB_WORKSPACES_DIR", None)
        mpl = _matplotlib_cache()
        if mpl:
            env["MPLCONFIGDIR"] = mpl
        for folder in (home, jupyter / "config", jupyter / "data", self.runtime_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return env

    def _prepare(self) -> None:
        """Install the kit's settings (``binder/postBuild``) where this server reads them."""
        subprocess.run(["bash", str(POST_BUILD)], cwd=REPO, check=True,
                       env={**os.environ, "NB_PYTHON_PREFIX": str(self.prefix)})

    def _command(self) -> list[str]:
        raise NotImplementedError

    def start(self, timeout: float = SERVER_START_TIMEOUT) -> JupyterServer:
        copy_workbooks(self.root)
        env = self._environment()
        self._prepare()
        for attempt in range(3):
            try:
                self._launch(env, timeout)
                return self
            except LabError:
                # the free port may have been taken between finding it and the server binding it
                if attempt == 2 or "already in use" not in self.log():
                    raise
        return self

    def _launch(self, env: dict[str, str], timeout: float) -> None:
        self.port = free_port()
        with open(self.log_path, "wb") as log:  # the child keeps its own copy of the handle
            self.process = subprocess.Popen(
                self._command(), cwd=self.root, env=env, stdin=subprocess.DEVNULL, stdout=log,
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
                raise LabError(f"{self.name} exited with code {self.process.returncode} before "
                               f"it was ready. Its log:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url(self.ready_path), timeout=2) as response:
                    if response.status == 200:
                        return
                    last = f"HTTP {response.status}"
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                last = str(exc)
            time.sleep(0.1)
        raise LabError(f"{self.name} did not answer on port {self.port} within {timeout:.0f} s "
                       f"(last: {last}). Its log:\n{self.log()}")

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

    def __enter__(self) -> JupyterServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.cleanup()


class LabServer(JupyterServer):
    """JupyterLab (see ``JupyterServer``), with the kit's settings and the theme a test asks for."""

    name = "JupyterLab"
    log_name = "jupyter-lab.log"

    @property
    def settings_dir(self) -> Path:
        return self.base / "jupyter" / "config" / "lab" / "user-settings"

    @property
    def workspaces_dir(self) -> Path:
        return self.base / "jupyter" / "config" / "lab" / "workspaces"

    def url(self, path: str = "lab", **params: str) -> str:
        return super().url(path, **params)

    def notebook_url(self, name: str) -> str:
        return self.url(f"lab/tree/{name}")

    @property
    def app_settings_dir(self) -> Path:
        """Where JupyterLab reads the kit's setting overrides (``overrides.d/``)."""
        return self.prefix / "share" / "jupyter" / "lab" / "settings"

    def _command(self) -> list[str]:
        return [
            self.python, "-m", "jupyter", "lab", "--no-browser",
            f"--port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}", "--ServerApp.ip=127.0.0.1", "--allow-root",
            f"--LabApp.app_settings_dir={self.app_settings_dir}",
            f"--LabApp.user_settings_dir={self.settings_dir}",
            f"--LabApp.workspaces_dir={self.workspaces_dir}",
        ]

    @contextlib.contextmanager
    def theme(self, theme: str):
        """Pages opened inside this block show ``theme`` (e.g. "JupyterLab Dark")."""
        path = self.settings_dir / f"{THEME_PLUGIN}.jupyterlab-settings"
        _write_user_settings(self.settings_dir, {THEME_PLUGIN: {"theme": theme}})
        try:
            yield
        finally:
            path.unlink(missing_ok=True)

    def api(self, path: str) -> object:
        with urllib.request.urlopen(self.url(path), timeout=10) as response:
            return json.load(response)

    def forget_workspaces(self) -> None:
        """Forget the tabs pages left open, or the next page opens them again."""
        shutil.rmtree(self.workspaces_dir, ignore_errors=True)

    def shutdown_kernels(self) -> None:
        """End every session and kernel the server runs, so the next test starts afresh."""
        for kind in ("sessions", "kernels"):
            for item in self.api(f"api/{kind}"):
                request = urllib.request.Request(self.url(f"api/{kind}/{item['id']}"), method="DELETE")
                with urllib.request.urlopen(request, timeout=30):
                    pass


class VoilaServer(JupyterServer):
    """Voilà serving the workbooks folder (see ``JupyterServer``): each page load is a new kernel.

    Tracebacks are shown in the page, so a failing cell says why. Kernels outlive their pages:
    call ``shutdown_kernels()`` after a test (``stop()`` ends them too).
    """

    name = "Voilà"
    log_name = "voila.log"
    ready_path = ""  # the tree page: Voilà has no /api/status

    def render_url(self, name: str) -> str:
        return self.url(f"voila/render/{name}")

    def kernel_ids(self) -> list[str]:
        """The kernels running now (Voilà has no kernels API: their connection files tell)."""
        return sorted(path.stem.removeprefix("kernel-")
                      for path in self.runtime_dir.glob("voila_*/kernel-*.json"))

    def shutdown_kernels(self) -> None:
        """End every kernel, so the next test starts afresh.

        Voilà 0.5.13 pages ask for their kernel's shutdown when they unload, but the request
        fails (403, no ``_xsrf`` cookie), so without this every page load would leave a kernel.
        """
        def shutdown(kernel_id: str) -> None:
            request = urllib.request.Request(self.url(f"voila/api/shutdown/{kernel_id}"),
                                             method="POST", data=b"")
            try:
                with urllib.request.urlopen(request, timeout=30):
                    pass
            except urllib.error.HTTPError as exc:
                if exc.code != 404:  # 404: it ended meanwhile
                    raise

        with ThreadPoolExecutor() as pool:  # each shutdown waits for its kernel to exit
            list(pool.map(shutdown, self.kernel_ids()))

    def _command(self) -> list[str]:
        return [
            self.python, "-m", "voila", str(self.root), "--no-browser",
            f"--port={self.port}", "--Voila.port_retries=0", "--Voila.ip=127.0.0.1",
            f"--token={self.token}", "--show_tracebacks=True",
            f"--Voila.connection_dir_root={self.runtime_dir}",
        ]


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


# A fresh screen whose ``ready`` element shows, or an output with a traceback (Voilà shows
# tracebacks as stderr), or a widget that failed to show: whichever comes first.
SCREEN_OR_ERROR_JS = """([screens, ready, outputs]) => {
    const shows = e => e && e.getClientRects().length > 0;
    const failed = [...document.querySelectorAll(outputs)]
        .filter(e => /Traceback|Error displaying widget/.test(e.textContent));
    if (failed.length) return 'error';
    return [...document.querySelectorAll(screens)].some(s => shows(s.querySelector(ready)));
}"""


def wait_screen(page, timeout: int = KERNEL_TIMEOUT, ready: str = PROGRESS):
    """Wait for a freshly drawn plkit screen (not one marked stale) showing ``ready``; return it.

    Raises ``LabError`` at once if the page shows a traceback instead.
    """
    fresh = f"{SCREEN}:not([data-test-stale])"
    outcome = page.wait_for_function(SCREEN_OR_ERROR_JS,
                                     arg=[fresh, ready, ".jp-OutputArea-output"],
                                     timeout=timeout, polling=100).json_value()
    if outcome == "error":
        raise LabError("the workbook failed instead of showing its screen:\n"
                       + "\n---\n".join(error_outputs(page)))
    screen = page.locator(fresh).filter(has=page.locator(ready)).first
    screen.locator(ready).first.wait_for(state="visible")
    return screen


def run_all(page, timeout: int = KERNEL_TIMEOUT, ready: str = PROGRESS):
    """Run → Run All Cells; wait for a new widget screen and an idle kernel. Returns the screen."""
    _mark_screens_stale(page)
    _menu(page, "Run", "Run All Cells")
    screen = wait_screen(page, timeout, ready)
    wait_kernel_idle(page, timeout)
    return screen


def restart_and_run_all(page, timeout: int = KERNEL_TIMEOUT, ready: str = PROGRESS):
    """Kernel → Restart Kernel and Run All Cells…, confirm; wait for a new screen. Returns it."""
    _mark_screens_stale(page)
    _menu(page, "Kernel", "Restart Kernel and Run All Cells…")
    accept = page.locator(".jp-Dialog button.jp-mod-accept")
    accept.click()
    accept.wait_for(state="detached")
    screen = wait_screen(page, timeout, ready)
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


# --- Voilà ------------------------------------------------------------------------------------


def open_voila(page, server: VoilaServer, name: str, timeout: int = KERNEL_TIMEOUT,
               ready: str = PROGRESS):
    """Open a workbook in Voilà (a new kernel runs every cell) and wait for its widget screen
    to show ``ready``. Returns the screen's locator."""
    page.goto(server.render_url(name), timeout=timeout)
    return wait_screen(page, timeout, ready)


def reload_voila(page, timeout: int = KERNEL_TIMEOUT, ready: str = PROGRESS):
    """Reload a Voilà page (a new kernel runs every cell); return the new screen's locator."""
    page.reload(timeout=timeout)
    return wait_screen(page, timeout, ready)


def visible_code(page) -> list[str]:
    """Texts of the code, prompts and editors the page shows (a Voilà page should show none)."""
    return page.locator(CODE).filter(visible=True).all_inner_texts()


# The Download my work link, decoded, holds the text. The link is a new element after every save,
# so it is looked up afresh each time.
LINK_HOLDS_JS = """([selector, text]) => {
    const link = document.querySelector(selector);
    const data = ((link && link.getAttribute('href')) || '').split('base64,')[1];
    if (!data) return false;
    const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
    return new TextDecoder().decode(bytes).includes(text);
}"""


def wait_download_link_holds(page, text: str, timeout: int = UI_TIMEOUT) -> None:
    """Wait until *Download my work* would give a file holding ``text`` (the saves reached it)."""
    page.wait_for_function(LINK_HOLDS_JS, arg=[f"{SCREEN} {DOWNLOAD_LINK}", text],
                           timeout=timeout)


def save_download(page, link, folder: Path) -> Path:
    """Click a download link as a person would; the file, saved in ``folder`` under the name offered."""
    with page.expect_download() as info:
        link.click()
    path = Path(folder) / info.value.suggested_filename
    info.value.save_as(path)
    return path
