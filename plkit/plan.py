"""Workbook 4: priorities proposed from the self-assessment (or the team's agreed answers), and
checks of an action plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from plkit.consensus import recorded
from plkit.content import Framework, Practice, Resource, Theme
from plkit.model import MAX_PRIORITIES, NO_AGREEMENT, STEP_LABELS, Priority, Step, Work
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


def day_problem(value: str, what: str) -> str:
    """What is wrong with one date of a plan (``what``: "a due date", ...); an empty date is not wrong."""
    day = _day(value) if value else None
    if value and (day is None or not date_in_range(day)):
        return f"Choose {what} between {FIRST_YEAR} and {LAST_YEAR}."
    return ""


def date_problem(start: str, end: str) -> str:
    """What is wrong with a priority's dates (empty when nothing is); an empty date is not wrong."""
    if problem := day_problem(start, "a start date") or day_problem(end, "an end date"):
        return problem
    first, last = (_day(start) if start else None), (_day(end) if end else None)
    if first and last and last < first:
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
        if not filled(priority, "steps"):
            problems.append(f"{name}: write at least one first step.")
        dates = [date_problem(priority.start, priority.end)]
        dates += [day_problem(step.due, f"a due date for step {n}") for n, step in enumerate(priority.steps, 1)]
        dates += [day_problem(c.on, f"a date for check-in {n}") for n, c in enumerate(priority.check_ins, 1)]
        dates.append(day_problem(priority.review, "a review date"))
        problems += [f"{name}: {d[0].lower()}{d[1:]}" for d in dates if d]
        missing = [label for key, label in PLAN_FIELDS.items()
                   if key not in ("goal", "steps") and not filled(priority, key)]
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


def written_steps(priority: Priority) -> list[tuple[int, Step]]:
    """The steps with words in them, each with its number on screen (a blank step is not planned yet)."""
    return [(n, step) for n, step in enumerate(priority.steps, start=1) if step.text.strip()]


def step_progress(priority: Priority) -> tuple[int, int]:
    """Steps done, out of the steps written for this priority."""
    steps = [step for _, step in written_steps(priority)]
    return sum(1 for step in steps if step.status == "done"), len(steps)


def plan_step_progress(work: Work) -> tuple[int, int]:
    """Steps done, out of the steps written, across the whole plan."""
    counts = [step_progress(p) for p in work.action_plan.priorities]
    return sum(done for done, _ in counts), sum(planned for _, planned in counts)


def progress_text(done: int, planned: int) -> str:
    """ "2 of 5 steps done", or that no step is written yet."""
    if not planned:
        return "No steps written yet"
    return f"{done} of {planned} step{'' if planned == 1 else 's'} done"


def long_date(iso: str) -> str:
    """A date as people write it ("01 October 2026"); a text that is not a date is shown as it is."""
    day = _day(iso) if iso else None
    return f"{day:%d %B %Y}" if day else iso


def step_line(number: int, step: Step) -> str:
    """One step in words: "step 2, Share at the staff meeting: due 01 October 2026, done"."""
    due = f"due {long_date(step.due)}" if step.due else "no due date"
    return f"step {number}, {step.text.strip()}: {due}, {STEP_LABELS.get(step.status, step.status).lower()}"


def timeline_alt(priorities: list[Priority]) -> str:
    """The timeline in words, for those who cannot see it: dates, steps, their due dates and status."""
    parts = []
    for number, priority in enumerate(priorities, start=1):
        dates = f"{long_date(priority.start) or 'no start date'} to {long_date(priority.end) or 'no end date'}"
        steps = written_steps(priority)
        text = f"Priority {number}, {priority.title}: {dates}; {progress_text(*step_progress(priority)).lower()}"
        if steps:
            text += ": " + "; ".join(step_line(n, step) for n, step in steps)
        parts.append(text + ".")
    return "Timeline. " + " ".join(parts)
