"""Workbook 2 completed with the keyboard alone, in Voilà: Tab, Shift+Tab, Space, Enter, arrows.

Only ``page.keyboard`` drives the page; locators and JavaScript only read it (what has the focus,
what is pressed, what the progress says).
"""

from __future__ import annotations

import json
import re

import lab
import pytest
from playwright.sync_api import expect

from plkit import load_framework, read_work

pytestmark = pytest.mark.browser

WORKBOOK = "02_self_assessment.ipynb"
TIMEOUT = 15_000  # ms, for each change the kernel has to answer
MAX_PRESSES = 200  # Tab presses to reach any control: far more than the screen has

# Where the focus is, described for the test: the kind of control and enough to tell it apart.
FOCUS_JS = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) {
        return {kind: 'none', text: '', label: '', group: -1, button: -1};
    }
    const label = e.id ? document.querySelector(`label[for="${e.id}"]`) : null;
    const groups = [...document.querySelectorAll('.plkit .widget-toggle-buttons')]
        .filter(g => g.getClientRects().length > 0);
    const group = e.closest('.widget-toggle-buttons');
    return {
        kind: e.getAttribute('role') === 'tab' ? 'tab'
            : group ? 'rating' : e.tagName.toLowerCase(),
        text: (e.textContent || '').trim(),
        label: label ? label.textContent.trim() : '',
        group: group ? groups.indexOf(group) : -1,
        button: group ? [...group.querySelectorAll('button')].indexOf(e) : -1,
        selected: e.getAttribute('aria-selected'),
        outline: getComputedStyle(e).outlineStyle,
    };
}"""


def focus(page) -> dict:
    return page.evaluate(FOCUS_JS)


def press_until(page, wanted, key: str = "Tab", what: str = "") -> dict:
    """Press ``key`` until the focused control matches ``wanted`` (a test on ``focus()``)."""
    seen = []
    for _ in range(MAX_PRESSES):
        page.keyboard.press(key)
        now = focus(page)
        if wanted(now):
            return now
        seen.append(f"{now['kind']}:{now['label'] or now['text'][:30]}")
    raise AssertionError(f"{what or 'the control'} cannot be reached with {key}; the focus went "
                         f"through: {', '.join(seen[:60])}")


def test_self_assessment_with_the_keyboard_only(voila_page, voila_server, voila_work_dir):
    page = voila_page
    framework = load_framework()
    scale = [option.label for option in framework.scale]
    total = len(framework.practices)
    screen = lab.open_voila(page, voila_server, WORKBOOK)
    progress = screen.locator(lab.PROGRESS)
    expect(progress).to_have_text(f"0 of {total} practices rated")

    # About you: two text fields and the role list (a closed <select> changes with the arrows).
    press_until(page, lambda f: f["label"] == "Your name (optional)", what="Your name")
    page.keyboard.type("Ada Keys")
    press_until(page, lambda f: f["kind"] == "select", what="Your role")
    page.keyboard.press("ArrowDown")
    expect(screen.get_by_label("Your role")).to_have_value("Teacher")
    press_until(page, lambda f: f["label"] == "School or team (optional)", what="School or team")
    page.keyboard.type("Grade 7 <team> & co")
    # Every save redraws the download link: wait for the last one before focusing the link.
    lab.wait_download_link_holds(page, "Grade 7 <team> & co", TIMEOUT)

    # The save bar: every control is reached; Download my work works from the keyboard.
    press_until(page, lambda f: f["kind"] == "a" and f["text"] == "Download my work",
                what="Download my work")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.startswith("plkit-work-ada-keys-")
    press_until(page, lambda f: f["kind"] == "button" and f["text"].startswith("Load my work"),
                what="Load my work")
    press_until(page, lambda f: f["kind"] == "button" and f["text"] == "Start over",
                what="Start over")

    # Every practice of every theme: Tab to the button, Space or Enter; the tab bar with the arrows.
    tab_titles = [theme.title for theme in framework.themes] + ["Summary"]
    expected: dict[str, str] = {}
    rated = 0
    for number, theme in enumerate(framework.themes):
        tab = press_until(page, lambda f: f["kind"] == "tab", key="Shift+Tab" if number else "Tab",
                          what="the tab bar")
        assert tab["selected"] == "true" and tab["text"] == tab_titles[max(number - 1, 0)]
        if number:
            page.keyboard.press("ArrowRight")
            assert focus(page)["text"] == theme.title
            page.keyboard.press("Enter")
            expect(screen.get_by_role("tab", name=theme.title)).to_have_attribute(
                "aria-selected", "true")
        for index, practice in enumerate(theme.practices):
            choice = (rated + index) % len(scale)
            now = press_until(page, lambda f, at=(index, choice): (f["group"], f["button"]) == at,
                              what=f"{scale[choice]!r} for {practice.text!r}")
            if rated == 0:  # the focus shows where it is
                assert now["outline"] not in ("none", ""), "a focused rating button has no outline"
            page.keyboard.press("Space" if index % 2 else "Enter")
            expected[practice.id] = framework.scale[choice].id
            expect(progress).to_have_text(f"{rated + index + 1} of {total} practices rated",
                                          timeout=TIMEOUT)
        rated += len(theme.practices)
        expect(screen.locator(".widget-toggle-buttons:visible button.mod-active")).to_have_count(
            len(theme.practices))

    # The Summary tab, and a note written in its reflection box.
    press_until(page, lambda f: f["kind"] == "tab", key="Shift+Tab", what="the tab bar")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    expect(screen.get_by_role("tab", name="Summary")).to_have_attribute("aria-selected", "true")
    expect(progress).to_have_text(f"{total} of {total} practices rated")
    expect(screen.get_by_text(re.compile(r"^Strengths: what we do now \(\d+\)$"))).to_be_visible(
        timeout=TIMEOUT)
    press_until(page, lambda f: f["kind"] == "textarea", what="a reflection box on the Summary")
    page.keyboard.type("Done with the keyboard.")

    work_file = voila_server.work_file
    lab.wait_file_contains(work_file, "Done with the keyboard.")
    work = read_work(work_file, framework)
    assert work.self_assessment.ratings == expected
    assert (work.participant.name, work.participant.role, work.participant.team) == (
        "Ada Keys", "teacher", "Grade 7 <team> & co")
    assert json.loads(work_file.read_text(encoding="utf-8"))["self_assessment"]["reflections"]
