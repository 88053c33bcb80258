"""The *Start here* page: the five workbooks as cards, each with the person's progress in it.

The progress is read from the work file (and, for the facilitator's card, from the collected
group and the team file) without changing anything: the home page never creates or repairs a
file. Whatever cannot be read is said in a sentence, never raised.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from plkit.analysis import progress as rating_progress
from plkit.content import Framework
from plkit.errors import PlkitError
from plkit.model import TEAM, Work
from plkit.plan import plan_step_progress, progress_text
from plkit.work import TEAM_FILE_NAME, WORK_FILE_NAME, default_work_dir, read_work

HOME_NOTEBOOK = "00_start_here.ipynb"
HOME_TITLE = "Start here: personalized learning workbooks"


@dataclass(frozen=True)
class Workbook:
    """One workbook of the kit: where it is, what it is called, what you do, how long it takes."""

    number: int
    notebook: str
    title: str
    what: str
    minutes: str
    for_facilitators: bool = False

    @property
    def heading(self) -> str:
        return f"Workbook {self.number}: {self.title}"


WORKBOOKS: tuple[Workbook, ...] = (
    Workbook(1, "01_understanding_personalized_learning.ipynb", "What is personalized learning?",
             "Build a shared picture: sort classroom scenes, answer myth-or-fact statements, "
             "and write a short reflection.", "About 30 minutes"),
    Workbook(2, "02_self_assessment.ipynb", "Where does your school stand?",
             "Rate your school's practices on AIR's four themes, with notes and evidence, "
             "and see your strengths, gaps and open questions.", "About 30–45 minutes"),
    Workbook(3, "03_reading_research_claims.ipynb", "Reading research claims",
             "Ask five questions of the studies PD materials cite, and write your own verdict "
             "on one claim.", "About 40 minutes"),
    Workbook(4, "04_action_planning.ipynb", "From reflection to action",
             "Turn up to three gaps into a plan with steps, dates and evidence, and print it.",
             "About 30 minutes"),
    Workbook(5, "05_facilitator_dashboard.ipynb", "The group view",
             "Collect the group's work files, see where the group stands, and agree the team's "
             "answers practice by practice.", "For the session itself", for_facilitators=True),
)


def workbook(number: int) -> Workbook:
    return next(w for w in WORKBOOKS if w.number == number)


@dataclass(frozen=True)
class Card:
    """A workbook on the home page, with the person's progress in it in words."""

    workbook: Workbook
    progress: str
    started: bool


def _read(path: Path, framework: Framework) -> tuple[Work | None, str]:
    """The file at ``path`` (None if there is none), or a sentence saying it cannot be read."""
    if not path.is_file():
        return None, ""
    try:
        return read_work(path, framework), ""
    except PlkitError:
        return None, "Your saved work could not be read here: open a workbook to see why and what to do."
    except OSError:
        return None, "Your saved work could not be opened just now: open a workbook to see why."


def _personal_progress(number: int, work: Work, framework: Framework) -> tuple[str, bool]:
    if number == 1:
        from plkit.understanding import activities_done, load_understanding

        done, total = activities_done(work, load_understanding())
        return f"{done} of {total} activities done", done > 0
    if number == 2:
        done = rating_progress(work, framework)
        kept = len(work.self_assessment.rounds)
        rounds = f"; {kept} round{'s' if kept != 1 else ''} kept" if kept else ""
        return f"{done.rated} of {done.total} practices rated{rounds}", done.rated > 0
    if number == 3:
        from plkit.claim_checks import steps_done
        from plkit.claims import load_claims

        done, total = steps_done(work, load_claims())
        return f"{done} of {total} steps done", done > 0
    chosen = len(work.action_plan.priorities)
    if not chosen:
        return "No priorities chosen yet", False
    done, planned = plan_step_progress(work)
    steps = f"; {progress_text(done, planned)}" if planned else ""
    return f"{chosen} priorit{'ies' if chosen != 1 else 'y'} chosen{steps}", True


def _facilitator_progress(folder: Path, framework: Framework) -> tuple[str, bool]:
    from plkit.collected import CollectedFiles
    from plkit.consensus import progress as consensus_progress

    collected = len(CollectedFiles(folder).names())
    parts = [f"{collected} work file{'s' if collected != 1 else ''} collected" if collected
             else "No group collected yet"]
    team, problem = _read(folder / TEAM_FILE_NAME, framework)
    if problem:
        parts.append("the team file could not be read here")
    elif team is not None and team.kind == TEAM:
        parts.append(f"team file: {consensus_progress(team, framework).text}")
    return "; ".join(parts), bool(collected) or team is not None


def cards(framework: Framework, work_dir: str | os.PathLike | None = None) -> list[Card]:
    """Every workbook with the progress kept in ``work_dir`` (``my_work/`` by default)."""
    folder = Path(work_dir) if work_dir is not None else default_work_dir()
    work, problem = _read(folder / WORK_FILE_NAME, framework)
    if work is not None and work.kind == TEAM:  # a team file where a personal one belongs
        work, problem = None, "The file in your work folder is a team file, not your own work."
    result = []
    for item in WORKBOOKS:
        if item.for_facilitators:
            text, started = _facilitator_progress(folder, framework)
        elif problem:
            text, started = problem, False
        elif work is None:
            text, started = "Not started yet", False
        else:
            text, started = _personal_progress(item.number, work, framework)
        result.append(Card(item, text, started))
    return result


def neighbours(number: int) -> tuple[Workbook | None, Workbook | None]:
    """The workbooks before and after workbook ``number`` (None at either end)."""
    numbers = [w.number for w in WORKBOOKS]
    index = numbers.index(number)
    before = WORKBOOKS[index - 1] if index > 0 else None
    after = WORKBOOKS[index + 1] if index + 1 < len(WORKBOOKS) else None
    return before, after
