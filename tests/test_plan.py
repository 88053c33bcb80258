"""Priorities from the self-assessment, plan checks, and the printable exports."""

from datetime import date

import pytest

from plkit.cli import main
from plkit.model import Priority, Step, Work
from plkit.plan import add_problem, date_problem, details_filled, plan_problems, propose_priorities
from plkit.report import plan_html, plan_markdown
from plkit.work import write_work

HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def rated(**ratings) -> Work:
    work = Work()
    work.self_assessment.ratings.update({k.replace("__", "."): v for k, v in ratings.items()})
    return work


def full_priority(**changes) -> Priority:
    values = dict(title="Goal setting", practice="how.guidance.plans", goal="Every student sets goals",
                  steps=[Step("Pilot"), Step("Share")], people="Grade 7 team", start="2026-09-01", end="2027-01-31",
                  evidence="Goal sheets", support="PD time", resources=["how.student-agency"])
    values.update(changes)
    return Priority(**values)


def test_proposals_put_different_before_not_sure_grouped_by_theme(framework):
    work = rated(how__voice__choices="not-sure", what__goals__materials="different",
                 how__guidance__plans="different", what__goals__profiles="now")
    proposals = propose_priorities(work, framework)
    assert [(c.rating, c.practice.id) for c in proposals] == [
        ("different", "what.goals.materials"), ("different", "how.guidance.plans"),
        ("not-sure", "how.voice.choices")]
    assert proposals[1].theme.id == "how"


def test_no_proposals_from_an_empty_self_assessment(framework):
    assert propose_priorities(Work(), framework) == []


def test_add_problems():
    work = Work()
    assert add_problem(work, "  ") == "Write your priority in a few words first."
    work.action_plan.priorities = [Priority(title="a", practice="p1"), Priority(title="b"), Priority(title="c")]
    assert "already have 3 priorities" in add_problem(work, "d")
    work.action_plan.priorities.pop()
    assert "already one of your priorities" in add_problem(work, "again", "p1")
    assert add_problem(work, "new") == ""


def test_dates_out_of_order():
    assert "before the start" in date_problem("2026-09-01", "2026-08-31")
    assert date_problem("2026-09-01", "2026-09-01") == ""
    assert date_problem("", "2026-01-01") == ""


def test_plan_problems_and_details():
    work = Work()
    assert plan_problems(work) == ["Choose at least one priority."]
    work.action_plan.priorities = [full_priority(), full_priority(title="Own", goal="", end="2026-01-01")]
    problems = plan_problems(work)
    assert problems[0].startswith("Priority 2 (Own): write the goal")
    assert "end date is before the start date" in problems[1]
    assert details_filled(work) == (13, 14)
    work.action_plan.priorities = [full_priority()]
    assert plan_problems(work) == []


def plan_work() -> Work:
    work = Work()
    work.participant.name = "Zoë O'Brien " + HOSTILE
    work.participant.team = "Room 5 & co"
    work.action_plan.priorities = [full_priority(goal=HOSTILE + "\nsecond line"), full_priority(title="Ünïcode 日本")]
    return work


def test_html_plan_is_self_contained_escaped_and_printable(framework):
    page = plan_html(plan_work(), framework, today=date(2026, 11, 22))
    assert page.startswith("<!DOCTYPE html>") and "@media print" in page
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "Zoë O&#39;Brien" in page and "Room 5 &amp; co" in page and "Ünïcode 日本" in page
    assert page.count('<img src="data:image/png;base64,') == 1
    assert "http" not in page.replace('content="width=device-width', "")  # nothing fetched from the web
    assert "01 September 2026 to 31 January 2027" in page and "AIR: Maximizing Student Agency" in page


def test_markdown_plan_is_escaped(framework):
    text = plan_markdown(plan_work(), framework, today=date(2026, 11, 22))
    assert text.startswith("# My personalized learning action plan")
    assert "## Priority 2: Ünïcode 日本" in text
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "- **Goal for students:** &lt;script&gt;" in text and "\n  second line" in text


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_plan_command(tmp_path, capsys, suffix):
    path = write_work(plan_work(), tmp_path / "work.json")
    out = tmp_path / f"plan{suffix}"
    assert main(["plan", str(path), "--out", str(out)]) == 0
    assert "Wrote" in capsys.readouterr().out
    assert "Priority 2: Ünïcode 日本" in out.read_text(encoding="utf-8")


def test_plan_command_without_a_plan(tmp_path, capsys):
    path = write_work(Work(), tmp_path / "work.json")
    assert main(["plan", str(path)]) == 1
    assert "no action plan yet" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_issue_10_raise_money_for_laptops(tmp_path, capsys, suffix):
    """"Raise $$ for laptops" as a priority broke Workbook 4 for good and crashed `plkit plan`."""
    work = Work()
    work.action_plan.priorities = [full_priority(title="Raise $$ for laptops", goal="$x^2$ \\frac{1}{2}"),
                                   full_priority(title="Far away", practice="", end="2100-12-31")]
    path = write_work(work, tmp_path / "work.json")
    out = tmp_path / f"plan{suffix}"
    assert main(["plan", str(path), "--out", str(out)]) == 0, capsys.readouterr().err
    page = out.read_text(encoding="utf-8")
    assert ("Priority 1: Raise $$ for laptops" if suffix == ".html" else "Priority 1: Raise \\$\\$ for laptops") in page
