"""Workbook 2 in a real browser: rate, write a note, restart the kernel, find everything again."""

from __future__ import annotations

import json
import re

import lab
import pytest
from playwright.sync_api import expect

from plkit import load_framework

pytestmark = pytest.mark.browser

WORKBOOK = "02_self_assessment.ipynb"
NOTE = "Our standards map is in the 2024 curriculum guide; ask Ms. Rivera <team lead> & co."
# (index of the practice on the first theme tab, the button to press)
CHOICES = [(0, "We do this now"), (1, "This is different"), (3, "Not sure yet")]
ACTIVE = re.compile(r"\bmod-active\b")
TIMEOUT = 15_000  # ms, for each change the kernel has to answer


def rating_groups(screen):
    """The ToggleButtons of the theme tab on show (the other tabs are hidden)."""
    return screen.locator(".widget-toggle-buttons:visible")


def assert_pressed(screen, choices) -> None:
    groups = rating_groups(screen)
    for index, label in choices:
        group = groups.nth(index)
        expect(group.locator("button", has_text=label)).to_have_class(ACTIVE, timeout=TIMEOUT)
        expect(group.locator("button.mod-active")).to_have_count(1)


def assert_no_errors(page) -> None:
    problems = [text for text in lab.error_outputs(page)
                if "Traceback" in text or "Error displaying widget" in text]
    assert not problems, "the notebook shows errors:\n" + "\n---\n".join(problems)


def test_ratings_and_notes_survive_a_kernel_restart(page, lab_server, work_dir):
    framework = load_framework()
    total = len(framework.practices)
    practices = framework.themes[0].practices
    rating_id = {option.label: option.id for option in framework.scale}

    lab.open_notebook(page, lab_server, WORKBOOK)
    screen = lab.run_all(page)
    progress = screen.locator(".plkit-progress")
    expect(progress).to_have_text(f"0 of {total} practices rated")
    assert total == 29
    expect(screen.locator(".widget-tab [role=tab]").first).to_have_attribute("aria-selected", "true")
    groups = rating_groups(screen)
    expect(groups).to_have_count(len(practices))

    for done, (index, label) in enumerate(CHOICES, start=1):
        button = groups.nth(index).locator("button", has_text=label)
        button.click()
        expect(button).to_have_class(ACTIVE, timeout=TIMEOUT)
        expect(progress).to_have_text(f"{done} of {total} practices rated", timeout=TIMEOUT)

    notes = screen.get_by_label("Notes on approach 1", exact=True).filter(visible=True)
    expect(notes).to_have_count(1)
    notes.fill(NOTE)
    saved = json.loads(lab.wait_file_contains(work_dir / "plkit-work.json", json.dumps(NOTE)[1:-1]))
    answers = saved["self_assessment"]
    assert answers["ratings"] == {practices[i].id: rating_id[label] for i, label in CHOICES}
    assert list(answers["notes"].values()) == [NOTE]
    assert_no_errors(page)

    screen = lab.restart_and_run_all(page)

    progress = screen.locator(".plkit-progress")
    expect(progress).to_have_text(f"{len(CHOICES)} of {total} practices rated", timeout=TIMEOUT)
    assert_pressed(screen, CHOICES)
    expect(rating_groups(screen).locator("button.mod-active")).to_have_count(len(CHOICES))
    notes = screen.get_by_label("Notes on approach 1", exact=True).filter(visible=True)
    expect(notes).to_have_value(NOTE)
    assert_no_errors(page)
