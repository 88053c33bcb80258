"""Workbook 4: priorities proposed from the self-assessment (or the team's agreed answers), and
checks of an action plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from plkit.consensus import recorded
from plkit.content import Framework, Practice, Resource, Theme
from plkit.model import MAX_PRIORITIES, MAX_STEPS, NO_AGREEMENT, Priority, Step, Work
from plkit.validation import FIRST_YEAR, LAST_YEAR, date_in_range

# Ratings that point to a possible priority, most pressing first.
PROPOSE_FROM = ("different", "not-sure")
# For a team file: the team's agreed answers that point to a priority.
TEAM_PROPOSE_FROM = ("different", NO_AGREEMENT)
PLAN_FIELDS = {
    "goal": "the goal",
    "steps": "the first steps",
    "people": "who is involved",
    "start": "the start date",
    "end": "the end date",
    "evidence": "the evidence of progress",
    "support": "the support needed",
}


@dataclass(frozen=True)
class Candidate:
    theme: Theme
    practice: Practice
    rating: str  # a rating id, or NO_AGREEMENT for a team's open question


def team_answers(work: Work) -> dict[str, str]:
    """The team's recorded answers: practice id -> rating id or NO_AGREEMENT (open ones left out)."""
    return {pid: a.rating for pid, a in work.team.consensus.items() if recorded(a)}


def propose_priorities(work: Work, framework: Framework) -> list[Candidate]:
    """Practices rated 'This is different', then 'Not sure yet', each group in framework order.

    For a team file: the practices the team recorded as 'This is different', then those with
    'No agreement yet'."""
    ratings = team_answers(work) if work.is_team else work.self_assessment.ratings
    return [
        Candidate(theme, practice, rating)
        for rating in (TEAM_PROPOSE_FROM if work.is_team else PROPOSE_FROM)
        for theme in framework.themes
        for practice in theme.practices
        if ratings.get(practice.id) == rating
    ]


def resources_for(priority: Priority, framework: Framework) -> tuple[Resource, ...]:
    """The framework's resources for the priority's theme (all of them for one of your own)."""
    if priority.practice in framework.practices:
        return framework.theme_of(priority.practice).resources
    return tuple(r for theme in framework.themes for r in theme.resources)


def add_problem(work: Work, title: str, practice: str = "") -> str:
    """Why this priority cannot be added (empty when it can)."""
    priorities = work.action_plan.priorities
    if len(priorities) >= MAX_PRIORITIES:
        return f"You already have {MAX_PRIORITIES} priorities, the most a plan can hold: remove one first."
    if not title.strip():
        return "Write your priority in a few words first."
    if practice and any(p.practice == practice for p in priorities):
        return "This practice is already one of your priorities."
    return ""


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def date_problem(start: str, end: str) -> str:
    """What is wrong with a priority's dates (empty when nothing is); an empty date is not wrong."""
    days = {}
    for which, value in (("start", start), ("end", end)):
        days[which] = _day(value) if value else None
        if value and (days[which] is None or not date_in_range(days[which])):
            return f"Choose a {which} date between {FIRST_YEAR} and {LAST_YEAR}."
    if days["start"] and days["end"] and days["end"] < days["start"]:
        return "The end date is before the start date: choose an end date on or after the start."
    return ""


def plan_problems(work: Work) -> list[str]:
    """What still needs attention before the plan is complete, one sentence each."""
    priorities = work.action_plan.priorities
    if not priorities:
        return ["Choose at least one priority."]
    problems = []
    for number, priority in enumerate(priorities, start=1):
        name = f"Priority {number} ({priority.title})"
        if not priority.goal.strip():
            problems.append(f"{name}: write the goal: what will be different for students?")
        if dates := date_problem(priority.start, priority.end):
            problems.append(f"{name}: {dates[0].lower()}{dates[1:]}")
        missing = [label for key, label in PLAN_FIELDS.items() if key != "goal" and not filled(priority, key)]
        if missing:
            problems.append(f"{name}: still to fill in: {', '.join(missing)}.")
    return problems


def details_filled(work: Work) -> tuple[int, int]:
    """Plan details filled in, out of all the details of the chosen priorities."""
    priorities = work.action_plan.priorities
    done = sum(1 for p in priorities for key in PLAN_FIELDS if filled(p, key))
    return done, len(PLAN_FIELDS) * len(priorities)


def filled(priority: Priority, key: str) -> bool:
    """Whether a plan detail is filled in (for the steps: at least one step written)."""
    if key == "steps":
        return any(step.text.strip() for step in priority.steps)
    return bool(getattr(priority, key).strip())


def steps_text(steps: list[Step]) -> str:
    """The steps as lines, one step a line (the words only)."""
    return "\n".join(step.text for step in steps)


def steps_from_text(text: str, before: list[Step]) -> list[Step]:
    """Steps from lines of text, one a line; a line written before keeps its status and due date."""
    kept = {step.text.strip(): step for step in before}
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_STEPS:
        lines = lines[:MAX_STEPS - 1] + ["\n".join(lines[MAX_STEPS - 1:])]
    return [Step(line, kept[line].status, kept[line].due) if line in kept else Step(line) for line in lines]
