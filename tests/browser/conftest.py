"""Fixtures for the real-browser tests: a throw-away JupyterLab server and a headless Chromium.

The server serves a temporary copy of ``workbooks/`` (nothing is written into the checkout) and
its kernels save to ``<copy>/my_work`` (``PLKIT_WORK_DIR``). Tests skip only when no Chromium is
installed. A failing test leaves a screenshot in ``test-artifacts/<test name>.png``.
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

ARTIFACTS = lab.REPO / "test-artifacts"


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


@pytest.fixture(scope="session")
def lab_server(chromium_path, tmp_path_factory):
    """JupyterLab on a free loopback port, serving a temporary copy of the workbooks."""
    server = lab.LabServer(base=tmp_path_factory.mktemp("jupyterlab"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def work_dir(lab_server) -> Path:
    """The kernels' autosave folder (``PLKIT_WORK_DIR``), emptied before each test."""
    shutil.rmtree(lab_server.work_dir, ignore_errors=True)
    lab_server.work_dir.mkdir(parents=True)
    return lab_server.work_dir


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


@pytest.fixture
def page(browser, lab_server, request):
    """A new browser tab (in its own context); screenshot on failure; kernels shut down after."""
    page = lab.new_page(browser)
    try:
        yield page
    finally:
        failed = any(getattr(request.node, f"report_{when}", None) is not None
                     and getattr(request.node, f"report_{when}").failed
                     for when in ("setup", "call"))
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
            try:
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
                (ARTIFACTS / f"{name}-jupyter.log").write_text(lab_server.log(), encoding="utf-8")
            except Exception as exc:  # a screenshot must not hide the failure
                sys.stderr.write(f"could not save a screenshot: {exc}\n")
        page.context.close()
        lab_server.shutdown_kernels()
