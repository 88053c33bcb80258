"""A room on the workshop hub, in Chromium: three participants sign in, follow the nbgitpuller link
into Workbook 2's app view, rate, reload (their answers come back from their own home), and hand
in; the facilitator signs in, opens the dashboard and reads the three hand-ins.

Skips only when no Chromium is installed (or no hub can start: see conftest.py).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import hubtools
import lab
import pytest
from playwright.sync_api import expect, sync_playwright

from plkit import read_work
from plkit.handin_folder import folder_name
from plkit.work import WORK_FILE_NAME

pytestmark = pytest.mark.browser

PEOPLE = ["ana", "ben", "cleo"]
CHOICES = ["We do this now", "This is different", "Not sure yet"]  # one per person: their answer
SELF_ASSESSMENT = "02_self_assessment.ipynb"
DASHBOARD = "05_facilitator_dashboard.ipynb"
ARRIVE_TIMEOUT = 180_000  # ms: sign in, start a server, pull the kit, run every cell
TIMEOUT = 30_000


@pytest.fixture(scope="module")
def chromium():
    path = lab.find_chromium()
    if path is None:
        pytest.skip("no Chromium: install Debian's chromium (apt-get install chromium)")
    return path


def in_own_browser(chromium: str, walk, *args) -> None:
    """Run ``walk(browser, *args)`` in a thread with its own Playwright: the browser tests' session
    may hold another Playwright in this process, and one thread cannot drive two."""
    def run() -> None:
        with sync_playwright() as playwright:
            browser = lab.launch_chromium(playwright, chromium)
            try:
                walk(browser, *args)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(run).result()


def sign_in(browser, hub, name: str):
    """A person's own browser signs in to the hub (which starts their server); returns the page."""
    page = lab.new_page(browser, width=1280)
    page.goto(f"{hub.url}/hub/login")
    page.locator("#username_input").fill(name)
    password = hubtools.FACILITATOR_PASSWORD if name == hubtools.FACILITATOR else hubtools.PASSWORD
    page.locator("#password_input").fill(password)
    page.locator("#login_submit").click()
    page.wait_for_url(re.compile(r"/hub/spawn"))
    return page


def follow(page, link: str, ready: str):
    """Follow a launch link: the kit is pulled into their home, the workbook opens; returns its screen."""
    page.goto(link, timeout=ARRIVE_TIMEOUT)
    return lab.wait_screen(page, ARRIVE_TIMEOUT, ready)


def rate_first_practice(screen, label: str):
    groups = screen.locator(".widget-toggle-buttons:visible")
    button = groups.first.locator("button", has_text=label)
    button.click()
    expect(button).to_have_class(re.compile(r"\bmod-active\b"), timeout=TIMEOUT)
    return button


def test_a_room_works_hands_in_and_the_facilitator_reads_every_hand_in(hub, source_repo, chromium):
    for name in PEOPLE:
        hub.add_user(name)  # as a district's login would
    in_own_browser(chromium, walk_the_room, hub, source_repo)


def walk_the_room(browser, hub, source_repo) -> None:
    # The room signs in together (their servers start side by side), then each follows the link.
    pages = {name: sign_in(browser, hub, name) for name in [*PEOPLE, hubtools.FACILITATOR]}
    app_link = hub.link(str(source_repo), f"voila/render/plkit/workbooks/{SELF_ASSESSMENT}")
    for name, label in zip(PEOPLE, CHOICES, strict=True):
        page = pages[name]
        screen = follow(page, app_link, lab.PROGRESS)
        assert not lab.error_outputs(page) and not lab.visible_code(page)
        rate_first_practice(screen, label)
        saved = hub.home(name) / "plkit" / "workbooks" / "my_work" / WORK_FILE_NAME
        lab.wait_file_contains(saved, '"ratings": {')

        screen = lab.reload_voila(page)  # a new kernel: the answers come back from their home
        expect(screen.locator(".widget-toggle-buttons:visible").first.locator("button", has_text=label)
               ).to_have_class(re.compile(r"\bmod-active\b"), timeout=TIMEOUT)
        expect(screen.get_by_role("link", name="Download my work")).to_be_visible()
        screen.get_by_role("button", name="Hand in to my facilitator").click()
        expect(screen.locator(f"{lab.SAVE_BAR} [role=status]")).to_contain_text("Handed in at", timeout=TIMEOUT)
        page.context.close()

    handed_in = {name: read_work(hub.state / "handins" / folder_name(name) / "current.json") for name in PEOPLE}
    assert {name: len(work.self_assessment.ratings) for name, work in handed_in.items()} == dict.fromkeys(PEOPLE, 1)

    dashboard_link = hub.link(str(source_repo), f"voila/render/plkit/workbooks/{DASHBOARD}")
    page = pages[hubtools.FACILITATOR]
    screen = follow(page, dashboard_link, "[role=status]")
    read = screen.get_by_role("button", name=f"Read handed-in work ({len(PEOPLE)})")
    read.click()
    status = screen.get_by_role("status").first
    expect(status).to_contain_text(f"{len(PEOPLE)} participants read; files left out: 0", timeout=TIMEOUT)
    expect(screen).to_contain_text("Handed-in work read: 3 people, 3 new or changed since last read.")
    assert not lab.error_outputs(page)
    page.context.close()
