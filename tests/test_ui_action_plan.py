"""Headless tests of workbook 4's screen: choose, plan, check, export; nothing lost."""

import base64
import re
from datetime import date

import pytest

from plkit import read_work
from plkit.ui import action_plan, self_assessment


@pytest.fixture
def rated_dir(tmp_path):
    screen = self_assessment(work_dir=tmp_path)
    screen.pages[1].ratings["how.guidance.plans"].value = "different"
    screen.pages[0].ratings["what.goals.profiles"].value = "not-sure"
    screen.pages[3].ratings["assessed.authentic.timing"].value = "different"
    return tmp_path


def plan(screen):
    return read_work(screen.store.path).action_plan


def test_empty_self_assessment_points_to_workbook_2(tmp_path):
    screen = action_plan(work_dir=tmp_path)
    assert "nothing to suggest" in screen.suggestions.value
    assert 'href="02_self_assessment.ipynb"' in screen.suggestions.value
    assert screen.choice.options == ()
    screen.add_chosen.click()
    assert "rate some practices in Workbook 2 first" in screen.add_message.value
    assert "No priorities chosen yet" in screen.progress_text.value


def test_suggestions_follow_the_ratings(rated_dir):
    screen = action_plan(work_dir=rated_dir)
    assert [value for _, value in screen.choice.options] == [
        "how.guidance.plans", "assessed.authentic.timing", "what.goals.profiles"]
    assert screen.suggestions.value.index("This is different") < screen.suggestions.value.index("Not sure yet")


def test_add_plan_and_save_every_field(rated_dir):
    screen = action_plan(work_dir=rated_dir)
    screen.add_chosen.click()
    assert [value for _, value in screen.choice.options] == ["assessed.authentic.timing", "what.goals.profiles"]
    card = screen.cards[0]
    card.goal.value = "Every student sets a goal <b>"
    card.add_step.click()
    card.step_rows[0].text.value = "Pilot"
    card.add_step.click()
    card.step_rows[1].text.value = "Share"
    card.people.value = "Grade 7 team"
    card.start.value = date(2026, 9, 1)
    card.end.value = date(2027, 1, 31)
    card.evidence.value = "Goal sheets"
    card.support.value = "PD time"
    next(iter(card.resources.values())).value = True
    saved = plan(screen).priorities[0]
    assert saved.practice == "how.guidance.plans" and saved.title.startswith("Students write personal")
    assert (saved.goal, saved.start, saved.end) == ("Every student sets a goal <b>", "2026-09-01", "2027-01-31")
    assert saved.resources == ["how.aurora"]
    assert [(step.text, step.status, step.due) for step in saved.steps] == [
        ("Pilot", "not-started", ""), ("Share", "not-started", "")]
    assert "1 of 3 priorities chosen; 7 of 7 plan details filled in; 0 of 2 steps done" in screen.progress_text.value
    assert "Your plan is complete" in screen.check.value
    assert "<b>" not in screen.cards[0].heading.value
    assert 'alt="Timeline.' in screen.chart.value


def test_end_before_start_is_refused_with_a_message(rated_dir):
    screen = action_plan(work_dir=rated_dir)
    screen.add_chosen.click()
    card = screen.cards[0]
    card.start.value = date(2026, 9, 1)
    card.end.value = date(2026, 8, 1)
    assert "end date is before the start date" in card.problem.value
    assert plan(screen).priorities[0].end == ""
    card.end.value = date(2026, 12, 1)
    assert card.problem.value == "" and plan(screen).priorities[0].end == "2026-12-01"


def test_at_most_three_priorities_and_no_empty_title(rated_dir):
    screen = action_plan(work_dir=rated_dir)
    screen.add_own.click()
    assert "Write your priority in a few words first" in screen.add_message.value
    for title in ("Parent nights", "Flexible Fridays", "Portfolios"):
        screen.own_title.value = title
        screen.add_own.click()
    screen.own_title.value = "One too many"
    screen.add_own.click()
    assert "already have 3 priorities" in screen.add_message.value
    screen.add_chosen.click()
    assert [p.title for p in plan(screen).priorities] == ["Parent nights", "Flexible Fridays", "Portfolios"]
    assert "write the goal" in screen.check.value


def test_remove_asks_first(rated_dir):
    screen = action_plan(work_dir=rated_dir)
    screen.own_title.value = "Parent nights"
    screen.add_own.click()
    screen.cards[0].remove.click()
    assert "Click again to confirm" in screen.cards[0].problem.value
    assert len(plan(screen).priorities) == 1
    screen.cards[0].remove.click()
    assert plan(screen).priorities == []
    assert "No priorities yet" in screen.cards_box.children[0].value


def test_prepare_gives_html_and_markdown_downloads(rated_dir):
    screen = action_plan(work_dir=rated_dir)
    screen.prepare.click()
    assert "Add a priority first" in screen.downloads.value
    screen.own_title.value = "<script>alert(1)</script>"
    screen.add_own.click()
    screen.prepare.click()
    links = dict(re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', screen.downloads.value))
    page = base64.b64decode(links["my-action-plan.html"]).decode()
    text = base64.b64decode(links["my-action-plan.md"]).decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "## Priority 1: &lt;script&gt;" in text


def test_plan_survives_a_new_screen(rated_dir):
    first = action_plan(work_dir=rated_dir)
    first.add_chosen.click()
    first.cards[0].goal.value = "Goals for all"
    first.cards[0].start.value = date(2026, 9, 1)
    second = action_plan(work_dir=rated_dir)
    assert second.cards[0].goal.value == "Goals for all"
    assert second.cards[0].start.value == date(2026, 9, 1)
    assert "1 of 3 priorities chosen; 2 of 7" in second.progress_text.value


def test_a_title_from_a_practice_of_long_words_fits_its_box():
    from plkit.ui.action_plan import short_title

    title = short_title("Word" * 100 + " more words here.")
    assert len(title) == 200 and title.endswith("…")
    assert short_title("Teachers plan together.") == "Teachers plan together"


# --- steps, check-ins and the next review (issue 12) -------------------------------------------

@pytest.fixture
def planning(tmp_path):
    screen = action_plan(work_dir=tmp_path)
    screen.own_title.value = "Parent nights"
    screen.add_own.click()
    return screen


def steps(screen):
    return [(s.text, s.status, s.due) for s in plan(screen).priorities[0].steps]


def test_steps_are_added_marked_and_dated(planning):
    card = planning.cards[0]
    assert card.step_rows == [] and "No steps written yet" in card.step_progress.value
    for words in ("Invite families", "Host the night", "Ask for feedback"):
        card.add_step.click()
        card.step_rows[-1].text.value = words
    assert "Step 3 added" in card.steps_message.value
    assert [row.text.description for row in card.step_rows] == ["Step 1", "Step 2", "Step 3"]
    assert [label for label, _ in card.step_rows[0].status.options] == ["Not started", "Under way", "Done"]
    card.step_rows[0].status.value = "done"
    card.step_rows[1].status.value = "under-way"
    card.step_rows[1].due.value = date(2026, 10, 1)
    assert steps(planning) == [("Invite families", "done", ""), ("Host the night", "under-way", "2026-10-01"),
                               ("Ask for feedback", "not-started", "")]
    assert "1 of 3 steps done" in card.step_progress.value
    assert planning.progress_text.value.endswith("1 of 3 steps done</strong>")
    assert "step 2, Host the night: due 01 October 2026, under way" in planning.chart.value
    again = action_plan(work_dir=planning.store.folder)  # coming back: all of it there
    rows = again.cards[0].step_rows
    assert [(r.text.value, r.status.value, r.due.value) for r in rows] == [
        ("Invite families", "done", None), ("Host the night", "under-way", date(2026, 10, 1)),
        ("Ask for feedback", "not-started", None)]


def test_a_due_date_outside_the_years_a_plan_holds_is_refused(planning):
    card = planning.cards[0]
    card.add_step.click()
    card.step_rows[0].text.value = "Invite"
    card.step_rows[0].due.value = date(2026, 9, 1)
    card.step_rows[0].due.value = date(1999, 12, 31)
    assert "Choose a due date for step 1 between 2000 and 2100." in card.step_rows[0].problem.value
    assert steps(planning) == [("Invite", "not-started", "2026-09-01")]  # the last good date kept
    card.step_rows[0].due.value = date(2100, 12, 31)
    assert card.step_rows[0].problem.value == "" and steps(planning)[0][2] == "2100-12-31"


def test_removing_a_step_asks_first(planning):
    card = planning.cards[0]
    for words in ("Invite", "Host"):
        card.add_step.click()
        card.step_rows[-1].text.value = words
    card.step_rows[0].remove.click()
    assert "Remove step 1 (Invite)? Click again to confirm." in card.step_rows[0].problem.value
    assert card.step_rows[0].remove.description == "Yes, remove step 1"
    assert len(steps(planning)) == 2
    card.step_rows[0].remove.click()
    assert steps(planning) == [("Host", "not-started", "")]
    assert [r.text.value for r in card.step_rows] == ["Host"] and "Step 1 removed" in card.steps_message.value
    assert card.step_rows[0].remove.description == "Remove step"  # the next one asks again


def test_no_more_steps_than_a_priority_holds(planning):
    from plkit.model import MAX_STEPS

    card = planning.cards[0]
    for _ in range(MAX_STEPS):
        card.add_step.click()
    card.add_step.click()
    assert f"A priority holds at most {MAX_STEPS} steps" in card.steps_message.value
    assert len(plan(planning).priorities[0].steps) == MAX_STEPS == len(card.step_rows)


def test_a_check_in_is_dated_today_and_saved(planning):
    card = planning.cards[0]
    card.add_check_in.click()
    row = card.check_in_rows[0]
    assert row.on.value == date.today() and "Check-in 1 added, dated today" in card.check_ins_message.value
    assert (row.happened.description, row.evidence_seen.description) == (
        "What happened?", "What evidence did you see?")
    row.happened.value = "Twelve families came <b>"
    row.evidence_seen.value = "Sign-in sheet"
    row.on.value = date(2026, 10, 2)
    row.on.value = date(2101, 1, 1)
    assert "Choose a date for check-in 1 between 2000 and 2100." in row.problem.value
    saved = plan(planning).priorities[0].check_ins
    assert [(c.on, c.happened, c.evidence_seen) for c in saved] == [
        ("2026-10-02", "Twelve families came <b>", "Sign-in sheet")]
    row.remove.click()
    assert "Click again to confirm" in row.problem.value and len(plan(planning).priorities[0].check_ins) == 1
    row.remove.click()
    assert plan(planning).priorities[0].check_ins == [] and card.check_in_rows == []


def test_the_next_review_date_is_saved_or_refused(planning):
    card = planning.cards[0]
    card.review.value = date(2027, 2, 1)
    assert plan(planning).priorities[0].review == "2027-02-01"
    card.review.value = date(1990, 1, 1)
    assert "Choose a review date between 2000 and 2100." in card.review_problem.value
    assert plan(planning).priorities[0].review == "2027-02-01"
    card.review.value = None
    assert plan(planning).priorities[0].review == "" and card.review_problem.value == ""


def test_a_step_with_hostile_words_stays_text(planning):
    card = planning.cards[0]
    card.add_step.click()
    card.step_rows[0].text.value = "<img src=x onerror=alert(1)>"
    card.step_rows[0].remove.click()
    assert "<img" not in card.step_rows[0].problem.value and "&lt;img" in card.step_rows[0].problem.value
    assert "<img src=x" not in planning.chart.value and "&lt;img src=x" in planning.chart.value
