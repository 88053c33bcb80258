"""Workbook 1's content (attributes, FAQ, vignettes, myths) and the checks of a participant's answers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plkit.content import Table, data_dir, read_table
from plkit.work import Work

FOLDER = "understanding"
TRADITIONAL = "traditional"
ROLES = {"teacher": "Teacher", "school-leader": "School leader", "district": "District leader"}
FAQ_COUNT = 12


@dataclass(frozen=True)
class Attribute:
    id: str
    name: str
    summary: str
    example: str
    source: str


@dataclass(frozen=True)
class FaqItem:
    id: str
    number: int
    question: str
    roles: tuple[str, ...]  # "everyone", or role ids from ROLES
    summary: str
    source: str


@dataclass(frozen=True)
class Vignette:
    id: str
    scene: str
    answer: frozenset[str]  # attribute ids, or {"traditional"}
    also: frozenset[str]  # tags that are reasonable too, and not counted wrong
    explanation: str
    source: str


@dataclass(frozen=True)
class Myth:
    id: str
    statement: str
    answer: str  # "myth" or "fact"
    explanation: str
    faq: int
    source: str


@dataclass(frozen=True)
class Prompt:
    id: str
    text: str
    source: str


@dataclass(frozen=True)
class UnderstandingContent:
    attributes: tuple[Attribute, ...]
    faq: tuple[FaqItem, ...]
    vignettes: tuple[Vignette, ...]
    myths: tuple[Myth, ...]
    prompts: tuple[Prompt, ...]

    @property
    def tags(self) -> dict[str, str]:
        """Every tag a vignette can get, with its label."""
        return {a.id: a.name for a in self.attributes} | {TRADITIONAL: "Mostly traditional"}

    def faq_for(self, role: str) -> tuple[FaqItem, ...]:
        return tuple(item for item in self.faq if role in item.roles)


def _filled(table: Table, columns: tuple[str, ...]) -> None:
    seen = {}
    for number, row in table.rows:
        for column in columns:
            if not row[column]:
                raise table.error(number, column, "this cell is empty.")
        if row["id"] in seen:
            raise table.error(number, "id", f"the id '{row['id']}' is already used in row {seen[row['id']]}.")
        seen[row["id"]] = number


def _load(folder: Path, name: str, columns: tuple[str, ...], must_fill: tuple[str, ...]) -> Table:
    table = read_table(folder / name, columns)
    _filled(table, must_fill)
    return table


def _tags(table: Table, number: int, column: str, text: str, known: set[str]) -> frozenset[str]:
    tags = frozenset(t.strip() for t in text.split(";") if t.strip())
    unknown = sorted(tags - known)
    if unknown:
        raise table.error(number, column, f"unknown tag(s) {', '.join(unknown)}; use {', '.join(sorted(known))}.")
    return tags


def _number(table: Table, number: int, column: str, text: str, top: int) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= top:
        raise table.error(number, column, f"'{text}' should be a question number from 1 to {top}.")
    return int(text)


def load_understanding(folder: str | Path | None = None) -> UnderstandingContent:
    """Load and check workbook 1's content files."""
    folder = Path(folder) if folder is not None else data_dir() / FOLDER
    table = _load(folder, "attributes.csv", ("id", "name", "summary", "example", "source"),
                  ("id", "name", "summary", "example", "source"))
    attributes = tuple(Attribute(**row) for _, row in table.rows)
    tags = {a.id for a in attributes} | {TRADITIONAL}

    table = _load(folder, "faq.csv", ("id", "number", "question", "roles", "summary", "source"),
                  ("id", "number", "question", "summary", "source"))
    faq = []
    for number, row in table.rows:
        roles = tuple(r.strip() for r in row["roles"].split(";") if r.strip()) or ("everyone",)
        if set(roles) - set(ROLES) - {"everyone"}:
            raise table.error(number, "roles", f"use 'everyone' or {', '.join(ROLES)}, separated by ';'.")
        faq.append(FaqItem(row["id"], _number(table, number, "number", row["number"], 99),
                           row["question"], roles, row["summary"], row["source"]))

    table = _load(folder, "vignettes.csv", ("id", "scene", "answer", "also", "explanation", "source"),
                  ("id", "scene", "answer", "explanation", "source"))
    vignettes = tuple(
        Vignette(row["id"], row["scene"], _tags(table, n, "answer", row["answer"], tags),
                 _tags(table, n, "also", row["also"], tags), row["explanation"], row["source"])
        for n, row in table.rows
    )

    table = _load(folder, "myths.csv", ("id", "statement", "answer", "explanation", "faq", "source"),
                  ("id", "statement", "answer", "explanation", "faq", "source"))
    myths = []
    for number, row in table.rows:
        if row["answer"] not in ("myth", "fact"):
            raise table.error(number, "answer", "should be 'myth' or 'fact'.")
        myths.append(Myth(row["id"], row["statement"], row["answer"], row["explanation"],
                          _number(table, number, "faq", row["faq"], len(faq)), row["source"]))

    table = _load(folder, "reflection.csv", ("id", "text", "source"), ("id", "text", "source"))
    prompts = tuple(Prompt(**row) for _, row in table.rows)
    return UnderstandingContent(attributes, tuple(faq), vignettes, tuple(myths), prompts)


# --- checking answers -------------------------------------------------------------------------

@dataclass(frozen=True)
class VignetteFeedback:
    correct: bool
    missed: frozenset[str]  # tags the scene shows that were not chosen
    extra: frozenset[str]  # chosen tags the scene does not show


def check_vignette(vignette: Vignette, chosen: set[str] | list[str]) -> VignetteFeedback:
    chosen = frozenset(chosen)
    missed = vignette.answer - chosen
    extra = chosen - vignette.answer - vignette.also
    return VignetteFeedback(not missed and not extra, missed, extra)


@dataclass(frozen=True)
class Score:
    right: int
    answered: int
    total: int

    @property
    def text(self) -> str:
        return f"{self.right} of {self.answered} answered correctly ({self.total - self.answered} still to do)"


def vignette_score(work: Work, content: UnderstandingContent) -> Score:
    answers = work.understanding.vignettes
    checked = [v for v in content.vignettes if answers.get(v.id)]
    right = sum(check_vignette(v, answers[v.id]).correct for v in checked)
    return Score(right, len(checked), len(content.vignettes))


def myth_score(work: Work, content: UnderstandingContent) -> Score:
    answers = work.understanding.myths
    answered = [m for m in content.myths if m.id in answers]
    return Score(sum(answers[m.id] == m.answer for m in answered), len(answered), len(content.myths))


def activities_done(work: Work, content: UnderstandingContent) -> tuple[int, int]:
    """Scenes sorted, statements answered and reflections written, out of all of them."""
    section = work.understanding
    done = (
        sum(1 for v in content.vignettes if section.vignettes.get(v.id))
        + sum(1 for m in content.myths if m.id in section.myths)
        + sum(1 for p in content.prompts if section.reflections.get(p.id, "").strip())
    )
    return done, len(content.vignettes) + len(content.myths) + len(content.prompts)
