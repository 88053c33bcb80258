"""Every workbook reflows on a phone-sized screen (WCAG 1.4.10, Reflow): at 320 CSS px wide, as at
1280, the page never scrolls sideways, every tab can be reached and shows its panel in the window,
no button, toggle button or tab label is cut short, and no chart is wider than the window.

320 CSS px is what a 1280 px laptop shows at 400% zoom (and a phone shows); 200% zoom is 640 px,
between the two. axe-core does not check any of this.

Each workbook is opened once in Voilà, made to show its hidden buttons (a priority card, the
demo group, the "Start over" question), then checked at 1280 px and again, on the same page, at
640 and 320 px, with every tab selected in turn. A failure lists every problem found, by label.
"""

from __future__ import annotations

import re

import drivers
import lab
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WIDTHS = (1280, 640, 320)  # CSS px: a laptop, at 200% zoom, and a phone (or 400% zoom)
HEIGHT = 800
TIMEOUT = drivers.TIMEOUT
TABS = ".widget-tab [role=tab]"

# Every problem a person would meet at the window's width, as text naming what is wrong.
# - the page, or a box in it, wider than it shows (sideways scrolling), or scrolled sideways;
# - a label cut short: a button's, a toggle button's, a tab's, a checkbox's or a control's text
#   wider (or taller) than its box, or hidden by a box around it that clips or scrolls (lumino's
#   tab bar does), or spilling out of its row over the next one;
# - a picture out of shape (its text squashed);
# - a control, tab, table or picture lying (partly) outside the window.
PROBLEMS_JS = """() => {
    const doc = document.documentElement;
    const width = doc.clientWidth;
    const problems = [];
    const shows = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    const name = e => (e.getAttribute('aria-label') || e.innerText || e.textContent || e.alt
                       || e.getAttribute('title') || e.tagName).trim().replace(/\\s+/g, ' ')
                       .slice(0, 70);
    const what = e => e === doc ? 'the page' : `a box (${e.tagName.toLowerCase()}`
        + (e.id ? `#${e.id}` : '') + [...e.classList].slice(0, 3).map(c => `.${c}`).join('') + ')';
    // The page, the boxes around the screens (Voilà's page scrolls in #rendered_cells), and the
    // boxes within them that clip or scroll: none wider than it shows, none scrolled sideways.
    // A data table may scroll within itself (WCAG 1.4.10 exempts two-dimensional content), and
    // text boxes scroll their own text; both must still fit the window (below).
    const boxes = new Set([doc]);
    for (const screen of document.querySelectorAll('.plkit')) {
        for (let a = screen.parentElement; a && a !== doc; a = a.parentElement) boxes.add(a);
        for (const e of screen.querySelectorAll('*')) boxes.add(e);
        boxes.add(screen);
    }
    for (const e of boxes) {
        if (e !== doc && (getComputedStyle(e).overflowX === 'visible' || !shows(e)
                          || ['INPUT', 'TEXTAREA', 'SELECT', 'TABLE'].includes(e.tagName)
                          || e.classList.contains('plkit-chart'))) continue;
        if (e.scrollWidth > e.clientWidth + 1) {
            problems.push(`${what(e)} scrolls sideways: ${e.scrollWidth} px wide in ${e.clientWidth}`);
        }
        if (e.scrollLeft !== 0) problems.push(`${what(e)} is scrolled ${e.scrollLeft} px sideways`);
    }
    const clipper = e => {
        for (let a = e.parentElement; a && a !== doc; a = a.parentElement) {
            if (getComputedStyle(a).overflowX === 'visible') continue;
            const [r, box] = [e.getBoundingClientRect(), a.getBoundingClientRect()];
            if (r.left < box.left - 1 || r.right > box.right + 1) return a;
        }
        return null;
    };
    const labels = '.plkit button, .plkit .widget-toggle-button, .plkit [role=tab], '
                 + '.plkit .lm-TabBar-tabLabel, .plkit a.plkit-button, .plkit .widget-label, '
                 + '.plkit .widget-label-basic';
    for (const e of document.querySelectorAll(labels)) {
        if (!shows(e) || getComputedStyle(e).display === 'inline') continue;
        if (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1) {
            problems.push(`label cut short: "${name(e)}" (its text needs ${e.scrollWidth} x `
                          + `${e.scrollHeight} px, its box is ${e.clientWidth} x ${e.clientHeight})`);
        } else if (clipper(e)) {
            problems.push(`label cut short: "${name(e)}" is partly hidden by the box around it`);
        }
    }
    // A wrapped label that spills out of its row would be drawn over the next one.
    for (const e of document.querySelectorAll('.plkit .widget-inline-hbox')) {
        if (!shows(e) || getComputedStyle(e).overflowY !== 'visible') continue;
        if (e.scrollHeight > e.clientHeight + 1) {
            problems.push(`text drawn over what follows: "${name(e)}" needs ${e.scrollHeight} px `
                          + `of height, its row has ${e.clientHeight}`);
        }
    }
    // A chart scaled down must keep its shape, or its text is squashed.
    for (const e of document.querySelectorAll('.plkit img')) {
        const r = e.getBoundingClientRect();
        if (!shows(e) || !e.naturalWidth || !r.height) continue;
        const [shown, drawn] = [r.width / r.height, e.naturalWidth / e.naturalHeight];
        if (Math.abs(shown / drawn - 1) > 0.02) {
            problems.push(`picture out of shape: "${name(e)}" is shown ${Math.round(r.width)} x `
                          + `${Math.round(r.height)} px, drawn ${e.naturalWidth} x ${e.naturalHeight}`);
        }
    }
    // A chart stays readable: shown at no less than 70% of the size it was drawn at (its own box
    // scrolls sideways on a narrow screen, as a wide table does).
    for (const e of document.querySelectorAll('.plkit img')) {
        const r = e.getBoundingClientRect();
        if (!shows(e) || !e.naturalWidth) continue;
        if (r.width < 0.7 * e.naturalWidth - 1) {
            problems.push(`chart too small to read: "${name(e)}" is shown ${Math.round(r.width)} px `
                          + `wide, drawn ${e.naturalWidth}`);
        }
    }
    const things = '.plkit img, .plkit button, .plkit [role=tab], .plkit input, .plkit textarea, '
                 + '.plkit select, .plkit a.plkit-button, .plkit table, .plkit .plkit-chart';
    for (const e of document.querySelectorAll(things)) {
        if (!shows(e) || (e.tagName === 'IMG' && e.closest('.plkit-chart'))) continue;
        const r = e.getBoundingClientRect();
        if (r.width === 0) continue;
        if (r.left < -1 || r.right > width + 1) {
            problems.push(`off the screen: ${e.tagName.toLowerCase()} "${name(e)}" spans `
                          + `${Math.round(r.left)} to ${Math.round(r.right)} px of ${width}`);
        }
    }
    return problems;
}"""

# The selected tab's panel, within the window?
PANEL_JS = """(tab) => {
    const bar = tab.closest('.widget-tab');
    const panel = (tab.getAttribute('aria-controls')
                   && document.getElementById(tab.getAttribute('aria-controls')))
        || [...bar.querySelectorAll(':scope > .widget-tab-contents > *')]
            .find(e => e.getClientRects().length > 0);
    if (!panel) return 'its panel does not show';
    const r = panel.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    return r.left < -1 || r.right > width + 1
        ? `its panel spans ${Math.round(r.left)} to ${Math.round(r.right)} px of ${width}` : '';
}"""

SETTLED_JS = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def settled(page) -> None:
    """Let the browser lay out and paint twice: lumino sizes its tab bars on the next frame."""
    page.evaluate(SETTLED_JS)


def problems_on(page, where: str) -> list[tuple[str, str]]:
    settled(page)
    return [(where, problem) for problem in page.evaluate(PROBLEMS_JS)]


def problems_in_each_tab(page, screen, width: int) -> list[tuple[str, str]]:
    """Select every tab in turn, as a person would; what is wrong with it and its panel."""
    found = problems_on(page, f"{width} px, as it shows")
    tabs = screen.locator(TABS)
    for index in range(tabs.count()):
        tab = tabs.nth(index)
        title = tab.inner_text().strip()
        tab.click()
        expect(tab).to_have_attribute("aria-selected", "true")
        where = f"{width} px, tab {title!r}"
        found += problems_on(page, where)
        panel = tab.evaluate(PANEL_JS)
        if panel:
            found.append((where, f"tab {title!r}: {panel}"))
    return found


# --- showing the buttons a workbook hides at first ---------------------------------------------

def ask_start_over(screen) -> None:
    """The save bar's "Start over" question, so its answers ("Yes, clear my answers") show.

    Start over waits for something to clear: a name typed in "About you" is saved work.
    """
    start_over = screen.locator(lab.SAVE_BAR).get_by_role("button", name=re.compile(r"Start over$"))
    if not start_over.is_enabled():
        screen.get_by_label("Your name (optional)", exact=True).fill("Ms. Rivera")
    expect(start_over).to_be_enabled(timeout=TIMEOUT)
    start_over.click()
    expect(screen.get_by_role("button", name=re.compile(r"Yes, clear my answers$"))).to_be_visible(
        timeout=TIMEOUT)


def add_a_priority(screen) -> None:
    """Workbook 4: a priority of one's own, so a priority card (and its buttons) shows."""
    plan = drivers.ActionPlan()
    screen.get_by_label("Or a priority of your own", exact=True).fill(plan.TITLE)
    screen.get_by_role("button", name="Add my own priority", exact=True).click()
    expect(plan.heading(screen)).to_be_visible(timeout=TIMEOUT)
    expect(screen.get_by_role("button", name="Remove this priority")).to_be_visible()
    expect(screen.get_by_role("img", name=re.compile("^Timeline"))).to_be_visible(timeout=TIMEOUT)


def load_demo_group(screen) -> None:
    """Workbook 5: the demo group, so all nine tabs and the heat map show."""
    screen.get_by_role("button", name="Use the demo group (synthetic)").click()
    expect(drivers.Dashboard.status(screen)).to_contain_text(
        re.compile(r"\d+ participants read"), timeout=TIMEOUT)
    drivers.select_tab(screen, "Every practice")
    expect(screen.get_by_role("img", name=re.compile("^Heat map"))).to_be_visible(timeout=TIMEOUT)


SHOW_HIDDEN = {
    "04_action_planning.ipynb": [add_a_priority, ask_start_over],
    "05_facilitator_dashboard.ipynb": [load_demo_group],
}


@pytest.mark.parametrize("notebook", lab.workbook_names())
def test_workbook_reflows(voila_page, voila_server, voila_work_dir, notebook):
    page = voila_page
    page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
    driver = drivers.driver_for(notebook)
    screen = lab.open_voila(page, voila_server, notebook, ready=driver.ready)
    driver.wait_ready(screen)
    default = [ask_start_over] if driver.saves_work else []
    for show in SHOW_HIDDEN.get(notebook, default):
        show(screen)
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        found += problems_in_each_tab(page, screen, width)
    assert not found, f"{notebook} does not reflow:\n{summary(found)}"


def summary(found: list[tuple[str, str]], most: int = 60) -> str:
    """Each problem once, with where it was seen first and how often (the first ``most``)."""
    seen: dict[str, list[str]] = {}
    for where, problem in found:
        seen.setdefault(problem, []).append(where)
    lines = [f"- {problem} (at {wheres[0]}" + (f", and {len(wheres) - 1} more)" if wheres[1:] else ")")
             for problem, wheres in seen.items()]
    left = f"\n… and {len(lines) - most} more problems" if len(lines) > most else ""
    return "\n".join(lines[:most]) + left
