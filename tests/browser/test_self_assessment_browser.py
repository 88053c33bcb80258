"""Workbook 2 in a real browser: rate, write a note, restart the kernel, find everything again."""

from __future__ import annotations

import json

import drivers
import lab
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WORKBOOK = "02_self_assessment.ipynb"


def assert_no_errors(page) -> None:
    problems = [text for text in lab.error_outputs(page)
                if "Traceback" in text or "Error displaying widget" in text]
    assert not problems, "the notebook shows errors:\n" + "\n---\n".join(problems)


def test_ratings_and_notes_survive_a_kernel_restart(page, lab_server, work_dir):
    driver = drivers.SelfAssessment()
    assert driver.total == 29

    lab.open_notebook(page, lab_server, WORKBOOK)
    screen = lab.run_all(page)
    expect(driver.progress(screen)).to_have_text(driver.progress_text(0))
    first_tab = screen.locator(".widget-tab [role=tab]").first
    expect(first_tab).to_have_attribute("aria-selected", "true")
    driver.interact(screen)  # three ratings, the progress following each, and a note
    saved = json.loads(lab.wait_file_contains(work_dir / "plkit-work.json", driver.saved_marker))
    answers = saved["self_assessment"]
    assert answers["ratings"] == {driver.practices[i].id: driver.rating_id[label]
                                  for i, label in driver.CHOICES}
    assert list(answers["notes"].values()) == [driver.NOTE]
    assert_no_errors(page)

    screen = lab.restart_and_run_all(page)

    driver.assert_shown(screen)
    assert_no_errors(page)
