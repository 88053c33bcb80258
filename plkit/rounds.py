"""Rounds of the self-assessment: keep the answers as they stand ("Fall 2026"), and see what moved since.

Keeping a round copies the current ratings, notes and evidence; it clears nothing, so the next
round starts from the last one and only what changed needs a click.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from plkit.analysis import UNRATED
from plkit.content import Approach, Framework, Practice, Theme
from plkit.errors import PlkitError
from plkit.model import MAX_ROUNDS, Round, Work
from plkit.validation import MAX_LINE

NOT_RATED = "Not rated"
# How a practice moved between two times. The scale's first rating ("We do this now" in the shipped
# framework) is the one a practice moves towards or away from.
TOWARDS, AWAY, CHANGED, NEWLY_RATED, NO_LONGER_RATED = "towards", "away", "changed", "newly-rated", "no-longer-rated"


class Answers(Protocol):
    """A round, or the self-assessment as it stands now: both have these three."""

    ratings: dict[str, str]
    notes: dict[str, str]
    evidence: dict[str, str]


# --- keeping, renaming, removing -----------------------------------------------------------------


def name_problem(work: Work, name: str, index: int | None = None) -> str:
    """What is wrong with ``name`` for a round ("" when nothing is); ``index``: the round being renamed."""
    name = name.strip()
    if not name:
        return "Give the round a name first, for example “Fall 2026”."
    if len(name) > MAX_LINE:
        return f"That name is too long: at most {MAX_LINE} characters."
    for number, kept in enumerate(work.self_assessment.rounds):
        if number != index and kept.name.strip().casefold() == name.casefold():
            return f"There is already a round called “{kept.name}”: choose another name."
    return ""


def keep_problem(work: Work, name: str) -> str:
    """Why the answers cannot be kept as a round called ``name`` ("" when they can)."""
    section = work.self_assessment
    if len(section.rounds) >= MAX_ROUNDS:
        return (f"This file already keeps {MAX_ROUNDS} rounds, the most it can hold. "
                "Remove one you no longer need, then keep this one.")
    if not (section.ratings or section.notes or section.evidence):
        return "Nothing to keep yet: rate some practices first."
    return name_problem(work, name)


def keep_round(work: Work, name: str, today: date | str) -> Round:
    """Keep the current ratings, notes and evidence as a round (newest last); nothing is cleared."""
    problem = keep_problem(work, name)
    if problem:
        raise PlkitError("round-keep", problem)
    section = work.self_assessment
    kept = Round(
        name=name.strip(),
        kept_on=today.isoformat() if isinstance(today, date) else today,
        ratings=dict(section.ratings),
        notes=dict(section.notes),
        evidence=dict(section.evidence),
    )
    section.rounds.append(kept)
    return kept


def find_round(work: Work, name: str) -> int:
    """The place of the round called ``name`` (oldest first)."""
    for index, kept in enumerate(work.self_assessment.rounds):
        if kept.name == name:
            return index
    raise PlkitError("round-missing", f"There is no round called “{name}” in this file any more.")


def _checked(work: Work, index: int) -> Round:
    rounds = work.self_assessment.rounds
    if not 0 <= index < len(rounds):
        raise PlkitError("round-missing", "That round is not in this file any more.")
    return rounds[index]


def rename_round(work: Work, index: int, name: str) -> Round:
    """Give a kept round another name (unique in the file)."""
    kept = _checked(work, index)
    problem = name_problem(work, name, index)
    if problem:
        raise PlkitError("round-name", problem)
    kept.name = name.strip()
    return kept


def remove_round(work: Work, index: int) -> Round:
    """Remove a kept round; the current answers and the other rounds stay as they are."""
    _checked(work, index)
    return work.self_assessment.rounds.pop(index)


def rated(answers: Answers, framework: Framework) -> int:
    """How many of the framework's practices have a rating in ``answers``."""
    return sum(1 for pid in framework.practices if answers.ratings.get(pid) in framework.rating_set)


# --- comparing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One practice whose rating is not the same now as then, with the notes of its approach both times."""

    practice: Practice
    theme: Theme
    approach: Approach
    then: str  # rating id, or "" when it was not rated
    now: str
    then_words: str
    now_words: str
    kind: str  # TOWARDS, AWAY, CHANGED, NEWLY_RATED or NO_LONGER_RATED
    notes_then: str
    notes_now: str
    evidence_then: str
    evidence_now: str

    @property
    def words(self) -> str:
        """ "This is different → We do this now"."""
        return f"{self.then_words} → {self.now_words}"


@dataclass(frozen=True)
class Comparison:
    moves: list[Move]  # in framework order
    counts_then: dict[str, dict[str, int]]  # theme id -> rating id (and UNRATED) -> practices
    counts_now: dict[str, dict[str, int]]

    def count(self, kind: str) -> int:
        return sum(1 for move in self.moves if move.kind == kind)


def _rating(answers: Answers, practice_id: str, framework: Framework) -> str:
    rating = answers.ratings.get(practice_id, "")
    return rating if rating in framework.rating_set else ""


def _words(rating: str, framework: Framework) -> str:
    return framework.rating_label(rating) if rating else NOT_RATED


def _kind(then: str, now: str, framework: Framework) -> str:
    if not then:
        return NEWLY_RATED
    if not now:
        return NO_LONGER_RATED
    first = framework.rating_ids[0]
    return TOWARDS if now == first else AWAY if then == first else CHANGED


def theme_counts(answers: Answers, framework: Framework) -> dict[str, dict[str, int]]:
    """Per theme, how many practices have each rating (and how many none), in scale order."""
    counts = {}
    for theme in framework.themes:
        numbers = dict.fromkeys((*framework.rating_ids, UNRATED), 0)
        for practice in theme.practices:
            numbers[_rating(answers, practice.id, framework) or UNRATED] += 1
        counts[theme.id] = numbers
    return counts


def compare(then: Answers, now: Answers, framework: Framework) -> Comparison:
    """The practices whose rating moved from ``then`` to ``now``, and each theme's counts both times."""
    moves = []
    for theme in framework.themes:
        for approach in theme.approaches:
            for practice in approach.practices:
                before, after = _rating(then, practice.id, framework), _rating(now, practice.id, framework)
                if before == after:
                    continue
                moves.append(Move(
                    practice=practice, theme=theme, approach=approach, then=before, now=after,
                    then_words=_words(before, framework), now_words=_words(after, framework),
                    kind=_kind(before, after, framework),
                    notes_then=then.notes.get(approach.id, ""), notes_now=now.notes.get(approach.id, ""),
                    evidence_then=then.evidence.get(approach.id, ""),
                    evidence_now=now.evidence.get(approach.id, ""),
                ))
    return Comparison(moves, theme_counts(then, framework), theme_counts(now, framework))
