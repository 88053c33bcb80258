"""Coming back, in Voilà, as a returning teacher does: rate, keep a round, change three ratings and
see them in *Since last time*; mark two plan steps done and reload; load an older file, see the
warning, and *Undo* it so the newer work comes back byte for byte.
"""

from __future__ import annotations

import json
import re

import drivers
import lab
import pytest
from playwright.sync_api import expect
from test_accessibility import assert_accessible

from plkit import load_framework, read_work
from plkit.model import Priority, Step
from plkit.work import work_bytes, write_work

pytestmark = pytest.mark.browser

TIMEOUT = drivers.TIMEOUT
SELF, PLAN = "02_self_assessment.ipynb", "04_action_planning.ipynb"
ROUND = "Fall <2026> & co"
# The three changes after keeping the round: (index on the first theme tab, from, to)
CHANGES = [(0, "We do this now", "This is different"), (1, "This is different", "We do this now"),
           (3, "Not sure yet", "We do this now")]


def rate(screen, groups, index: int, label: str) -> None:
    button = groups.nth(index).locator("button", has_text=label)
    button.click()
    expect(button).to_have_class(drivers.ACTIVE, timeout=TIMEOUT)


def message(screen):
    return screen.locator(f"{lab.SAVE_BAR} [role=status]")


def test_a_returning_teacher_sees_what_moved_and_never_loses_newer_work(voila_page, voila_server, voila_work_dir,
                                                                          tmp_path):
    page, framework = voila_page, load_framework()
    driver = drivers.SelfAssessment()
    first = framework.themes[0]

    # Rate (the driver's three practices and a note), then keep the answers as a round.
    screen = lab.open_voila(page, voila_server, SELF)
    driver.interact(screen)
    lab.wait_file_contains(voila_server.work_file, driver.saved_marker)
    drivers.select_tab(screen, "Rounds")
    screen.get_by_label("Name of this round", exact=True).fill(ROUND)
    screen.get_by_role("button", name="Keep this as a round").click()
    expect(screen.get_by_role("status").filter(has_text="Kept")).to_be_visible(timeout=TIMEOUT)
    kept = read_work(voila_server.work_file, framework).self_assessment.rounds
    assert [r.name for r in kept] == [ROUND] and len(kept[0].ratings) == 3

    # Change three ratings: only what changed needs a click.
    drivers.select_tab(screen, first.title)
    groups = driver.rating_groups(screen)
    for index, _, to in CHANGES:
        rate(screen, groups, index, to)
    expect(driver.progress(screen)).to_have_text(driver.progress_text(3), timeout=TIMEOUT)

    # Since last time: exactly the three moves, listed and charted.
    drivers.select_tab(screen, "Since last time")
    panel = screen.locator(".widget-html:visible", has_text="moved")
    for index, before, after in CHANGES:
        expect(panel.first).to_contain_text(first.practices[index].text, timeout=TIMEOUT)
        expect(panel.first).to_contain_text(f"{before} → {after}")
    expect(screen.get_by_role("img", name=re.compile(r"then and now|Then and now|Fall", re.I)).first).to_be_visible(
        timeout=TIMEOUT)
    assert_accessible(page, "Workbook 2, Since last time")

    # Workbook 4: a priority with three steps; mark two done; reload: all back.
    work = read_work(voila_server.work_file, framework)
    work.action_plan.priorities = [Priority(title="Student-led conferences", goal="Students lead their own",
                                            steps=[Step("Draft the script"), Step("Pilot in grade 7"),
                                                   Step("Share at staff meeting")])]
    write_work(work, voila_server.work_file)
    screen = lab.open_voila(page, voila_server, PLAN)
    statuses = screen.get_by_role("combobox", name=re.compile(r"^Status"))
    expect(statuses).to_have_count(3, timeout=TIMEOUT)
    expect(screen.get_by_role("combobox", name="Status of step 2", exact=True)).to_have_count(1)  # each its own name
    for index in (0, 1):
        statuses.nth(index).select_option(label="Done")
    expect(screen.get_by_text("2 of 3 steps done").first).to_be_visible(timeout=TIMEOUT)
    lab.wait_file_contains(voila_server.work_file, '"status": "done"')
    screen = lab.reload_voila(page)
    statuses = screen.get_by_role("combobox", name=re.compile(r"^Status"))
    expect(statuses).to_have_count(3, timeout=TIMEOUT)
    expect(screen.get_by_text("2 of 3 steps done").first).to_be_visible(timeout=TIMEOUT)
    saved = read_work(voila_server.work_file, framework).action_plan.priorities[0].steps
    assert [s.status for s in saved] == ["done", "done", "not-started"]
    assert_accessible(page, "Workbook 4, a priority with steps, a check-in and a review date")

    # Load an older file: the warning shows before anything is replaced; Undo restores exactly.
    newer = voila_server.work_file.read_bytes()
    older = read_work(newer, framework)
    older.saved_at = "2026-03-12T10:05:00+00:00"
    older.self_assessment.ratings = {}
    older.action_plan.priorities = []
    with page.expect_file_chooser() as chooser:
        screen.get_by_role("button", name=re.compile("Load my work")).click()
    chooser.value.set_files(files=[{"name": "last-term.json", "mimeType": "application/json",
                                    "buffer": work_bytes(older)}])
    expect(message(screen)).to_contain_text("before the work on screen", timeout=TIMEOUT)
    expect(message(screen)).to_contain_text("Loading it replaces newer answers.")
    assert voila_server.work_file.read_bytes() == newer  # nothing replaced yet
    screen.get_by_role("button", name="Use this file", exact=True).click()
    expect(message(screen)).to_contain_text("Loaded.", timeout=TIMEOUT)
    assert read_work(voila_server.work_file, framework).action_plan.priorities == []
    screen.get_by_role("button", name=re.compile("Undo: bring back the work I had")).click()
    expect(statuses.first).to_be_visible(timeout=TIMEOUT)
    lab.wait_file_contains(voila_server.work_file, json.dumps("Student-led conferences")[1:-1])
    assert voila_server.work_file.read_bytes() == newer
