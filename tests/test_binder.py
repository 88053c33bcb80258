"""The Binder check: repo2docker accepts ``binder/``, and an environment built only from it works.

Three layers, all marked ``binder`` (slow: about a minute and a half with a warm pip cache,
longer on a fresh machine that downloads every package):

1. ``jupyter-repo2docker --no-build --debug`` prints the Dockerfile Binder would build (no Docker
   needed): Python from ``binder/runtime.txt``, the repository copied before
   ``binder/requirements.txt`` is installed (it holds ``-e .``), then ``binder/postBuild``.
2. A fresh venv gets ``pip install -r binder/requirements.txt`` run from the repository root, as
   repo2docker does (no test extras), and its own ``jupyter nbconvert`` runs every workbook.
3. That venv's Voila serves every workbook; each page is checked for the signs Voila 0.5.13 gives
   of a failed cell, and a notebook that raises is served alongside to prove the check sees them.

Notebooks run from a temporary copy of ``workbooks/`` with temporary HOME, Jupyter and
``PLKIT_WORK_DIR`` folders: nothing is written into the checkout or the user's Jupyter setup.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.binder

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = "binder/requirements.txt"  # relative: repo2docker runs pip from the repository root
WORKBOOKS = sorted(path.name for path in (ROOT / "workbooks").glob("*.ipynb"))
REPO2DOCKER = Path(sys.executable).parent / "jupyter-repo2docker"

PROBE = "_binder_probe.ipynb"  # prints which Python the kernel runs and where plkit comes from
BROKEN = "_binder_broken.ipynb"  # raises, so the Voila check must flag it

PIP_TIMEOUT = 1800  # seconds: a fresh CI machine downloads every package
RUN_TIMEOUT = 600
SERVER_START_TIMEOUT = 60
PAGE_TIMEOUT = 300

# How Voila 0.5.13 (default settings, as on Binder: tracebacks hidden) shows a failed cell in the
# page. A cell that raises becomes an error output whose text is replaced with the first message;
# the other two come from a cell timeout and a failure in the server. The lab template renders
# each of them (and any stderr text) as a block with the stderr MIME type.
VOILA_ERROR_MARKERS = (
    "There was an error when executing cell",
    "Cell execution timed out",
    "An exception occurred at the server",
    'data-mime-type="application/vnd.jupyter.stderr"',
)
# Voila stops at the first failed cell: the page never reaches voila_process(n, n) for n cells.
VOILA_PROGRESS = re.compile(r"voila_process\((\d+), (\d+)\)")


# --- helpers ---------------------------------------------------------------------------------


def run(command: list, *, cwd: Path, env: dict[str, str] | None = None,
        timeout: float = RUN_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run a command to the end; its stdout and stderr come back together in ``stdout``."""
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
        errors="replace", timeout=timeout, check=False,
    )


def require_success(result: subprocess.CompletedProcess[str]) -> None:
    """Fail with the command's output unless it exited 0."""
    assert result.returncode == 0, f"{' '.join(result.args)} exited {result.returncode}:\n{result.stdout}"


def notebook(*sources: str) -> dict:
    """A Python 3 notebook with one code cell per source."""
    cells = [{"cell_type": "code", "execution_count": None, "id": f"cell-{index}", "metadata": {},
              "outputs": [], "source": source} for index, source in enumerate(sources)]
    kernelspec = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    return {"cells": cells, "metadata": {"kernelspec": kernelspec, "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def write_notebooks(folder: Path) -> Path:
    """Copy the workbooks into ``folder`` and add the probe and the broken notebook."""
    folder.mkdir(parents=True)
    for name in WORKBOOKS:
        shutil.copy2(ROOT / "workbooks" / name, folder / name)
    probe = notebook("import os, sys\nimport plkit\n"
                     "print('prefix=' + os.path.realpath(sys.prefix))\n"
                     "print('plkit=' + os.path.realpath(plkit.__file__))")
    broken = notebook("print('before')", 'raise ValueError("boom")', "print('after')")
    (folder / PROBE).write_text(json.dumps(probe, indent=1), encoding="utf-8")
    (folder / BROKEN).write_text(json.dumps(broken, indent=1), encoding="utf-8")
    return folder


def isolated_env(base: Path, venv: Path, work_dir: Path) -> dict[str, str]:
    """Environment for the fresh venv's Jupyter: its bin first; HOME and Jupyter folders in ``base``."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("JUPYTER", "IPYTHON", "MPL", "VIRTUAL_ENV", "PYTHONPATH"))}
    folders = {
        "HOME": base / "home",
        "IPYTHONDIR": base / "home" / ".ipython",
        "JUPYTER_CONFIG_DIR": base / "jupyter" / "config",
        "JUPYTER_DATA_DIR": base / "jupyter" / "data",
        "JUPYTER_RUNTIME_DIR": base / "jupyter" / "runtime",
        "MPLCONFIGDIR": base / "matplotlib",
        "TMPDIR": base / "tmp",  # Voila keeps kernel connection files there
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    env.update({key: str(folder) for key, folder in folders.items()})
    env.update(PATH=os.pathsep.join([str(venv / "bin"), env.get("PATH", "")]),
               PLKIT_WORK_DIR=str(work_dir), PYTHONUNBUFFERED="1")
    return env


def failed_outputs(executed: dict) -> list[str]:
    """Error and stderr outputs of the code cells, and of the Output widgets in the saved state."""
    outputs = [output for cell in executed["cells"] if cell["cell_type"] == "code"
               for output in cell.get("outputs", [])]
    widgets = executed["metadata"].get("widgets", {})
    state = widgets.get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    outputs += [output for model in state.values() if model.get("model_name") == "OutputModel"
                for output in model.get("state", {}).get("outputs", [])]
    return [json.dumps(output)[:2000] for output in outputs
            if output["output_type"] == "error" or output.get("name") == "stderr"]


def stream_text(executed: dict) -> str:
    """Everything the code cells printed."""
    return "".join("".join(output.get("text", "")) for cell in executed["cells"]
                   if cell["cell_type"] == "code" for output in cell.get("outputs", [])
                   if output["output_type"] == "stream")


def failure_signs(page: str) -> list[str]:
    """The signs of a failed cell in a Voila page: error markers, or cells left unrun."""
    signs = [marker for marker in VOILA_ERROR_MARKERS if marker in page]
    progress = VOILA_PROGRESS.findall(page)
    if not progress or progress[-1][0] != progress[-1][1]:
        last = "voila_process({}, {})".format(*progress[-1]) if progress else "no voila_process"
        signs.append(f"cells left unrun: the page ends at {last}")
    return signs


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy


def get(url: str, timeout: float) -> tuple[int, str]:
    """HTTP GET: status and body text, error statuses included."""
    try:
        with OPENER.open(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode("utf-8", "replace")


def read_log(path: Path, start: int = 0) -> str:
    """The server log from byte ``start`` on."""
    with open(path, "rb") as log:
        log.seek(start)
        return log.read().decode("utf-8", "replace")


def stop(process: subprocess.Popen) -> None:
    """Terminate the server (Voila then shuts its kernels down); kill its process group if it hangs."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=20)


def wait_until_serving(process: subprocess.Popen, url: str, log_path: Path) -> None:
    """Poll ``url`` until the server answers 200; fail early if it exits."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        assert process.poll() is None, f"Voila exited {process.returncode}:\n{read_log(log_path)}"
        try:
            if get(url, timeout=5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"Voila did not answer {url} within {SERVER_START_TIMEOUT} s:\n{read_log(log_path)}")


@contextmanager
def voila_server(venv: Path, folder: Path, env: dict[str, str], log_path: Path) -> Iterator[str]:
    """The fresh venv's Voila serving ``folder`` on a free loopback port; yields its base URL."""
    port = free_port()
    command = [venv / "bin" / "voila", folder, "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1", "--Voila.port_retries=0"]
    with open(log_path, "wb") as log:  # the server keeps its own handle
        process = subprocess.Popen(
            [str(part) for part in command], cwd=folder, env=env, stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_serving(process, url, log_path)
        yield url
    finally:
        stop(process)


# --- fixtures --------------------------------------------------------------------------------


@dataclass
class FreshVenv:
    """A venv built only from binder/, and the workbooks its own nbconvert executed."""

    path: Path
    base: Path
    notebooks: Path
    build_seconds: float
    executions: dict[str, subprocess.CompletedProcess[str]]
    executed_dir: Path

    def executed(self, name: str) -> dict:
        """The executed copy of notebook ``name``."""
        return json.loads((self.executed_dir / name).read_text(encoding="utf-8"))


@dataclass
class Page:
    """One Voila page: HTTP status, HTML, and what the server logged while rendering it."""

    status: int
    html: str
    log: str


@pytest.fixture(scope="module")
def repo2docker() -> subprocess.CompletedProcess[str]:
    """``jupyter-repo2docker --no-build --debug`` on the repository: Dockerfile on stdout, log on stderr."""
    assert REPO2DOCKER.is_file(), f"no {REPO2DOCKER}: install the test extra (pip install -e '.[test]')"
    return subprocess.run(
        [str(REPO2DOCKER), "--no-build", "--debug", str(ROOT)], cwd=ROOT,
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False,
    )


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory) -> Iterator[FreshVenv]:
    """Build a venv from binder/requirements.txt only, then execute every workbook with it."""
    base = tmp_path_factory.mktemp("binder")
    venv = base / "venv"
    started = time.monotonic()
    require_success(run([sys.executable, "-m", "venv", venv], cwd=base))
    require_success(run([venv / "bin" / "python", "-m", "pip", "install", "-q", "-r", REQUIREMENTS],
                        cwd=ROOT, timeout=PIP_TIMEOUT))
    build_seconds = time.monotonic() - started
    print(f"\nfresh venv from {REQUIREMENTS}: built in {build_seconds:.0f} s")
    notebooks = write_notebooks(base / "workbooks")
    env = isolated_env(base, venv, work_dir=base / "my_work")
    executed_dir = base / "executed"
    executions = {
        name: run([venv / "bin" / "jupyter", "nbconvert", "--to", "notebook", "--execute",
                   "--output-dir", executed_dir, name], cwd=notebooks, env=env)
        for name in (*WORKBOOKS, PROBE)
    }
    yield FreshVenv(venv, base, notebooks, build_seconds, executions, executed_dir)
    shutil.rmtree(venv, ignore_errors=True)  # half a gigabyte; the logs and notebooks stay


@pytest.fixture(scope="module")
def voila_pages(fresh_venv: FreshVenv) -> dict[str, Page]:
    """Every workbook, the probe and the broken notebook, rendered by the fresh venv's Voila."""
    env = isolated_env(fresh_venv.base, fresh_venv.path, work_dir=fresh_venv.base / "voila_work")
    log_path = fresh_venv.base / "voila.log"
    pages = {}
    with voila_server(fresh_venv.path, fresh_venv.notebooks, env, log_path) as url:
        for name in (*WORKBOOKS, PROBE, BROKEN):
            start = log_path.stat().st_size
            status, body = get(f"{url}voila/render/{name}", timeout=PAGE_TIMEOUT)
            pages[name] = Page(status, body, read_log(log_path, start))
    return pages


# --- 1. repo2docker ----------------------------------------------------------------------------


def test_repo2docker_accepts_the_repository(repo2docker):
    assert repo2docker.returncode == 0, repo2docker.stderr
    assert repo2docker.stdout.lstrip().startswith("FROM "), repo2docker.stdout[:2000]


def test_repo2docker_builds_python_from_runtime_txt(repo2docker):
    version = (ROOT / "binder" / "runtime.txt").read_text().strip().removeprefix("python-")
    assert version == "3.11"
    assert f"Building conda environment for python={version}" in repo2docker.stderr, repo2docker.stderr


def test_dockerfile_copies_the_repository_then_installs_binder_requirements_then_post_build(repo2docker):
    lines = [line.strip() for line in repo2docker.stdout.splitlines()]
    copy_repo = lines.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    installs = [index for index, line in enumerate(lines)
                if re.fullmatch(r'RUN \S*pip install .*-r "binder/requirements\.txt"', line)]
    assert len(installs) == 1, repo2docker.stdout
    post_build = lines.index("RUN ./binder/postBuild")
    assert copy_repo < installs[0] < post_build, repo2docker.stdout  # -e . needs the repository


# --- 2. a fresh venv from binder/ runs every workbook headless ---------------------------------


def test_fresh_venv_holds_the_pins_and_the_kit_from_this_checkout(fresh_venv, record_property):
    record_property("venv_build_seconds", round(fresh_venv.build_seconds, 1))
    listing = run([fresh_venv.path / "bin" / "python", "-m", "pip", "list", "--format=json",
                   "--disable-pip-version-check"], cwd=fresh_venv.base)
    require_success(listing)
    installed = {item["name"].lower(): item for item in json.loads(listing.stdout)}
    pins = [line.split("==") for line in (ROOT / REQUIREMENTS).read_text().splitlines() if "==" in line]
    assert pins
    for name, version in pins:
        assert installed[name.lower()]["version"] == version, name
    assert Path(installed["plkit"]["editable_project_location"]).resolve() == ROOT
    assert "pytest" not in installed and "nbval" not in installed  # no test extras


def test_workbooks_run_in_the_fresh_venvs_own_kernel(fresh_venv):
    require_success(fresh_venv.executions[PROBE])
    printed = stream_text(fresh_venv.executed(PROBE))
    assert f"prefix={fresh_venv.path.resolve()}\n" in printed
    assert f"plkit={(ROOT / 'plkit' / '__init__.py').resolve()}\n" in printed


@pytest.mark.parametrize("name", WORKBOOKS)
def test_workbook_runs_headless_in_the_fresh_venv(fresh_venv, name):
    require_success(fresh_venv.executions[name])
    executed = fresh_venv.executed(name)
    assert all(cell.get("execution_count") for cell in executed["cells"] if cell["cell_type"] == "code")
    assert failed_outputs(executed) == []


# --- 3. Voila serves every workbook from the fresh venv ----------------------------------------


@pytest.mark.parametrize("name", WORKBOOKS)
def test_voila_serves_the_workbook_without_an_error(voila_pages, name):
    page = voila_pages[name]
    assert page.status == 200, page.log
    assert failure_signs(page.html) == [], page.log


def test_voila_check_flags_a_notebook_that_raises(voila_pages):
    page = voila_pages[BROKEN]
    assert page.status == 200  # Voila answers 200 even when a cell fails: the status is not enough
    signs = failure_signs(page.html)
    assert "There was an error when executing cell" in signs
    assert "cells left unrun: the page ends at voila_process(2, 3)" in signs
    assert "Error at server while executing cell" in page.log


def test_voila_kernels_run_the_fresh_venv(voila_pages, fresh_venv):
    page = voila_pages[PROBE]
    assert page.status == 200 and failure_signs(page.html) == [], page.log
    assert f"prefix={fresh_venv.path.resolve()}" in html.unescape(page.html)
