"""Workbook 3's content (research claims, the checker's questions, the FAQ beside the reports)
and the checks of a participant's judgements."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from plkit.content import Table, data_dir, read_table
from plkit.errors import ContentError

FOLDER = "claims"
EVIDENCE = {"primary": "Seen in the primary source", "secondary": "Quoted secondhand"}
SEED_SIDES = ("faq", "report", "critic", "notice")
SEED_EVIDENCE = {
    "quoted": "Quoted from the FAQ",
    "primary": "Seen in the primary source",
    "secondary": "Quoted secondhand",
    "plkit": "plkit's reading",
}
NOT_REPORTED = "not reported here"
# The checker's five questions; questions.csv words them and gives their answer options.
QUESTIONS = ("compared", "size", "sure", "who", "cause")
UNSURE = "unsure"  # an answer option that is never right or wrong: the feedback just explains
# What a claim's number measures (effect_metric). Only an effect size in SD, measured against a
# comparison group, is translated (percentiles, WWC index, months) and put in the side-by-side
# chart; every other kind says why not, in words a teacher can use.
EFFECT_METRIC = "SD (effect size)"
NOT_TRANSLATED = {
    "SD growth vs national norms": (
        "growth compared with national norms on the test, with no comparison group of similar "
        "students, so it is not an effect of the program"
    ),
    "r (correlation)": "a correlation, not an effect",
    "EEF months": "EEF months of progress, which plkit does not turn into SD",
}
METRICS = (EFFECT_METRIC, *NOT_TRANSLATED)
NO_EFFECT_REPORTED = "no effect size is reported here"
# Answers to "compared with what?" that leave no comparison group: such a claim's number is
# never an effect size (the loader refuses EFFECT_METRIC for it).
NO_COMPARISON = ("norms", "none")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
# fmt: off
CLAIM_COLUMNS = (
    "id", "short", "claim", "study", "design", "sample", "comparison", "outcome", "effect_size",
    "ci_low", "ci_high", "interval", "effect_metric", "effect_reported", "significance", "caveats",
    "evidence", "source", "source_note",
)
CLAIM_FILLED = (
    "id", "short", "claim", "study", "design", "sample", "comparison", "outcome", "effect_reported",
    "significance", "evidence", "source", "source_note",
)
# fmt: on


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    detail: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    hint: str
    options: tuple[Option, ...]

    def label(self, option_id: str) -> str:
        return next((o.label for o in self.options if o.id == option_id), option_id)


@dataclass(frozen=True)
class Expected:
    """plkit's reading of one claim for one question, and why."""

    answer: str
    also: frozenset[str]  # other answers that are reasonable too
    feedback: str


@dataclass(frozen=True)
class Claim:
    id: str
    short: str
    claim: str
    study: str
    design: str
    sample: str
    comparison: str
    outcome: str
    effect_size: float | None
    ci_low: float | None
    ci_high: float | None
    interval: str  # what ci_low..ci_high is: "95% confidence interval", "range of reported effects"
    effect_metric: str
    effect_reported: str
    significance: str
    caveats: str
    evidence: str  # "primary" or "secondary"
    source: str
    source_note: str
    expected: dict[str, Expected]  # question id -> plkit's reading

    @property
    def is_effect(self) -> bool:
        """True when the number (or range) is an effect size in SD against a comparison group:
        the only kind that is charted side by side."""
        return self.effect_metric == EFFECT_METRIC and (
            self.effect_size is not None or self.ci_low is not None
        )

    @property
    def translatable(self) -> bool:
        """True when there is one effect size in SD to translate into percentiles and months."""
        return self.is_effect and self.effect_size is not None

    @property
    def why_not_an_effect(self) -> str:
        """Why the claim's number is not charted or translated ("" when it is an effect size)."""
        if self.is_effect:
            return ""
        if self.effect_size is None and self.ci_low is None:
            return NO_EFFECT_REPORTED
        return NOT_TRANSLATED[self.effect_metric]


@dataclass(frozen=True)
class SeedPassage:
    id: str
    side: str  # one of SEED_SIDES
    title: str
    text: str
    evidence: str  # one of SEED_EVIDENCE
    source: str


@dataclass(frozen=True)
class ClaimsContent:
    claims: tuple[Claim, ...]
    questions: tuple[Question, ...]
    seed: tuple[SeedPassage, ...]

    def claim(self, claim_id: str) -> Claim:
        return next(c for c in self.claims if c.id == claim_id)

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)


# --- loading ----------------------------------------------------------------------------------


def _checked(table: Table, filled: tuple[str, ...], *, ids: bool = True) -> None:
    """Required cells are filled and (with ``ids``) every row has a new, usable id."""
    seen: dict[str, int] = {}
    for number, row in table.rows:
        for column in filled:
            if not row[column]:
                raise table.error(number, column, "this cell is empty.")
        if not ids:
            continue
        if not _ID.match(row["id"]):
            raise table.error(
                number,
                "id",
                f"'{row['id']}' is not a usable id: use lower-case letters, digits, '.', '-' or '_'.",
            )
        if row["id"] in seen:
            raise table.error(
                number, "id", f"the id '{row['id']}' is already used in row {seen[row['id']]}."
            )
        seen[row["id"]] = number


def _number(table: Table, number: int, column: str, text: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace("\u2212", "-"))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise table.error(
            number, column, f"'{text}' is not a number; leave the cell empty if it is not known."
        )
    return value


def _questions(folder: Path) -> tuple[Question, ...]:
    table = read_table(folder / "questions.csv", ("question", "option", "text", "detail"))
    _checked(table, ("question", "text"), ids=False)
    texts: dict[str, tuple[str, str]] = {}
    rows: dict[str, int] = {}
    options: dict[str, list[Option]] = {}
    for number, row in table.rows:
        question = row["question"]
        if question not in QUESTIONS:
            raise table.error(
                number, "question", f"'{question}' is not a question; use {', '.join(QUESTIONS)}."
            )
        if not row["option"]:
            if question in texts:
                raise table.error(
                    number, "question", f"the question '{question}' is defined twice."
                )
            texts[question] = (row["text"], row["detail"])
            rows[question] = number
            options[question] = []
            continue
        if question not in texts:
            raise table.error(
                number,
                "question",
                f"put the row for the question '{question}' (with no option) before its options.",
            )
        if any(o.id == row["option"] for o in options[question]) or not _ID.match(row["option"]):
            raise table.error(
                number,
                "option",
                f"'{row['option']}' is not a new, usable option id for this question.",
            )
        options[question].append(Option(row["option"], row["text"], row["detail"]))
    missing = [q for q in QUESTIONS if q not in texts]
    if missing:
        raise ContentError(
            "content-invalid", f"{table.name}: the question(s) {', '.join(missing)} are missing."
        )
    for question, opts in options.items():
        if not 2 <= len(opts) <= 5:
            raise table.error(
                rows[question],
                "question",
                f"the question '{question}' needs 2 to 5 options; it has {len(opts)}.",
            )
    return tuple(Question(q, texts[q][0], texts[q][1], tuple(options[q])) for q in QUESTIONS)


def _answers(
    folder: Path, claim_ids: list[str], questions: tuple[Question, ...]
) -> dict[str, dict[str, Expected]]:
    table = read_table(folder / "answers.csv", ("claim", "question", "answer", "also", "feedback"))
    _checked(table, ("claim", "question", "answer", "feedback"), ids=False)
    known = {q.id: {o.id for o in q.options} for q in questions}
    expected: dict[str, dict[str, Expected]] = {c: {} for c in claim_ids}
    for number, row in table.rows:
        if row["claim"] not in expected:
            raise table.error(
                number, "claim", f"no claim has the id '{row['claim']}' in claims.csv."
            )
        if row["question"] not in known:
            raise table.error(
                number,
                "question",
                f"'{row['question']}' is not a question; use {', '.join(known)}.",
            )
        options = known[row["question"]]
        if row["answer"] not in options - {UNSURE}:
            raise table.error(
                number,
                "answer",
                f"'{row['answer']}' is not an option of this question; use {', '.join(sorted(options - {UNSURE}))}.",
            )
        also = frozenset(a.strip() for a in row["also"].split(";") if a.strip())
        if also - options:
            raise table.error(
                number,
                "also",
                f"unknown option(s) {', '.join(sorted(also - options))}; separate options with ';'.",
            )
        if row["question"] in expected[row["claim"]]:
            raise table.error(
                number,
                "question",
                f"the claim '{row['claim']}' already has an answer for '{row['question']}'.",
            )
        expected[row["claim"]][row["question"]] = Expected(row["answer"], also, row["feedback"])
    for claim_id, answers in expected.items():
        missing = [q for q in known if q not in answers]
        if missing:
            raise ContentError(
                "content-invalid",
                f"{table.name}: the claim '{claim_id}' from claims.csv "
                f"has no row for the question(s) {', '.join(missing)}.",
            )
    return expected


def _claims(folder: Path, questions: tuple[Question, ...]) -> tuple[Claim, ...]:
    table = read_table(folder / "claims.csv", CLAIM_COLUMNS)
    _checked(table, CLAIM_FILLED)
    expected = _answers(folder, [row["id"] for _, row in table.rows], questions)
    claims = []
    for number, row in table.rows:
        if row["evidence"] not in EVIDENCE:
            raise table.error(number, "evidence", f"use one of: {', '.join(EVIDENCE)}.")
        values = {
            c: _number(table, number, c, row[c]) for c in ("effect_size", "ci_low", "ci_high")
        }
        low, high, effect = values["ci_low"], values["ci_high"], values["effect_size"]
        if (low is None) != (high is None):
            raise table.error(
                number,
                "ci_high" if high is None else "ci_low",
                "give both ends of the interval, or neither.",
            )
        if low is not None and not row["interval"]:
            raise table.error(
                number, "interval", "say what the interval is (e.g. 95% confidence interval)."
            )
        if low is not None and not low <= (effect if effect is not None else low) <= high:
            raise table.error(
                number, "effect_size", "the effect size must lie between ci_low and ci_high."
            )
        if (effect is not None or low is not None) and not row["effect_metric"]:
            raise table.error(
                number,
                "effect_metric",
                f"say what the number measures: one of {', '.join(METRICS)}.",
            )
        if row["effect_metric"] and row["effect_metric"] not in METRICS:
            raise table.error(
                number,
                "effect_metric",
                f"'{row['effect_metric']}' is not a kind of number plkit knows; "
                f"use one of: {', '.join(METRICS)}.",
            )
        compared = expected[row["id"]]["compared"].answer
        if row["effect_metric"] == EFFECT_METRIC and compared in NO_COMPARISON:
            label = next(q for q in questions if q.id == "compared").label(compared)
            raise table.error(
                number,
                "effect_metric",
                "an effect size needs a comparison group, but answers.csv reads this claim as "
                f"compared with “{label}”; say what the number is instead "
                f"(e.g. {next(iter(NOT_TRANSLATED))}).",
            )
        claims.append(
            Claim(
                **{k: row[k] for k in CLAIM_COLUMNS if k not in values},
                **values,
                expected=expected[row["id"]],
            )
        )
    return tuple(claims)


def _seed(folder: Path) -> tuple[SeedPassage, ...]:
    columns = ("id", "side", "title", "text", "evidence", "source")
    table = read_table(folder / "seed.csv", (*columns, "source_note"))
    _checked(table, (*columns, "source_note"))
    for number, row in table.rows:
        if row["side"] not in SEED_SIDES:
            raise table.error(number, "side", f"use one of: {', '.join(SEED_SIDES)}.")
        if row["evidence"] not in SEED_EVIDENCE:
            raise table.error(number, "evidence", f"use one of: {', '.join(SEED_EVIDENCE)}.")
    return tuple(SeedPassage(**{k: row[k] for k in columns}) for _, row in table.rows)


def load_claims(folder: str | Path | None = None) -> ClaimsContent:
    """Load and check workbook 3's content files."""
    folder = Path(folder) if folder is not None else data_dir() / FOLDER
    questions = _questions(folder)
    return ClaimsContent(_claims(folder, questions), questions, _seed(folder))
