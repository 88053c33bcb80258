"""Fixtures for the real-browser tests: throw-away JupyterLab and Voilà servers, headless Chromium.

Each server serves its own temporary copy of ``workbooks/`` (nothing is written into the checkout)
and its kernels save to ``<copy>/my_work`` (``PLKIT_WORK_DIR``). Tests skip only when no Chromium
is installed. A failing test leaves a screenshot in ``test-artifacts/<test name>.png`` and the
server's log beside it.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # lab.py is shared with benchmarks/browser_click.py
    sys.path.insert(0, str(HERE))

import lab  # noqa: E402


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = lab.find_chromium()
    if path is None:
        pytest.skip("no Chromium: install Debian's chromium (apt-get install chromium) "
                    "to run the real-browser tests")
    return path


def _running(server):
    """Start a server for the session and always stop it."""
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def lab_server(chromium_path, tmp_path_factory):
    """JupyterLab on a free loopback port, serving a temporary copy of the workbooks."""
    yield from _running(lab.LabServer(base=tmp_path_factory.mktemp("jupyterlab")))


@pytest.fixture(scope="session")
def voila_server(chromium_path, tmp_path_factory):
    """Voilà on a free loopback port, serving another temporary copy of the workbooks."""
    yield from _running(lab.VoilaServer(base=tmp_path_factory.mktemp("voila")))


def _empty(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def work_dir(lab_server) -> Path:
    """The JupyterLab kernels' autosave folder (``PLKIT_WORK_DIR``), emptied before each test."""
    return _empty(lab_server.work_dir)


@pytest.fixture
def voila_work_dir(voila_server) -> Path:
    """The Voilà kernels' autosave folder (``PLKIT_WORK_DIR``), emptied before each test."""
    return _empty(voila_server.work_dir)


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance, chromium_path):
    browser = lab.launch_chromium(playwright_instance, chromium_path)
    try:
        yield browser
    finally:
        browser.close()


def _failed(request) -> bool:
    return any(getattr(request.node, f"report_{when}", None) is not None
               and getattr(request.node, f"report_{when}").failed
               for when in ("setup", "call"))


def _keep_artifacts(request, page, server) -> None:
    """After a failure: a screenshot of the page and the server's log, in test-artifacts/."""
    lab.ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    try:
        page.screenshot(path=str(lab.ARTIFACTS / f"{name}.png"))
        log = lab.ARTIFACTS / f"{name}-{server.log_path.stem}.log"
        log.write_text(server.log(), encoding="utf-8")
    except Exception as exc:  # a screenshot must not hide the failure
        sys.stderr.write(f"could not save a screenshot: {exc}\n")


@pytest.fixture
def page(browser, lab_server, request):
    """A JupyterLab tab (in its own context); screenshot on failure; then kernels shut down and
    open tabs forgotten."""
    page = lab.new_page(browser)
    try:
        yield page
    finally:
        if _failed(request):
            _keep_artifacts(request, page, lab_server)
        page.context.close()
        lab_server.forget_workspaces()
        lab_server.shutdown_kernels()


@pytest.fixture
def voila_page(browser, voila_server, request):
    """A Voilà tab (in its own context); screenshot on failure; kernels shut down after."""
    page = lab.new_page(browser)
    try:
        yield page
    finally:
        if _failed(request):
            _keep_artifacts(request, page, voila_server)
        page.context.close()
        voila_server.shutdown_kernels()
