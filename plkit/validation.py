"""Check a work file's data, part by part, and build the ``Work`` it holds."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from plkit.content import Framework
from plkit.errors import WorkFileError
from plkit.model import (
    MAX_CHECK_INS,
    MAX_PRIORITIES,
    MAX_ROUNDS,
    MAX_STEPS,
    NO_AGREEMENT,
    PERSONAL,
    STEP_STATUSES,
    TEAM,
    ActionPlan,
    Agreement,
    CheckIn,
    Claims,
    Participant,
    Priority,
    Round,
    SelfAssessment,
    Step,
    Team,
    Understanding,
    Work,
)

MAX_TEXT = 20_000  # one answer box
MAX_LINE = 200  # a one-line box: a name, a title; also any id or key
MAX_TAGS = 20
MAX_MEMBERS = 5000  # a team file combines at most as many files as a group holds
FIRST_YEAR, LAST_YEAR = 2000, 2100  # dates a plan or a save can carry
_SURROGATE = re.compile("[\ud800-\udfff]")
HOW_TO_FIX = "Use the file that 'Download my work' gave you (its name starts with plkit-work)."


def _fail(where: str, problem: str) -> WorkFileError:
    return WorkFileError(
        "work-invalid", f"This work file is damaged: {where} {problem} {HOW_TO_FIX}"
    )


def shown(text: str, limit: int = 40) -> str:
    """A piece of untrusted text, short and printable, for a message."""
    text = _SURROGATE.sub("\ufffd", text)
    text = "".join(c if c.isprintable() else "\ufffd" for c in text[:limit])
    return repr(text + ("…" if len(text) >= limit else ""))


def broken_text(value: str) -> bool:
    """True if ``value`` holds half of an emoji or symbol (a lone surrogate): not valid text."""
    return not value.isascii() and _SURROGATE.search(value) is not None


def _text(value: Any, where: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise _fail(where, "should be text.")
    if len(value) > limit:
        raise _fail(where, f"is longer than {limit:,} characters.")
    if broken_text(value):
        raise _fail(where, "holds characters that are not valid text.")
    return value


def _text_map(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _fail(where, "should be a set of answers.")
    for key, text in value.items():  # the usual case, checked quickly; JSON keys are always text
        if type(text) is not str or len(text) > MAX_TEXT or len(key) > MAX_LINE:
            return {_text(k, where, MAX_LINE): _text(v, f"{where} {shown(k)}") for k, v in value.items()}
    return value  # freshly parsed JSON: the work file owns it, no copy needed


def _known_keys(value: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    if value.keys() <= allowed:
        return
    unknown = sorted(value.keys() - allowed)
    if unknown:
        raise _fail(where, f"has parts plkit does not know ({', '.join(map(shown, unknown[:3]))}).")


def _part(item: Any, allowed: frozenset[str], where: str) -> dict[str, Any]:
    """A part of the file that is a set of answers with only the keys ``allowed``."""
    if not isinstance(item, dict):
        raise _fail(where, "should be a set of answers.")
    _known_keys(item, allowed, where)
    return item


def _section(data: dict[str, Any], key: str, allowed: frozenset[str], where: str) -> dict[str, Any]:
    return _part(data.get(key, {}), allowed, where)


def _tag_lists(value: Any, where: str) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise _fail(where, "should be a set of answers.")
    lists = {}
    for key, tags in value.items():
        if not isinstance(tags, list) or len(tags) > MAX_TAGS:
            raise _fail(f"{where} {shown(key)}", "should be a short list.")
        lists[_text(key, where, MAX_LINE)] = [_text(tag, where, MAX_LINE) for tag in tags]
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
            _text(claim, "a claim name", MAX_LINE): _text_map(answers, "workbook 3's judgements")
            for claim, answers in judgements.items()
        },
        verdict=_text(section.get("verdict", ""), "your verdict"),
    )


def date_in_range(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def _date(value: Any, where: str) -> str:
    if value == "":  # most dates of a plan are not set: nothing to check
        return value
    return _when(value, where, date.fromisoformat, "a date like 2026-09-01", "a date")


def _timestamp(value: Any, where: str) -> str:
    return _when(value, where, datetime.fromisoformat,
                 "a date and time like 2026-09-01T10:30:00+00:00", "a time")


def _when(value: Any, where: str, parse, example: str, kind: str) -> str:
    """A date or time as ISO text ("" for none), readable and between the kit's years."""
    text = _text(value, where, MAX_LINE)
    if text:
        try:
            moment = parse(text)
        except ValueError:
            raise _fail(where, f"should be {example}.") from None
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise _fail(where, f"should be {kind} between {FIRST_YEAR} and {LAST_YEAR}.")
    return text


PRIORITY_TEXTS = ("title", "practice", "goal", "people", "evidence", "support")
PRIORITY_KEYS = frozenset({*PRIORITY_TEXTS, "start", "end", "resources", "steps", "check_ins", "review"})
STEP_KEYS = frozenset({"text", "status", "due"})
CHECK_IN_KEYS = frozenset({"on", "happened", "evidence_seen"})


def _list(value: Any, most: int, where: str) -> list[Any]:
    if not isinstance(value, list) or len(value) > most:
        raise _fail(where, f"should be a list of at most {most}.")
    return value


def _step(item: Any, where: str) -> Step:
    item = _part(item, STEP_KEYS, where)
    status = item.get("status", "not-started")
    if status not in STEP_STATUSES:
        raise _fail(f"{where}'s status", f"should be one of: {', '.join(STEP_STATUSES)}.")
    return Step(text=_text(item.get("text", ""), f"{where}'s text"), status=status,
                due=_date(item.get("due", ""), f"{where}'s due date"))


def _check_in(item: Any, where: str) -> CheckIn:
    item = _part(item, CHECK_IN_KEYS, where)
    return CheckIn(on=_date(item.get("on", ""), f"{where}'s date"),
                   happened=_text(item.get("happened", ""), f"{where}'s 'what happened'"),
                   evidence_seen=_text(item.get("evidence_seen", ""), f"{where}'s evidence seen"))


def _priority(item: Any, where: str) -> Priority:
    item = _part(item, PRIORITY_KEYS, where)
    texts = {key: item.get(key, "") for key in PRIORITY_TEXTS}
    for key, value in texts.items():  # the usual case, checked quickly (text was checked on parsing)
        if type(value) is not str or len(value) > MAX_TEXT:
            _text(value, f"{where}'s {key}")  # raises with the reason
    resources = item.get("resources", [])
    if not isinstance(resources, list) or len(resources) > MAX_TAGS:
        raise _fail(f"{where}'s resources", "should be a short list.")
    steps, check_ins = item.get("steps", []), item.get("check_ins", [])
    if steps != []:  # the usual empty list needs no check; anything else does
        _list(steps, MAX_STEPS, f"{where}'s steps")
    if check_ins != []:
        _list(check_ins, MAX_CHECK_INS, f"{where}'s check-ins")
    return Priority(
        **texts,
        start=_date(item.get("start", ""), f"{where}'s start date"),
        end=_date(item.get("end", ""), f"{where}'s end date"),
        resources=[_text(r, f"{where}'s resources", MAX_LINE) for r in resources],
        steps=[_step(step, f"{where}'s step {n}") for n, step in enumerate(steps, start=1)],
        check_ins=[_check_in(c, f"{where}'s check-in {n}") for n, c in enumerate(check_ins, start=1)],
        review=_date(item.get("review", ""), f"{where}'s review date"),
    )


ROUND_KEYS = frozenset({"name", "kept_on", "ratings", "notes", "evidence"})


def _round(item: Any, where: str) -> Round:
    item = _part(item, ROUND_KEYS, where)
    return Round(
        name=_text(item.get("name", ""), f"{where}'s name", MAX_LINE),
        kept_on=_date(item.get("kept_on", ""), f"{where}'s date"),
        ratings=_text_map(item.get("ratings", {}), f"{where}'s ratings"),
        notes=_text_map(item.get("notes", {}), f"{where}'s notes"),
        evidence=_text_map(item.get("evidence", {}), f"{where}'s evidence"),
    )


def _rounds(value: Any) -> list[Round]:
    items = _list(value, MAX_ROUNDS, "the kept rounds")
    return [_round(item, f"round {n}") for n, item in enumerate(items, start=1)]


def _action_plan(section: dict[str, Any]) -> ActionPlan:
    items = section.get("priorities", [])
    if not isinstance(items, list) or len(items) > MAX_PRIORITIES:
        raise _fail("the action plan", f"should hold at most {MAX_PRIORITIES} priorities.")
    return ActionPlan([_priority(item, f"priority {n}") for n, item in enumerate(items, start=1)])


SECTIONS = {
    "participant": "the participant details",
    "self_assessment": "the self-assessment",
    "understanding": "workbook 1's answers",
    "claims": "workbook 3's answers",
    "action_plan": "the action plan",
}


def check_shape(data: dict[str, Any]) -> None:
    """Check what every version shares, before any migration runs: each part is a set of answers."""
    for key, where in SECTIONS.items():
        if key in data and not isinstance(data[key], dict):
            if data[key] is None and data["version"] == 1 and key == "self_assessment":
                continue  # version 1 wrote null for an untouched self-assessment
            raise _fail(where, "should be a set of answers.")
    if data["version"] == 1:  # version 1 kept the name and role at the top level
        for key in ("name", "role"):
            if key in data:
                _text(data[key], f"the {key}")


def has_broken_text(value: Any) -> bool:
    """True if any text (or key) anywhere in parsed JSON holds a lone surrogate."""
    if isinstance(value, str):
        return broken_text(value)
    if isinstance(value, dict):
        return any(broken_text(k) or has_broken_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_broken_text(v) for v in value)
    return False


FILE_KEYS = frozenset({"format", "version", "participant", "self_assessment", "understanding", "claims",
                       "action_plan", "framework", "saved_at", "kind", "team"})
TEAM_KEYS = frozenset({"members", "combined", "names_shown", "started", "consensus"})
AGREEMENT_TEXTS = ("rating", "reasons", "evidence_needed", "who_finds")
AGREEMENT_KEYS = frozenset({*AGREEMENT_TEXTS, "split", "agreed_at"})
PARTICIPANT_KEYS = frozenset({"name", "role", "team"})
SELF_ASSESSMENT_KEYS = frozenset({"ratings", "notes", "evidence", "reflections", "rounds"})
UNDERSTANDING_KEYS = frozenset({"vignettes", "myths", "reflections"})
CLAIMS_KEYS = frozenset({"judgements", "verdict"})
PLAN_KEYS = frozenset({"priorities"})


def build_work(data: dict[str, Any]) -> Work:
    """The ``Work`` a (migrated) work file holds; ``WorkFileError`` says what is wrong."""
    _known_keys(data, FILE_KEYS, "the file")
    participant = _section(data, "participant", PARTICIPANT_KEYS, "the participant details")
    section = _section(data, "self_assessment", SELF_ASSESSMENT_KEYS, "the self-assessment")
    understanding = _section(data, "understanding", UNDERSTANDING_KEYS, "workbook 1's answers")
    kind, team = _team(data)
    return Work(
        participant=Participant(**_text_map(participant, "the participant details")),
        self_assessment=SelfAssessment(
            ratings=_text_map(section.get("ratings", {}), "the ratings"),
            notes=_text_map(section.get("notes", {}), "the notes"),
            evidence=_text_map(section.get("evidence", {}), "the evidence"),
            reflections=_text_map(section.get("reflections", {}), "the reflections"),
            rounds=_rounds(section.get("rounds", [])),
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
        framework=_text(data.get("framework", ""), "the framework name", MAX_LINE),
        saved_at=_timestamp(data.get("saved_at", ""), "the time saved"),
        kind=kind,
        team=team,
    )


def _count(value: Any, where: str, most: int) -> int:
    if type(value) is not int or not 0 <= value <= most:
        raise _fail(where, f"should be a whole number from 0 to {most:,}.")
    return value


def _agreement(item: Any, where: str) -> Agreement:
    if not isinstance(item, dict):
        raise _fail(where, "should be a set of answers.")
    _known_keys(item, AGREEMENT_KEYS, where)
    split = item.get("split", {})
    if not isinstance(split, dict) or len(split) > 20:
        raise _fail(f"{where}'s split", "should be a short set of counts.")
    return Agreement(
        rating=_text(item.get("rating", ""), f"{where}'s rating", MAX_LINE),
        reasons=_text(item.get("reasons", ""), f"{where}'s reasons"),
        evidence_needed=_text(item.get("evidence_needed", ""), f"{where}'s evidence needed"),
        who_finds=_text(item.get("who_finds", ""), f"{where}'s 'who will find it'", MAX_LINE),
        split={_text(k, f"{where}'s split", MAX_LINE): _count(v, f"{where}'s split", MAX_MEMBERS)
               for k, v in split.items()},
        agreed_at=_timestamp(item.get("agreed_at", ""), f"{where}'s time recorded"),
    )


def _team(data: dict[str, Any]) -> tuple[str, Team]:
    """Whose work the file holds, and (for a team file) the team's part."""
    kind = data.get("kind", PERSONAL)
    if kind not in (PERSONAL, TEAM):
        raise _fail("the kind of file", f"should be '{PERSONAL}' or '{TEAM}'.")
    section = _section(data, "team", TEAM_KEYS, "the team's part")
    if kind == PERSONAL:
        if section:
            raise _fail("the team's part", "belongs only in a team file.")
        return kind, Team()
    combined = section.get("combined", [])
    if not isinstance(combined, list) or len(combined) > MAX_MEMBERS:
        raise _fail("the list of files combined", f"should be a list of at most {MAX_MEMBERS:,}.")
    names_shown = section.get("names_shown", False)
    if not isinstance(names_shown, bool):
        raise _fail("the team's 'names shown'", "should be true or false.")
    consensus = section.get("consensus", {})
    if not isinstance(consensus, dict):
        raise _fail("the team's answers", "should be a set of answers.")
    return kind, Team(
        members=_count(section.get("members", 0), "the number of members", MAX_MEMBERS),
        combined=[_text(item, "the list of files combined", MAX_LINE) for item in combined],
        names_shown=names_shown,
        started=_date(section.get("started", ""), "the team's start date"),
        consensus={_text(pid, "the team's answers", MAX_LINE): _agreement(item, f"the team's answer for {shown(pid)}")
                   for pid, item in consensus.items()},
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
    for kept in section.rounds:
        checks += [(f"practices (round {shown(kept.name)})", kept.ratings, framework.practices),
                   (f"approaches (round {shown(kept.name)})", kept.notes, framework.approaches),
                   (f"approaches (round {shown(kept.name)})", kept.evidence, framework.approaches)]
    for what, answers, known in checks:
        if answers.keys() <= known.keys():  # the usual case, checked without building a set
            continue
        unknown = sorted(answers.keys() - known.keys())
        if unknown:
            named = ", ".join(shown(u) for u in unknown[:3])
            raise WorkFileError(
                "work-framework",
                f"This work file has answers for {what} that are not in the framework in use "
                f"('{framework.title}'): {named}. It may have been made with another district's "
                "framework; ask your facilitator which one to use.",
            )
    scale = framework.rating_set
    bad = sorted(set(section.ratings.values()).union(*(r.ratings.values() for r in section.rounds)) - scale)
    if work.team.consensus:
        bad = bad or _check_consensus(work.team.consensus, framework, scale)
    if bad:
        raise WorkFileError(
            "work-rating",
            f"This work file has ratings the kit does not know ({', '.join(shown(b) for b in bad[:3])}); "
            f"ratings must be one of: {', '.join(o.label for o in framework.scale)}.",
        )


def _check_consensus(consensus: dict[str, Agreement], framework: Framework, scale: set[str]) -> list[str]:
    """Raise for agreed answers to practices not in ``framework``; return answers not on its scale."""
    unknown = sorted(consensus.keys() - framework.practices.keys())
    if unknown:
        raise WorkFileError(
            "work-framework",
            f"This team file has agreed answers for practices that are not in the framework in use "
            f"('{framework.title}'): {', '.join(shown(u) for u in unknown[:3])}. It may have been made "
            "with another district's framework; ask your facilitator which one to use.",
        )
    agreed = {a.rating for a in consensus.values()} - scale - {NO_AGREEMENT, ""}
    counted = {k for a in consensus.values() for k in a.split} - scale - {"unrated"}
    return sorted(agreed | counted)


# --- checking what a participant typed, before it is saved -----------------------------------


def input_problem(work: Work) -> str:
    """A message for the participant if ``work`` holds something the work file cannot keep, else ""."""
    problems = sorted(filter(None, (_string_problem(text, limit) for text, limit in _typed(work))))
    if problems:
        return problems[0][1]
    for priority in work.action_plan.priorities:
        dates = (priority.start, priority.end, priority.review, *(s.due for s in priority.steps),
                 *(c.on for c in priority.check_ins))
        for value in dates:
            try:
                if value and not date_in_range(date.fromisoformat(value)):
                    return f"Not saved: dates in a plan must be between {FIRST_YEAR} and {LAST_YEAR}. Choose another date."
            except ValueError:
                return "Not saved: a date in your plan is not one the kit can read. Choose it again."
    return ""


def _typed(work: Work):
    """Every text in ``work`` with the most characters it may hold."""
    yield work.framework, MAX_LINE
    for text in asdict(work.participant).values():
        yield text, MAX_LINE
    priorities = work.action_plan.priorities
    for priority in priorities:
        for key in PRIORITY_TEXTS:
            yield getattr(priority, key), MAX_LINE if key in ("title", "people", "practice") else MAX_TEXT
        for resource in priority.resources:
            yield resource, MAX_LINE
        for step in priority.steps:
            yield step.text, MAX_TEXT
        for check_in in priority.check_ins:
            yield check_in.happened, MAX_TEXT
            yield check_in.evidence_seen, MAX_TEXT
    for kept in work.self_assessment.rounds:
        yield kept.name, MAX_LINE
        for answers in (kept.ratings, kept.notes, kept.evidence):
            for key, text in answers.items():
                yield key, MAX_LINE
                yield text, MAX_TEXT
    section, first = work.self_assessment, work.understanding
    maps = [section.ratings, section.notes, section.evidence, section.reflections, first.myths,
            first.reflections, *work.claims.judgements.values()]
    for answers in maps:
        for key, text in answers.items():
            yield key, MAX_LINE
            yield text, MAX_TEXT
    for key, tags in first.vignettes.items():
        yield key, MAX_LINE
        for tag in tags:
            yield tag, MAX_LINE
    for key in work.claims.judgements:
        yield key, MAX_LINE
    yield work.claims.verdict, MAX_TEXT
    yield work.team.started, MAX_LINE
    for name in work.team.combined:
        yield name, MAX_LINE
    for key, agreement in work.team.consensus.items():
        yield key, MAX_LINE
        yield agreement.rating, MAX_LINE
        yield agreement.who_finds, MAX_LINE
        yield agreement.reasons, MAX_TEXT
        yield agreement.evidence_needed, MAX_TEXT


def _string_problem(text: str, limit: int) -> tuple[int, str] | None:
    if len(text) > limit:
        return 0, (
            f"Not saved: what you just typed is {len(text):,} characters long, and this box holds at "
            f"most {limit:,}. Shorten it and it will save. It is still on screen, and everything "
            "else is saved."
        )
    if broken_text(text):
        return 1, (
            "Not saved: what you just typed holds a character that is not valid text (half of an "
            "emoji or symbol). Delete it and type it again. Everything else is saved."
        )
    return None
