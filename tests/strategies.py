"""Hypothesis strategies for work files: what the screens can produce, and what anyone could send.

``works(framework)`` builds ``Work`` objects a participant could make with the screens (ids from
the kit's content, any text a keyboard or a paste can give, within each box's limit), and sometimes
a team file as the facilitator's screen makes it (``team=False`` or ``True`` for one kind only).
``work_like_json(version)`` builds JSON documents that look like work files of a given version,
right and wrong in every part (a team's part too), for the reader's properties.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from hypothesis import strategies as st

from plkit.analysis import UNRATED
from plkit.claims import load_claims
from plkit.consensus import sync_ratings
from plkit.model import (
    MAX_PRIORITIES,
    NO_AGREEMENT,
    PERSONAL,
    STEP_STATUSES,
    TEAM,
    VERSION,
    CheckIn,
    Round,
    Step,
)
from plkit.understanding import load_understanding
from plkit.validation import FIRST_YEAR, LAST_YEAR, MAX_LINE, MAX_MEMBERS, MAX_TEXT
from plkit.work import (
    ActionPlan,
    Agreement,
    Claims,
    Participant,
    Priority,
    SelfAssessment,
    Team,
    Understanding,
    Work,
)

UNDERSTANDING = load_understanding()
CLAIMS = load_claims()

# Any character but half of a surrogate pair (a browser or a paste never sends a lone one... but
# the reader is tested with them separately).
CHARACTERS = st.characters(exclude_categories=("Cs",))
HOSTILE = [
    "$$", "Raise $$ for laptops", "$x^2$", "\\frac{1}{2}", "<script>alert(1)</script>", "&amp; & <b>",
    "[x](https://example.org)", "![i](http://example.org/i.png)", "# heading", "javascript:alert(1)",
    "`code`", "| a | b |", "line\nbreak", "\t", "\x00", "😀" * 3, "\u202etxet", "e\u0301", "\ufeff",
    "https://example.org/" + "a" * 250,
]


def text(limit: int = MAX_TEXT) -> st.SearchStrategy[str]:
    """Text a participant could type or paste into a box holding ``limit`` characters."""
    return st.one_of(
        st.text(CHARACTERS, max_size=40),
        st.sampled_from([h for h in HOSTILE if len(h) <= limit]),
        st.builds(lambda c, n: (c * n)[:limit], st.sampled_from(["a", "é", "😀", "\n", '"', "\\"]),
                  st.sampled_from([limit, limit - 1, limit // 2])),
    )


def line() -> st.SearchStrategy[str]:
    return text(MAX_LINE)


def iso_day() -> st.SearchStrategy[str]:
    return st.dates(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)).map(date.isoformat)


def saved_at() -> st.SearchStrategy[str]:
    moments = st.datetimes(datetime(FIRST_YEAR, 1, 2), datetime(LAST_YEAR, 12, 30),
                           timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=-5)),
                                                      timezone(timedelta(hours=13))]))
    return st.one_of(st.just(""), moments.map(lambda m: m.isoformat(timespec="seconds")))


def _answers(keys, values) -> st.SearchStrategy[dict[str, str]]:
    return st.dictionaries(st.sampled_from(sorted(keys)), values, max_size=len(keys)) if keys else st.just({})


@st.composite
def priorities(draw, framework) -> Priority:
    practices = sorted(framework.practices)
    resources = sorted(r.id for t in framework.themes for r in t.resources)
    start, end = draw(st.one_of(st.just(""), iso_day())), draw(st.one_of(st.just(""), iso_day()))
    if start and end and end < start:
        start, end = end, start  # the screen refuses an end before the start
    return Priority(
        title=draw(line().filter(str.strip)),
        practice=draw(st.one_of(st.just(""), st.sampled_from(practices))),
        goal=draw(text()),
        steps=draw(st.lists(st.builds(Step, text=text(), status=st.sampled_from(STEP_STATUSES),
                                      due=st.one_of(st.just(""), iso_day())), max_size=4)),
        people=draw(line()),
        start=start,
        end=end,
        evidence=draw(text()),
        support=draw(text()),
        resources=draw(st.lists(st.sampled_from(resources), unique=True, max_size=4)) if resources else [],
        check_ins=draw(st.lists(st.builds(CheckIn, on=iso_day(), happened=text(), evidence_seen=text()), max_size=2)),
        review=draw(st.one_of(st.just(""), iso_day())),
    )


def splits(framework) -> st.SearchStrategy[dict[str, int]]:
    """The group's split saved beside an answer: every rating and not-rated (as recorded), some, or none."""
    keys = [*framework.rating_ids, UNRATED]
    count = st.integers(0, MAX_MEMBERS)
    return st.one_of(st.just({}), st.fixed_dictionaries(dict.fromkeys(keys, count)),
                     st.dictionaries(st.sampled_from(keys), count, max_size=len(keys)))


@st.composite
def agreements(draw, framework) -> Agreement:
    """The team's answer for a practice: recorded (complete, as the screen insists) or still open."""
    answers = [*framework.rating_ids, NO_AGREEMENT]
    if draw(st.booleans()):  # recorded
        rating = draw(st.sampled_from(answers))
        needed = text().filter(str.strip)
        return Agreement(
            rating=rating,
            reasons=draw(text() if rating == NO_AGREEMENT else needed),
            evidence_needed=draw(needed if rating == NO_AGREEMENT else text()),
            who_finds=draw(line().filter(str.strip) if rating == NO_AGREEMENT else line()),
            split=draw(splits(framework)),
            agreed_at=draw(saved_at().filter(bool)),
        )
    return Agreement(rating=draw(st.sampled_from(["", *answers])), reasons=draw(text()),
                     evidence_needed=draw(text()), who_finds=draw(line()), split=draw(splits(framework)))


ANONYMOUS_ID = st.text("0123456789abcdef", min_size=10, max_size=10).map(lambda h: f"file-{h}")


@st.composite
def team_works(draw, framework) -> Work:
    """A team file as the facilitator's screen makes it: the team's name, who was combined (by
    anonymous id, or by name when names are on), the answers so far, and the team's plan."""
    names_shown = draw(st.booleans())
    combined = draw(st.lists(line() if names_shown else ANONYMOUS_ID, max_size=6))
    work = Work(
        participant=Participant(team=draw(line())),
        action_plan=ActionPlan(draw(st.lists(priorities(framework), max_size=MAX_PRIORITIES))),
        framework=framework.id,
        saved_at=draw(saved_at()),
        kind=TEAM,
        team=Team(members=len(combined), combined=combined, names_shown=names_shown,
                  started=draw(st.one_of(st.just(""), iso_day())),
                  consensus=draw(_answers(framework.practices, agreements(framework)))),
    )
    sync_ratings(work, framework)  # the team file's ratings are its recorded answers on the scale
    return work


def works(framework, team: bool | None = None) -> st.SearchStrategy[Work]:
    """Any work the screens could produce with ``framework``: one person's, or (sometimes) a
    team's; ``team=False`` or ``True`` for one kind only."""
    if team is None:
        return st.one_of(personal_works(framework), personal_works(framework), team_works(framework))
    return team_works(framework) if team else personal_works(framework)


@st.composite
def personal_works(draw, framework) -> Work:
    """Any work the five screens could produce with ``framework``."""
    tags = sorted(UNDERSTANDING.tags)
    question_options = {q.id: [o.id for o in q.options] for q in CLAIMS.questions}
    judgement = st.fixed_dictionaries(
        {}, optional={q: st.sampled_from(options) for q, options in question_options.items()}
    )
    return Work(
        participant=Participant(
            name=draw(line()), role=draw(st.sampled_from(["", "teacher", "school leader", "coach"])),
            team=draw(line()),
        ),
        self_assessment=SelfAssessment(
            ratings=draw(_answers(framework.practices, st.sampled_from(framework.rating_ids))),
            notes=draw(_answers(framework.approaches, text())),
            evidence=draw(_answers(framework.approaches, text())),
            reflections=draw(_answers(framework.prompts, text())),
            rounds=draw(st.lists(st.builds(
                Round, name=line(), kept_on=iso_day(),
                ratings=_answers(framework.practices, st.sampled_from(framework.rating_ids)),
                notes=_answers(framework.approaches, text()), evidence=_answers(framework.approaches, text())),
                max_size=2)),
        ),
        understanding=Understanding(
            vignettes=draw(_answers([v.id for v in UNDERSTANDING.vignettes],
                                    st.lists(st.sampled_from(tags), min_size=1, max_size=3, unique=True))),
            myths=draw(_answers([m.id for m in UNDERSTANDING.myths], st.sampled_from(["myth", "fact"]))),
            reflections=draw(_answers([p.id for p in UNDERSTANDING.prompts], text())),
        ),
        claims=Claims(
            judgements=draw(_answers([c.id for c in CLAIMS.claims], judgement)),
            verdict=draw(text()),
        ),
        action_plan=ActionPlan(draw(st.lists(priorities(framework), max_size=MAX_PRIORITIES))),
        framework=framework.id,
        saved_at=draw(saved_at()),
        kind=PERSONAL,
    )


# --- anything that looks like a work file --------------------------------------------------

JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
    st.sampled_from(["", "\ud800", "9999-12-31", "0001-01-01T00:00:00+05:00", "x" * 20_001]),
)
ANY_JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)


def _maybe(valid) -> st.SearchStrategy:
    """Mostly a part of the right shape, sometimes anything at all."""
    return st.one_of(valid, valid, valid, ANY_JSON)


def _map(keys) -> st.SearchStrategy:
    return st.dictionaries(st.one_of(st.sampled_from(keys), st.text(max_size=5)), _maybe(JSON_SCALARS), max_size=5)


def work_like_json(framework, version: int | None = None) -> st.SearchStrategy[dict]:
    """JSON documents shaped like a work file of ``version`` (any, if None), right and wrong."""
    practices, approaches = sorted(framework.practices), sorted(framework.approaches)
    versions = st.just(version) if version else st.sampled_from([1, 2, 3, 4, 5, VERSION, VERSION, VERSION + 1])
    ratings = st.dictionaries(st.sampled_from(practices), st.sampled_from([*framework.rating_ids, "x"]), max_size=5)
    kept = st.fixed_dictionaries(
        {}, optional={"name": _maybe(st.text(max_size=10)), "kept_on": _maybe(st.sampled_from(["2026-09-01", "1999-01-01", "x"])),
                      "ratings": _maybe(ratings), "notes": _maybe(_map(approaches)), "evidence": _map(approaches)},
    )
    section = st.fixed_dictionaries(
        {}, optional={"ratings": _maybe(ratings), "notes": _maybe(_map(approaches)),
                      "evidence": _map(approaches), "reflections": _map(sorted(framework.prompts)),
                      "rounds": _maybe(st.lists(_maybe(kept), max_size=3))},
    )
    step = st.fixed_dictionaries(
        {}, optional={"text": _maybe(st.text(max_size=10)), "status": _maybe(st.sampled_from([*STEP_STATUSES, "Done", ""])),
                      "due": _maybe(st.sampled_from(["", "2026-10-01", "2126-01-01", "soon"]))},
    )
    check_in = st.fixed_dictionaries(
        {}, optional={"on": _maybe(iso_day()), "happened": _maybe(st.text(max_size=10)),
                      "evidence_seen": JSON_SCALARS},
    )
    priority = st.fixed_dictionaries(
        {}, optional={"title": _maybe(st.text(max_size=10)), "start": _maybe(iso_day()),
                      "end": _maybe(st.sampled_from(["9999-12-31", "2026-13-01", "2026-09-01"])),
                      "resources": _maybe(st.lists(st.text(max_size=5), max_size=3)), "goal": JSON_SCALARS,
                      "first_steps": _maybe(st.sampled_from(["", "Pilot\nShare", "\n".join(["s"] * 25)])),
                      "steps": _maybe(st.lists(_maybe(step), max_size=3)),
                      "check_ins": _maybe(st.lists(_maybe(check_in), max_size=2)),
                      "review": _maybe(st.sampled_from(["", "2027-01-15", "2027-02-30"]))},
    )
    understanding = st.fixed_dictionaries(
        {}, optional={"vignettes": _maybe(st.dictionaries(st.sampled_from(["stations", "x"]),
                                                          _maybe(st.lists(st.sampled_from(["agency", "nope"]))))),
                      "myths": _maybe(_map(["only-gifted"])), "reflections": _map(["question"])},
    )
    team_file = st.fixed_dictionaries(  # the team's part checked with the rest right
        {"format": st.just("plkit-work"), "version": versions,
         "kind": st.sampled_from([TEAM, TEAM, TEAM, PERSONAL, "club"]),
         "team": st.one_of(_team_part(framework, wrong=False), _team_part(framework, wrong=False),
                           _maybe(_team_part(framework)))},
        optional={"self_assessment": st.fixed_dictionaries({"ratings": st.dictionaries(
                      st.sampled_from(practices), st.sampled_from(framework.rating_ids), max_size=5)}),
                  "participant": st.fixed_dictionaries({"team": st.text(CHARACTERS, max_size=10)}),
                  "saved_at": saved_at()},
    )
    any_file = st.fixed_dictionaries(
        {"format": st.sampled_from(["plkit-work", "plkit-work", "plkit-work", "other"]), "version": versions},
        optional={
            "participant": _maybe(st.fixed_dictionaries({}, optional={"name": _maybe(st.text(max_size=10)),
                                                                       "role": st.text(max_size=5)})),
            "name": _maybe(st.text(max_size=10)),
            "self_assessment": _maybe(section),
            "understanding": _maybe(understanding),
            "claims": _maybe(st.fixed_dictionaries({}, optional={"judgements": ANY_JSON, "verdict": JSON_SCALARS})),
            "action_plan": _maybe(st.fixed_dictionaries({}, optional={"priorities": _maybe(st.lists(priority, max_size=4))})),
            "saved_at": _maybe(saved_at()),
            "framework": _maybe(st.text(max_size=5)),
            "kind": _maybe(st.sampled_from([PERSONAL, TEAM, TEAM, "Team", ""])),
            "team": _maybe(_team_part(framework)),
        },
    )
    return st.one_of(any_file, any_file, team_file)


def _rarely_wrong(valid) -> st.SearchStrategy:
    """A part of the right shape, now and then anything at all (a team part has many: were each
    often wrong, a whole team part would hardly ever be read)."""
    return st.one_of(*[valid] * 7, ANY_JSON)


def _team_part(framework, wrong: bool = True) -> st.SearchStrategy[dict]:
    """A team file's team part: counts, lists, dates, answers and their splits; ``wrong`` or not."""
    def maybe(valid):
        return _rarely_wrong(valid) if wrong else valid

    count = st.one_of(st.integers(0, MAX_MEMBERS), st.integers(0, 40),
                      *([st.sampled_from([-1, MAX_MEMBERS + 1, True, 2.0, "3"])] if wrong else []))
    odd = ["x"] if wrong else []
    answers = [*framework.rating_ids, NO_AGREEMENT, ""]
    split = st.dictionaries(st.sampled_from([*framework.rating_ids, UNRATED, *odd]), count, max_size=5)
    agreement = st.fixed_dictionaries(
        {}, optional={"rating": maybe(st.sampled_from([*answers, *odd, *(["No agreement"] if wrong else [])])),
                      "reasons": maybe(st.text(CHARACTERS, max_size=10)),
                      "evidence_needed": maybe(st.text(CHARACTERS, max_size=10)),
                      "who_finds": maybe(st.sampled_from(["", "Ana", *(["x" * 201] if wrong else [])])),
                      "split": maybe(split), "agreed_at": maybe(saved_at())},
    )
    practices = st.sampled_from([*sorted(framework.practices), *odd])
    return st.fixed_dictionaries(
        {}, optional={"members": maybe(count), "combined": maybe(st.lists(ANONYMOUS_ID, max_size=4)),
                      "names_shown": maybe(st.booleans()), "started": maybe(iso_day()),
                      "consensus": maybe(st.dictionaries(practices, maybe(agreement), max_size=4))},
    )


def to_bytes(document: dict) -> bytes:
    """A document as a file would hold it (lone surrogates written as JSON escapes, as a browser might)."""
    return json.dumps(document).encode("ascii")
