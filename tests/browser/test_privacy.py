"""Private in fact: nothing leaves the machine from JupyterLab or Voilà, page or server.

Each test uses a workbook as a participant would and records every request the page makes (each
HTTP request and WebSocket; any request not for the local server is also blocked, so a test run
never sends one) and every name lookup and connection the server and its kernels made (Python's
audit hooks, see ``audit/``), and fails on any that is not for this machine. Allowed: the local
server (127.0.0.1 on its port), ``data:``, ``blob:`` and ``about:`` addresses, loopback and
Unix sockets. The counts per host are written to test-artifacts/privacy-requests.txt.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import drivers
import lab
import pytest

pytestmark = pytest.mark.browser

WORKBOOK = "02_self_assessment.ipynb"
REPORT = lab.ARTIFACTS / "privacy-requests.txt"
LOCAL_SCHEMES = {"data", "blob", "about"}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# What JupyterLab's page asks its server for when a person clicks: the update check and the news
# (the notification area) and the extension listing and a search (the extension manager). Each
# made the server call pypi.org or jupyterlab.github.io before the kit's settings.
LAB_SERVER_CALLS = ("lab/api/update", "lab/api/news", "lab/api/extensions?query=&page=1&per_page=30",
                    "lab/api/extensions?query=widgets&page=1&per_page=30&refresh=1")
FETCH_JS = "async (url) => (await fetch(url)).status"

# Font Awesome (the buttons' icons) drawn from a font the local server gave.
ICONS_JS = """() => {
    const icon = [...document.querySelectorAll('.plkit i.fa')].find(i => i.getClientRects().length);
    const loaded = [...document.fonts].some(f => /Font Awesome/.test(f.family) && f.status === 'loaded');
    return Boolean(icon && loaded && icon.getBoundingClientRect().width > 0);
}"""


class RequestLog:
    """Every request one browser context makes; any not for ``server`` is blocked and kept."""

    def __init__(self, page, server: lab.JupyterServer) -> None:
        self.server = server
        self.requests: list[tuple[str, str]] = []  # (kind, url)
        page.context.route("**/*", self._route)
        page.context.on("request", lambda request: self.requests.append(("http", request.url)))
        page.on("websocket", lambda socket: self.requests.append(("ws", socket.url)))

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            return True
        return (parts.scheme in ("http", "ws") and parts.hostname in LOCAL_HOSTS
                and parts.port == self.server.port)

    def _route(self, route) -> None:
        if self.is_local(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def outside(self) -> list[str]:
        return [f"{kind} {url}" for kind, url in self.requests if not self.is_local(url)]

    def per_host(self) -> Counter:
        def host(url: str) -> str:
            parts = urlsplit(url)
            if parts.scheme in LOCAL_SCHEMES:
                return f"{parts.scheme}:"
            local = " (the local server)" if self.is_local(url) else ""
            return f"{parts.hostname}:{parts.port or parts.scheme}{local}"

        return Counter(host(url) for _, url in self.requests)


def summary(title: str, log: RequestLog) -> str:
    kinds = Counter(kind for kind, _ in log.requests)
    lines = [title, f"  page: {len(log.requests)} requests ({kinds['http']} HTTP, "
                    f"{kinds['ws']} WebSocket), per host:"]
    lines += [f"    {host:<40} {count:>5}" for host, count in sorted(log.per_host().items())]
    lines.append(f"  page requests not for this machine: {len(log.outside())}")
    calls = Counter(f"{item['event']} {item['host']}" for item in log.server.connections())
    lines.append(f"  server and kernels: {sum(calls.values())} network calls (name lookups and "
                 "connections, whole session), per kind and host:")
    lines += [f"    {call:<40} {count:>5}" for call, count in sorted(calls.items())]
    lines.append(f"  server calls not for this machine: {len(log.server.outside_connections())}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def report():
    """Sections of test-artifacts/privacy-requests.txt, written when the module is done."""
    sections: list[str] = []
    yield sections
    lab.ARTIFACTS.mkdir(exist_ok=True)
    REPORT.write_text("\n\n".join(sections) + "\n", encoding="utf-8")


def assert_private(log: RequestLog) -> None:
    assert not log.outside(), "the page asked for something outside this machine:\n" + "\n".join(
        log.outside())
    outside = log.server.outside_connections()
    assert not outside, f"{log.server.name} or a kernel made network calls outside this machine:\n" \
        + "\n".join(map(str, outside))


def test_jupyterlab_sends_nothing_off_the_machine(page, lab_server, work_dir, report):
    log = RequestLog(page, lab_server)
    driver = drivers.SelfAssessment()
    lab.open_notebook(page, lab_server, WORKBOOK)
    driver.interact(lab.run_all(page))
    for path in LAB_SERVER_CALLS:  # whatever the answer, the server must not reach out for it
        page.evaluate(FETCH_JS, f"/{path}")
    lab.wait_file_contains(lab_server.work_file, driver.saved_marker)
    report.append(summary(f"JupyterLab ({WORKBOOK}: opened, Run All, three ratings and a note; "
                          "update check, news and extension listing asked for)", log))
    print(report[-1])
    assert_private(log)


def test_voila_sends_nothing_off_the_machine(voila_page, voila_server, voila_work_dir, report):
    log = RequestLog(voila_page, voila_server)
    driver = drivers.SelfAssessment()
    voila_page.goto(voila_server.url(""))  # the address `make app` opens: it leads to Start here
    voila_page.locator(".plkit-home-card").first.wait_for(timeout=lab.KERNEL_TIMEOUT)
    driver.interact(lab.open_voila(voila_page, voila_server, WORKBOOK))
    voila_page.wait_for_function(ICONS_JS, timeout=drivers.TIMEOUT)  # icons drawn, locally
    lab.wait_file_contains(voila_server.work_file, driver.saved_marker)
    report.append(summary(f"Voilà (Start here; {WORKBOOK}: rendered, three ratings "
                          "and a note)", log))
    print(report[-1])
    assert_private(log)
