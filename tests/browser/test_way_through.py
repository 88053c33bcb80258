"""The way through the kit as a participant meets it (issue 13): the app view's address opens
Start here; each card's link and each workbook's *Next* link lead on, with the workbook's title on
the browser tab, a loading message until its controls show and no JupyterLab-only hint; *Home*
leads back to Start here, which shows the progress made. On a phone-sized screen (320 px).

In JupyterLab: Start here's links open workbooks in JupyterLab's own tabs; after Run All the first
control is in view; a workbook closes without asking "Save your work?", and its file is unchanged.
"""

from __future__ import annotations

import re

import drivers
import lab
from playwright.sync_api import expect

from plkit.home import WORKBOOKS

TIMEOUT = lab.KERNEL_TIMEOUT
HOME_TITLE = "Start here: personalized learning workbooks"

# Noted from the first moment the page shows anything: was "Loading the workbook…" ever on screen
# while the workbook's controls were not? (No waiting on time: the page records what it saw.)
WATCH_LOADING = """
window.__plkitSawLoading = false;
new MutationObserver(() => {
    const message = document.getElementById('plkit-loading');
    if (message && message.offsetParent !== null && !document.querySelector('.plkit')) {
        window.__plkitSawLoading = true;
    }
}).observe(document, {childList: true, subtree: true, attributes: true});
"""


def nav_link(page, text: str):
    """A link in the workbook's own navigation (the cells tagged plkit-nav)."""
    return page.locator(".celltag_plkit-nav a", has_text=text).last


def expect_workbook(page, item) -> None:
    """The workbook ``item`` is open: its title on the tab, its controls drawn, no stray hints."""
    expect(page).to_have_title(item.heading, timeout=TIMEOUT)
    driver = drivers.driver_for(item.notebook)
    driver.wait_ready(lab.wait_screen(page, TIMEOUT, driver.ready))
    expect(page.locator("#plkit-loading")).to_be_hidden()
    assert page.evaluate("window.__plkitSawLoading"), f"{item.notebook}: no loading message was shown"
    expect(page.get_by_text("In JupyterLab and seeing only text?")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_from_start_here_through_every_workbook_and_home_again(voila_page, voila_server, voila_work_dir):
    page = voila_page
    page.set_viewport_size({"width": 320, "height": 800})
    page.add_init_script(WATCH_LOADING)

    # The app view's own address (Voilà's folder list) opens Start here.
    page.goto(voila_server.url(""), timeout=TIMEOUT)
    expect(page).to_have_title(HOME_TITLE, timeout=TIMEOUT)
    home = page.locator(".plkit-home")
    expect(home).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Select items to open")).to_have_count(0)
    expect(home.locator(".plkit-home-progress", has_text="Not started yet")).to_have_count(4)

    # A card's link opens Workbook 1 in this tab; then Next, Next, ... to the facilitators' workbook.
    home.get_by_role("link", name=WORKBOOKS[0].heading).click()
    for index, item in enumerate(WORKBOOKS):
        expect_workbook(page, item)
        if item.number == 2:  # rate one practice on the way, as a participant would
            screen = page.locator(lab.SCREEN)
            screen.get_by_role("button", name=re.compile("We do this now")).first.click()
            expect(screen.locator(lab.PROGRESS)).to_contain_text("1 of 29 practices rated")
            lab.wait_file_contains(voila_server.work_file, '"ratings"')
        if index + 1 < len(WORKBOOKS):
            nav_link(page, WORKBOOKS[index + 1].heading).click()

    # The last workbook leads home, where the rating shows as progress.
    nav_link(page, "Start here: every workbook and your progress").click()
    expect(page).to_have_title(HOME_TITLE, timeout=TIMEOUT)
    card = page.locator(".plkit-home-card", has_text=WORKBOOKS[1].heading)
    expect(card.locator(".plkit-home-progress")).to_have_text(
        "✓ Your progress: 1 of 29 practices rated", timeout=TIMEOUT)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_jupyterlab_start_here_opens_a_workbook_that_closes_without_asking(page, lab_server, work_dir):
    shipped = (lab_server.root / WORKBOOKS[1].notebook).read_bytes()
    lab.open_notebook(page, lab_server, "00_start_here.ipynb")
    home = lab.run_all(page, ready=".plkit-home-card")
    expect(page.get_by_text(re.compile("Jupyter news", re.I))).to_have_count(0)  # no news pop-up
    home.get_by_role("link", name=WORKBOOKS[1].heading).click()

    # It opens in a JupyterLab tab of its own (no page reload); Run All shows the first control.
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="02_self_assessment")
    expect(tab).to_have_count(1, timeout=TIMEOUT)
    expect(tab).to_have_class(re.compile(r"\blm-mod-current\b"))
    page.wait_for_function(f"() => document.querySelector('.jp-Dialog') || ({lab.KERNEL_READY_JS})()",
                           timeout=TIMEOUT, polling=100)
    if lab.accept_kernel_dialog(page):
        lab.wait_kernel_idle(page)
    screen = lab.run_all(page)
    first_control = screen.locator("input, select, button, textarea").first
    expect(first_control).to_be_in_viewport()

    # A change is saved in the work file; the workbook is saved as shipped, so closing asks nothing.
    screen.get_by_role("button", name=re.compile("We do this now")).first.click()
    lab.wait_file_contains(work_dir / "plkit-work.json", '"ratings"')
    expect(tab).not_to_have_class(re.compile(r"\bjp-mod-dirty\b"), timeout=lab.UI_TIMEOUT)
    tab.locator(".lm-TabBar-tabCloseIcon").click()
    expect(tab).to_have_count(0, timeout=lab.UI_TIMEOUT)
    expect(page.locator(".jp-Dialog")).to_have_count(0)
    assert (lab_server.root / WORKBOOKS[1].notebook).read_bytes() == shipped
