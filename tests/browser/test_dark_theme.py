"""Workbook 2 in JupyterLab's dark theme: the kit's text keeps a 4.5:1 contrast, the charts stay
readable (a PNG on a white card, never recoloured by the theme).

The screenshots are kept in test-artifacts/ (dark-theme.png: the Summary with its chart;
dark-theme-practices.png: a theme tab with ratings pressed and a note), for a person to look at.
"""

from __future__ import annotations

import contextlib
import re

import drivers
import lab
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DARK = "JupyterLab Dark"
MINIMUM = 4.5  # WCAG AA for normal-size text
WORKBOOK = "02_self_assessment.ipynb"
CHART = "img[alt^='Bar chart']:visible"

# The kit's key text on a theme tab, and on the Summary tab.
THEME_TAB_TEXT = {
    "practice": ".plkit-practice",
    "progress": ".plkit-progress",
    "approach heading": ".plkit-card h3",
    "text box label": ".plkit-stacked > .widget-label",
    "About you label": ".plkit .widget-inline-hbox > .widget-label",
    "save bar status": ".plkit-save-bar .widget-html-content span",
    "tab title": ".plkit .lm-TabBar-tabLabel",
    "rating button": ".plkit .widget-toggle-button",
    "Download my work": ".plkit a.plkit-button",
}
SUMMARY_TEXT = {
    "summary heading": ".plkit .widget-html-content h3",
    "summary item": ".plkit .widget-html-content li",
    "summary text": ".plkit .widget-html-content p",
}

# WCAG contrast of each visible element's text against its effective background: the element's
# and its ancestors' background colours composited (alpha included) over white, and the text
# colour composited over that.
CONTRAST_JS = """(selectors) => {
    const parse = c => {
        const m = c.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
        return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3]))
        .concat([1]);
    const background = element => {
        const layers = [];
        for (let e = element; e; e = e.parentElement) {
            const c = parse(getComputedStyle(e).backgroundColor);
            if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
        }
        return layers.reverse().reduce((under, c) => over(c, under), [255, 255, 255, 1]);
    };
    const luminance = c => {
        const [r, g, b] = c.slice(0, 3).map(x => {
            x /= 255;
            return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const hex = c => '#' + c.slice(0, 3).map(x => Math.round(x).toString(16).padStart(2, '0'))
        .join('');
    const results = [];
    for (const [name, selector] of Object.entries(selectors)) {
        for (const e of document.querySelectorAll(selector)) {
            if (!e.getClientRects().length || !e.textContent.trim()) continue;
            const bg = background(e);
            const fg = over(parse(getComputedStyle(e).color), bg);
            const [l1, l2] = [luminance(fg), luminance(bg)];
            results.push({name, text: e.textContent.trim().slice(0, 50), fg: hex(fg), bg: hex(bg),
                          ratio: (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05)});
        }
    }
    return results;
}"""

# The chart on show as the browser draws it: its PNG's own pixels (a white card) and no CSS
# filter. The chart is redrawn after each change, so it is looked up afresh on each poll.
CHART_JS = """(alt) => {
    const img = [...document.querySelectorAll('.plkit img')]
        .find(i => i.getClientRects().length && i.complete && i.alt.startsWith(alt));
    if (!img) return null;
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext('2d');
    context.drawImage(img, 0, 0);
    const style = getComputedStyle(img);
    return {corner: [...context.getImageData(2, 2, 1, 1).data], filter: style.filter,
            opacity: style.opacity, alt: img.alt};
}"""


# Every kind of text to check is on show (some element of each selector is visible, with text).
ALL_SHOWN_JS = """(selectors) => Object.values(selectors).every(selector =>
    [...document.querySelectorAll(selector)].some(e => e.getClientRects().length
                                                       && e.textContent.trim()))"""


def contrasts(page, selectors: dict[str, str]) -> list[dict]:
    """The contrast of every visible element of each selector, once each one shows some."""
    with contextlib.suppress(PlaywrightTimeoutError):  # the assertion below says what is missing
        page.wait_for_function(ALL_SHOWN_JS, arg=selectors, timeout=drivers.TIMEOUT)
    found = page.evaluate(CONTRAST_JS, selectors)
    names = {item["name"] for item in found}
    missing = set(selectors) - names
    assert not missing, f"nothing on show to check for: {', '.join(sorted(missing))}"
    return found


def assert_chart_on_white_card(page) -> None:
    shown = page.wait_for_function(CHART_JS, arg="Bar chart", timeout=drivers.TIMEOUT).json_value()
    assert shown["corner"] == [255, 255, 255, 255], f"the chart's card is not white: {shown}"
    assert shown["filter"] == "none" and shown["opacity"] == "1", f"the theme recolours it: {shown}"


def test_workbook_2_is_readable_in_the_dark_theme(page, lab_server, work_dir):
    driver = drivers.SelfAssessment()
    page.set_viewport_size({"width": 1400, "height": 1400})
    lab.ARTIFACTS.mkdir(exist_ok=True)
    with lab_server.theme(DARK):
        lab.open_notebook(page, lab_server, WORKBOOK)
        expect(page.locator("body")).to_have_attribute("data-jp-theme-name", DARK)
        screen = lab.run_all(page)
        driver.interact(screen)  # ratings pressed, a note written, the theme's chart drawn
        # the chart is drawn anew after each rating: wait for the one with the last rating
        expect(screen.locator(CHART)).to_have_attribute(
            "alt", re.compile(driver.CHOICES[-1][1]), timeout=drivers.TIMEOUT)
        assert_chart_on_white_card(page)
        found = contrasts(page, THEME_TAB_TEXT)
        screen.locator(".plkit-card h3").first.scroll_into_view_if_needed()
        page.screenshot(path=str(lab.ARTIFACTS / "dark-theme-practices.png"))

        # The kernel draws the Summary when its tab is chosen: the chart first, then the text (a
        # second widget update, milliseconds later). Wait for both: the chart alone is not enough.
        drivers.select_tab(screen, "Summary")
        expect(screen.locator(CHART)).to_have_count(1, timeout=drivers.TIMEOUT)
        expect(screen.locator(".widget-html-content li").filter(visible=True)).to_have_count(
            len(driver.CHOICES), timeout=drivers.TIMEOUT)  # one item per rated practice
        assert_chart_on_white_card(page)
        found += contrasts(page, SUMMARY_TEXT)
        screen.locator(".widget-tab").first.scroll_into_view_if_needed()
        page.screenshot(path=str(lab.ARTIFACTS / "dark-theme.png"))

    low = [item for item in found if item["ratio"] < MINIMUM]
    assert not low, f"text below {MINIMUM}:1 in {DARK}:\n" + "\n".join(
        f"- {item['name']} {item['text']!r}: {item['ratio']:.2f}:1 ({item['fg']} on {item['bg']})"
        for item in low)
