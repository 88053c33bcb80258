"""The work file's contents: everything one participant (or one team) entered, in every workbook."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

FORMAT = "plkit-work"
VERSION = 6
MAX_PRIORITIES = 3
MAX_ROUNDS = 20  # rounds of the self-assessment kept in one file
MAX_STEPS = 20  # steps of one priority
MAX_CHECK_INS = 50  # check-ins of one priority
STEP_STATUSES = ("not-started", "under-way", "done")
STEP_LABELS = {"not-started": "Not started", "under-way": "Under way", "done": "Done"}
PERSONAL, TEAM = "personal", "team"  # whose work a file holds: one person's, or a team's agreed answers
NO_AGREEMENT = "no-agreement"  # the team's answer for a practice it has not agreed on yet


@dataclass
class Participant:
    name: str = ""
    role: str = ""
    team: str = ""


@dataclass
class Round:
    """The self-assessment as it stood when it was kept ("Fall 2026"), to compare with later."""

    name: str = ""
    kept_on: str = ""  # ISO date
    ratings: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)


@dataclass
class SelfAssessment:
    ratings: dict[str, str] = field(default_factory=dict)  # practice id -> rating id
    notes: dict[str, str] = field(default_factory=dict)  # approach id -> notes
    evidence: dict[str, str] = field(default_factory=dict)  # approach id -> evidence
    reflections: dict[str, str] = field(default_factory=dict)  # prompt id -> answer
    rounds: list[Round] = field(default_factory=list)  # kept rounds, oldest first; the answers above go on from the last


@dataclass
class Understanding:
    """Workbook 1: sorted vignettes, myth-or-fact answers, reflections."""

    vignettes: dict[str, list[str]] = field(default_factory=dict)  # vignette id -> tags checked
    myths: dict[str, str] = field(default_factory=dict)  # statement id -> "myth" or "fact"
    reflections: dict[str, str] = field(default_factory=dict)  # prompt id -> answer


@dataclass
class Claims:
    """Workbook 3: judgements about research claims, and a written verdict."""

    judgements: dict[str, dict[str, str]] = field(
        default_factory=dict
    )  # claim -> question -> answer
    verdict: str = ""


@dataclass
class Step:
    """One step of a priority's plan, and how far it has come."""

    text: str = ""
    status: str = "not-started"  # one of STEP_STATUSES
    due: str = ""  # ISO date, or ""


@dataclass
class CheckIn:
    """A dated look at how a priority is going."""

    on: str = ""  # ISO date
    happened: str = ""  # what happened
    evidence_seen: str = ""  # what evidence was seen


@dataclass
class Priority:
    """One priority of the action plan (workbook 4)."""

    title: str = ""
    practice: str = ""  # the framework practice it comes from; "" for the participant's own
    goal: str = ""
    steps: list[Step] = field(default_factory=list)
    people: str = ""
    start: str = ""  # ISO date, or ""
    end: str = ""  # ISO date, or ""
    evidence: str = ""
    support: str = ""
    resources: list[str] = field(default_factory=list)  # framework resource ids
    check_ins: list[CheckIn] = field(default_factory=list)
    review: str = ""  # ISO date of the next review, or ""


@dataclass
class ActionPlan:
    priorities: list[Priority] = field(default_factory=list)


@dataclass
class Agreement:
    """The team's answer for one practice, with the group's split beside it.

    The fields save as they are filled in; the answer counts as recorded once ``agreed_at`` is set
    (the screen checks it first), and reopening clears ``agreed_at`` again.
    """

    rating: str = ""  # a rating id of the framework, NO_AGREEMENT, or "" (not chosen yet)
    reasons: str = ""
    evidence_needed: str = ""  # for NO_AGREEMENT: what evidence would settle it
    who_finds: str = ""  # ... and who will find it
    split: dict[str, int] = field(default_factory=dict)  # the group's ratings then: rating id or "unrated" -> people
    agreed_at: str = ""  # ISO time it was recorded; "" while open


@dataclass
class Team:
    """What makes a work file a team's: who was combined, and the answers the team agreed."""

    members: int = 0  # participants whose files were combined
    combined: list[str] = field(default_factory=list)  # each file's anonymous id (or the name, if names are on)
    names_shown: bool = False
    started: str = ""  # ISO date the team began agreeing
    consensus: dict[str, Agreement] = field(default_factory=dict)  # practice id -> the team's answer


@dataclass
class Work:
    """Everything one participant (or, for a team file, one team) entered, in every workbook."""

    participant: Participant = field(default_factory=Participant)
    self_assessment: SelfAssessment = field(default_factory=SelfAssessment)
    understanding: Understanding = field(default_factory=Understanding)
    claims: Claims = field(default_factory=Claims)
    action_plan: ActionPlan = field(default_factory=ActionPlan)
    framework: str = ""
    saved_at: str = ""
    kind: str = PERSONAL
    team: Team = field(default_factory=Team)

    @property
    def is_team(self) -> bool:
        return self.kind == TEAM

    def to_dict(self) -> dict[str, Any]:
        data = {"format": FORMAT, "version": VERSION, **asdict(self)}
        if not self.is_team:
            data["team"] = {}  # one person's file: no team part
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1, sort_keys=False) + "\n"
