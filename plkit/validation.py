"""Check a work file's data, part by part, and build the ``Work`` it holds."""

from __future__ import annotations

from datetime import date
from typing import Any

from plkit.content import Framework
from plkit.errors import WorkFileError
from plkit.model import (
    MAX_PRIORITIES,
    ActionPlan,
    Claims,
    Participant,
    Priority,
    SelfAssessment,
    Understanding,
    Work,
)

MAX_TEXT = 20_000
HOW_TO_FIX = "Use the file that 'Download my work' gave you (its name starts with plkit-work)."


def _fail(where: str, problem: str) -> WorkFileError:
    return WorkFileError(
        "work-invalid", f"This work file is damaged: {where} {problem} {HOW_TO_FIX}"
    )


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise _fail(where, "should be text.")
    if len(value) > MAX_TEXT:
        raise _fail(where, f"is longer than {MAX_TEXT:,} characters.")
    return value


def _text_map(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _fail(where, "should be a set of answers.")
    for text in value.values():  # the usual case, checked quickly; JSON keys are always text
        if type(text) is not str or len(text) > MAX_TEXT:
            return {k: _text(v, f"{where} '{k}'") for k, v in value.items()}
    return value  # freshly parsed JSON: the work file owns it, no copy needed


def _known_keys(value: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    if value.keys() <= allowed:
        return
    unknown = sorted(value.keys() - allowed)
    if unknown:
        raise _fail(where, f"has parts plkit does not know ({', '.join(map(repr, unknown[:3]))}).")


def _section(data: dict[str, Any], key: str, allowed: frozenset[str], where: str) -> dict[str, Any]:
    section = data.get(key, {})
    if not isinstance(section, dict):
        raise _fail(where, "should be a set of answers.")
    _known_keys(section, allowed, where)
    return section


def _tag_lists(value: Any, where: str) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise _fail(where, "should be a set of answers.")
    lists = {}
    for key, tags in value.items():
        if not isinstance(tags, list) or len(tags) > 20:
            raise _fail(f"{where} '{_text(key, where)[:40]}'", "should be a short list.")
        lists[key] = [_text(tag, where) for tag in tags]
    return lists


def _choices(value: Any, allowed: tuple[str, ...], where: str) -> dict[str, str]:
    answers = _text_map(value, where)
    if any(answer not in allowed for answer in answers.values()):
        raise _fail(where, f"should each be one of: {', '.join(allowed)}.")
    return answers


def _claims(section: dict[str, Any]) -> Claims:
    judgements = section.get("judgements", {})
    if not isinstance(judgements, dict):
        raise _fail("workbook 3's judgements", "should be a set of answers.")
    return Claims(
        judgements={
            _text(claim, "a claim name"): _text_map(answers, "workbook 3's judgements")
            for claim, answers in judgements.items()
        },
        verdict=_text(section.get("verdict", ""), "your verdict"),
    )


def _date(value: Any, where: str) -> str:
    text = _text(value, where)
    if text:
        try:
            date.fromisoformat(text)
        except ValueError:
            raise _fail(where, "should be a date like 2026-09-01.") from None
    return text


PRIORITY_TEXTS = ("title", "practice", "goal", "first_steps", "people", "evidence", "support")
PRIORITY_KEYS = frozenset({*PRIORITY_TEXTS, "start", "end", "resources"})


def _priority(item: Any, where: str) -> Priority:
    if not isinstance(item, dict):
        raise _fail(where, "should be a set of answers.")
    _known_keys(item, PRIORITY_KEYS, where)
    texts = {key: item.get(key, "") for key in PRIORITY_TEXTS}
    for key, value in texts.items():
        if type(value) is not str or len(value) > MAX_TEXT:
            _text(value, f"{where}'s {key}")  # raises with the reason
    resources = item.get("resources", [])
    if not isinstance(resources, list):
        raise _fail(f"{where}'s resources", "should be a list.")
    return Priority(
        **texts,
        start=_date(item.get("start", ""), f"{where}'s start date"),
        end=_date(item.get("end", ""), f"{where}'s end date"),
        resources=[_text(r, f"{where}'s resources") for r in resources],
    )


def _action_plan(section: dict[str, Any]) -> ActionPlan:
    items = section.get("priorities", [])
    if not isinstance(items, list) or len(items) > MAX_PRIORITIES:
        raise _fail("the action plan", f"should hold at most {MAX_PRIORITIES} priorities.")
    return ActionPlan([_priority(item, f"priority {n}") for n, item in enumerate(items, start=1)])


FILE_KEYS = frozenset({"format", "version", "participant", "self_assessment", "understanding", "claims",
                       "action_plan", "framework", "saved_at"})
PARTICIPANT_KEYS = frozenset({"name", "role", "team"})
SELF_ASSESSMENT_KEYS = frozenset({"ratings", "notes", "evidence", "reflections"})
UNDERSTANDING_KEYS = frozenset({"vignettes", "myths", "reflections"})
CLAIMS_KEYS = frozenset({"judgements", "verdict"})
PLAN_KEYS = frozenset({"priorities"})


def build_work(data: dict[str, Any]) -> Work:
    """The ``Work`` a (migrated) work file holds; ``WorkFileError`` says what is wrong."""
    _known_keys(data, FILE_KEYS, "the file")
    participant = _section(data, "participant", PARTICIPANT_KEYS, "the participant details")
    section = _section(data, "self_assessment", SELF_ASSESSMENT_KEYS, "the self-assessment")
    understanding = _section(data, "understanding", UNDERSTANDING_KEYS, "workbook 1's answers")
    return Work(
        participant=Participant(**_text_map(participant, "the participant details")),
        self_assessment=SelfAssessment(
            ratings=_text_map(section.get("ratings", {}), "the ratings"),
            notes=_text_map(section.get("notes", {}), "the notes"),
            evidence=_text_map(section.get("evidence", {}), "the evidence"),
            reflections=_text_map(section.get("reflections", {}), "the reflections"),
        ),
        understanding=Understanding(
            vignettes=_tag_lists(understanding.get("vignettes", {}), "the sorted classroom scenes"),
            myths=_choices(
                understanding.get("myths", {}), ("myth", "fact"), "the myth-or-fact answers"
            ),
            reflections=_text_map(understanding.get("reflections", {}), "workbook 1's reflections"),
        ),
        claims=_claims(_section(data, "claims", CLAIMS_KEYS, "workbook 3's answers")),
        action_plan=_action_plan(_section(data, "action_plan", PLAN_KEYS, "the action plan")),
        framework=_text(data.get("framework", ""), "the framework name"),
        saved_at=_text(data.get("saved_at", ""), "the time saved"),
    )


def check_against(work: Work, framework: Framework) -> None:
    """Raise ``WorkFileError`` unless every id and rating in ``work`` belongs to ``framework``."""
    section = work.self_assessment
    checks = [
        ("practices", section.ratings, framework.practices),
        ("approaches (notes)", section.notes, framework.approaches),
        ("approaches (evidence)", section.evidence, framework.approaches),
        ("reflection questions", section.reflections, framework.prompts),
    ]
    for what, answers, known in checks:
        unknown = sorted(answers.keys() - known.keys())
        if unknown:
            named = ", ".join(repr(u[:40]) for u in unknown[:3])
            raise WorkFileError(
                "work-framework",
                f"This work file has answers for {what} that are not in the framework in use "
                f"('{framework.title}'): {named}. It may have been made with another district's "
                "framework; ask your facilitator which one to use.",
            )
    bad = sorted(set(section.ratings.values()) - set(framework.rating_ids))
    if bad:
        raise WorkFileError(
            "work-rating",
            f"This work file has ratings the kit does not know ({', '.join(repr(b[:40]) for b in bad[:3])}); "
            f"ratings must be one of: {', '.join(o.label for o in framework.scale)}.",
        )
