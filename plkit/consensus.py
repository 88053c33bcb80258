"""The team's agreed picture: practice by practice, the team's answer beside the group's split.

Pure functions over a team's ``Work`` (``kind == TEAM``) and the group it was agreed from. The
screens call them inside ``WorkStore.edit``, so every change is saved as it is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from plkit.analysis import UNRATED
from plkit.content import Framework, Practice
from plkit.errors import PlkitError
from plkit.group import Group, disagreement, disagreement_queue
from plkit.model import NO_AGREEMENT, Agreement, Work
from plkit.validation import MAX_LINE

NO_AGREEMENT_LABEL = "No agreement yet"
NEARLY_ALL = 0.8  # "nearly everyone agreed": at least 4 in 5 of the group gave the same rating


def answer_label(rating: str, framework: Framework) -> str:
    """The words for a team's answer: a rating of the scale, or *No agreement yet*."""
    if rating == NO_AGREEMENT:
        return NO_AGREEMENT_LABEL
    return framework.rating_label(rating) if rating in framework.rating_ids else ""


def answer_options(framework: Framework) -> list[tuple[str, str]]:
    """(words, id) for every answer a team can record: the framework's scale, then no agreement."""
    return [(option.label, option.id) for option in framework.scale] + [(NO_AGREEMENT_LABEL, NO_AGREEMENT)]


# --- the order to go through ---------------------------------------------------------------------


def order(table: dict[str, dict[str, int]], framework: Framework, theme: str | None = None) -> list[str]:
    """Practice ids to agree: the most split first (as in *Discuss first*), then the rest in
    framework order; only one theme's with ``theme``."""
    split = [item.practice_id for item in disagreement_queue(table)]
    rest = [pid for pid in framework.practices if pid not in set(split)]
    ids = split + rest
    if theme:
        own = {p.id for t in framework.themes if t.id == theme for p in t.practices}
        ids = [pid for pid in ids if pid in own]
    return ids


@dataclass(frozen=True)
class Majority:
    rating: str
    people: int  # how many gave it
    members: int  # how many are in the group

    def sentence(self, framework: Framework) -> str:
        return f"Agreed with the majority: {self.people} of {self.members} rated it {framework.rating_label(self.rating)}."


def majority(counts: dict[str, int]) -> Majority | None:
    """The rating nearly everyone gave (at least 4 in 5 of the whole group, not-rated included)."""
    members = sum(counts.values())
    given = {k: v for k, v in counts.items() if k != UNRATED and v}
    if members < 2 or not given:
        return None
    rating, people = max(given.items(), key=lambda item: item[1])
    if people < NEARLY_ALL * members:
        return None
    return Majority(rating, people, members)


# --- recording ---------------------------------------------------------------------------------


def recorded(agreement: Agreement | None) -> bool:
    return agreement is not None and bool(agreement.agreed_at)


def answer_problem(agreement: Agreement, framework: Framework) -> str:
    """What is missing before this answer can be recorded ("" when it can be)."""
    if agreement.rating == NO_AGREEMENT:
        if not agreement.evidence_needed.strip():
            return "Write what evidence would settle it, so the team knows what to look for."
        if not agreement.who_finds.strip():
            return "Write who will find that evidence."
        return ""
    if agreement.rating not in framework.rating_ids:
        return "Choose the team's answer first."
    if not agreement.reasons.strip():
        return "Write the team's reasons in a sentence or two."
    return ""


def draft(work: Work, practice_id: str, framework: Framework, **fields: str) -> Agreement:
    """Change the team's answer for one practice (rating, reasons, evidence needed, who finds it)
    while it is still open."""
    if practice_id not in framework.practices:
        raise PlkitError("consensus-practice", "That practice is not in the framework in use.")
    agreement = work.team.consensus.setdefault(practice_id, Agreement())
    if recorded(agreement):
        raise PlkitError("consensus-recorded", "This answer is recorded: reopen it to change it.")
    for key, value in fields.items():
        if key not in ("rating", "reasons", "evidence_needed", "who_finds"):
            raise TypeError(f"not an answer field: {key}")
        if key == "rating" and value and value not in (*framework.rating_ids, NO_AGREEMENT):
            raise PlkitError("consensus-rating", "That answer is not on the framework's scale.")
        setattr(agreement, key, value)
    return agreement


def record(work: Work, practice_id: str, framework: Framework, counts: dict[str, int], when: str,
           group: Group | None = None) -> None:
    """Record the team's answer for one practice, with the group's split beside it.

    Raises ``PlkitError`` (and changes nothing) if the answer is not complete.
    """
    agreement = work.team.consensus.get(practice_id)
    if practice_id not in framework.practices or agreement is None:
        raise PlkitError("consensus-missing", "Choose the team's answer first.")
    problem = answer_problem(agreement, framework)
    if problem:
        raise PlkitError("consensus-incomplete", problem)
    agreement.split = dict(counts)
    agreement.agreed_at = when
    if group is not None:
        note_group(work, group)
    if not work.team.started:
        work.team.started = when[:10]
    sync_ratings(work, framework)


def agree_with_majority(work: Work, practice_ids: list[str], table: dict[str, dict[str, int]],
                        framework: Framework, when: str, group: Group | None = None) -> list[str]:
    """Record the majority's rating for every practice given where nearly everyone agreed and the
    team has not recorded an answer; returns the ids recorded."""
    done = []
    for pid in practice_ids:
        found = majority(table[pid])
        if found is None or recorded(work.team.consensus.get(pid)):
            continue
        work.team.consensus[pid] = Agreement(rating=found.rating, reasons=found.sentence(framework))
        record(work, pid, framework, table[pid], when)
        done.append(pid)
    if done and group is not None:
        note_group(work, group)
    return done


def reopen(work: Work, practice_id: str, framework: Framework) -> None:
    """Open a recorded answer again (its words are kept to be changed)."""
    agreement = work.team.consensus.get(practice_id)
    if agreement is not None:
        agreement.agreed_at = ""
    sync_ratings(work, framework)


def sync_ratings(work: Work, framework: Framework) -> None:
    """The team file's ratings are its recorded answers on the scale (Workbooks 2 and 4 read them)."""
    work.self_assessment.ratings = {
        pid: a.rating for pid, a in work.team.consensus.items()
        if recorded(a) and a.rating in framework.rating_ids
    }


def note_group(work: Work, group: Group) -> None:
    """Keep which files the team's answers were agreed from: anonymous ids unless names are on."""
    work.team.members = len(group.members)
    work.team.names_shown = group.names
    work.team.combined = [(member.label if group.names else member.anon_id)[:MAX_LINE] for member in group.members]


def start_team(work: Work, name: str) -> None:
    """Name the team whose answers the file holds."""
    work.participant.team = name
    if not work.team.started:
        work.team.started = date.today().isoformat()


# --- reading the team's answers ------------------------------------------------------------------


@dataclass(frozen=True)
class ConsensusProgress:
    agreed: int  # recorded on the scale
    open_questions: int  # recorded as no agreement yet
    total: int

    @property
    def text(self) -> str:
        text = f"{self.agreed} of {self.total} agreed"
        if self.open_questions:
            text += f", {self.open_questions} with no agreement yet"
        return text

    @property
    def to_go(self) -> int:
        return self.total - self.agreed - self.open_questions


def progress(work: Work, framework: Framework, practice_ids: list[str] | None = None) -> ConsensusProgress:
    ids = list(framework.practices) if practice_ids is None else practice_ids
    answers = [work.team.consensus.get(pid) for pid in ids]
    done = [a for a in answers if recorded(a)]
    open_questions = sum(1 for a in done if a.rating == NO_AGREEMENT)
    return ConsensusProgress(len(done) - open_questions, open_questions, len(ids))


@dataclass(frozen=True)
class AgreedPractice:
    practice: Practice
    agreement: Agreement
    score: float  # how split the group was (0 all agreed, 1 evenly split)


def agreed_practices(work: Work, framework: Framework) -> list[AgreedPractice]:
    """Every recorded answer, in framework order."""
    return [
        AgreedPractice(practice, work.team.consensus[practice.id], disagreement(work.team.consensus[practice.id].split))
        for theme in framework.themes for practice in theme.practices
        if recorded(work.team.consensus.get(practice.id))
    ]


def open_questions(work: Work, framework: Framework) -> list[AgreedPractice]:
    """The practices the team recorded as *No agreement yet*: what evidence, and who finds it."""
    return [item for item in agreed_practices(work, framework) if item.agreement.rating == NO_AGREEMENT]


def team_line(work: Work) -> str:
    """Who agreed, in a sentence for a plan or a report: a count, or names when names were on."""
    team = work.team
    people = f"{team.members} member{'' if team.members == 1 else 's'}"
    named = ", ".join(name for name in team.combined if name.strip()) if team.names_shown else ""
    return f"Agreed by {people}: {named}." if named else f"Agreed by {people} (anonymous)."

