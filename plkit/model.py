"""The work file's contents: everything one participant entered, in every workbook."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

FORMAT = "plkit-work"
VERSION = 4
MAX_PRIORITIES = 3


@dataclass
class Participant:
    name: str = ""
    role: str = ""
    team: str = ""


@dataclass
class SelfAssessment:
    ratings: dict[str, str] = field(default_factory=dict)  # practice id -> rating id
    notes: dict[str, str] = field(default_factory=dict)  # approach id -> notes
    evidence: dict[str, str] = field(default_factory=dict)  # approach id -> evidence
    reflections: dict[str, str] = field(default_factory=dict)  # prompt id -> answer


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
class Priority:
    """One priority of the action plan (workbook 4)."""

    title: str = ""
    practice: str = ""  # the framework practice it comes from; "" for the participant's own
    goal: str = ""
    first_steps: str = ""
    people: str = ""
    start: str = ""  # ISO date, or ""
    end: str = ""  # ISO date, or ""
    evidence: str = ""
    support: str = ""
    resources: list[str] = field(default_factory=list)  # framework resource ids


@dataclass
class ActionPlan:
    priorities: list[Priority] = field(default_factory=list)


@dataclass
class Work:
    """Everything one participant entered, in every workbook."""

    participant: Participant = field(default_factory=Participant)
    self_assessment: SelfAssessment = field(default_factory=SelfAssessment)
    understanding: Understanding = field(default_factory=Understanding)
    claims: Claims = field(default_factory=Claims)
    action_plan: ActionPlan = field(default_factory=ActionPlan)
    framework: str = ""
    saved_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, **asdict(self)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1, sort_keys=False) + "\n"
