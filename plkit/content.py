"""Load and validate the kit's content files (the framework and, later, other content)."""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from plkit.errors import ContentError

FRAMEWORK_FILE = "framework.csv"
REQUIRED_COLUMNS = ("type", "id", "parent", "text", "detail", "source")
ROW_TYPES = ("framework", "scale", "theme", "approach", "practice", "resource", "prompt")
MAX_CONTENT_BYTES = 2_000_000
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")


@dataclass(frozen=True)
class RatingOption:
    id: str
    label: str
    detail: str
    source: str


@dataclass(frozen=True)
class Practice:
    id: str
    approach_id: str
    text: str
    source: str


@dataclass(frozen=True)
class Approach:
    id: str
    theme_id: str
    text: str
    source: str
    practices: tuple[Practice, ...] = ()


@dataclass(frozen=True)
class Resource:
    id: str
    theme_id: str
    title: str
    description: str
    source: str


@dataclass(frozen=True)
class Prompt:
    id: str
    theme_id: str  # "" for a prompt about the whole framework
    text: str
    source: str


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    intro: str
    source: str
    approaches: tuple[Approach, ...] = ()
    resources: tuple[Resource, ...] = ()
    prompts: tuple[Prompt, ...] = ()

    @property
    def practices(self) -> tuple[Practice, ...]:
        return tuple(p for a in self.approaches for p in a.practices)


@dataclass(frozen=True)
class Framework:
    """Themes, approaches and practices to rate, the rating scale, resources and prompts."""

    id: str
    title: str
    description: str
    scale: tuple[RatingOption, ...]
    themes: tuple[Theme, ...]
    overall_prompts: tuple[Prompt, ...]
    practices: dict[str, Practice] = field(default_factory=dict, compare=False)
    approaches: dict[str, Approach] = field(default_factory=dict, compare=False)
    prompts: dict[str, Prompt] = field(default_factory=dict, compare=False)

    @property
    def rating_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.scale)

    def rating_label(self, rating_id: str) -> str:
        return next(option.label for option in self.scale if option.id == rating_id)

    def theme_of(self, practice_id: str) -> Theme:
        approach_id = self.practices[practice_id].approach_id
        theme_id = self.approaches[approach_id].theme_id
        return next(theme for theme in self.themes if theme.id == theme_id)


def data_dir() -> Path:
    """The folder holding the shipped content: inside the wheel, or ``data/`` in a checkout."""
    packaged = resources.files("plkit") / "data"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "data"


def load_framework(path: str | os.PathLike | None = None) -> Framework:
    """Load a district's own framework CSV, or else ``$PLKIT_FRAMEWORK``, or else the shipped one.

    Setting ``PLKIT_FRAMEWORK`` (before starting JupyterLab or Voilà) makes every workbook use
    the same district framework.
    """
    if path is None:
        path = os.environ.get("PLKIT_FRAMEWORK") or data_dir() / FRAMEWORK_FILE
    path = Path(path)
    return _build_framework(read_table(path, REQUIRED_COLUMNS))


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Table:
    """A CSV file's rows, each with its spreadsheet row number (the header is row 1)."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]

    def error(self, number: int, column: str, message: str) -> ContentError:
        """An error naming the file, row and column (letter and name) of a bad cell."""
        letter = _column_letter(self.header.index(column))
        return ContentError(
            "content-invalid", f"{self.name}, row {number}, column {letter} ({column}): {message}"
        )


def read_table(path: Path, required: tuple[str, ...]) -> Table:
    """Read a CSV file, checking it is UTF-8 text with the required columns."""
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ContentError("content-missing", f"{name}: the file was not found ({path}).") from None
    except OSError as exc:
        raise ContentError(
            "content-unreadable", f"{name}: the file could not be read ({exc.strerror})."
        ) from None
    if len(raw) > MAX_CONTENT_BYTES:
        raise ContentError(
            "content-too-large", f"{name}: the file is larger than 2 MB; is it the right file?"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ContentError(
            "content-encoding",
            f"{name}: the file is not saved as UTF-8 text. In a spreadsheet, save it as 'CSV UTF-8'.",
        ) from None
    if not text.strip():
        raise ContentError("content-empty", f"{name}: the file is empty.")
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ContentError(
            "content-csv", f"{name}: the file is not a readable CSV table ({exc})."
        ) from None
    header = [cell.strip().lower() for cell in table[0]]
    for column in required:
        if column not in header:
            raise ContentError(
                "content-header",
                f"{name}, row 1: the column '{column}' is missing. "
                f"The first row must name the columns {', '.join(required)}.",
            )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            raise ContentError(
                "content-row-length",
                f"{name}, row {number}, column {_column_letter(len(header))}: this row has "
                f"{len(cells)} cells but the header names {len(header)} columns "
                "(a text with a comma needs quotes around it).",
            )
        cells = cells + [""] * (len(header) - len(cells))
        rows.append((number, {column: cell.strip() for column, cell in zip(header, cells, strict=True)}))
    return Table(name, tuple(header), tuple(rows))


def _build_framework(table: Table) -> Framework:
    name, rows, fail = table.name, table.rows, table.error

    seen: dict[str, tuple[int, str]] = {}
    for number, row in rows:
        if row["type"] not in ROW_TYPES:
            raise fail(
                number,
                "type",
                f"'{row['type']}' is not a known type; use one of {', '.join(ROW_TYPES)}.",
            )
        if not _ID.match(row["id"]):
            raise fail(
                number,
                "id",
                f"'{row['id']}' is not a usable id: use lower-case letters, digits, '.', '-' or '_' (up to 80).",
            )
        if row["id"] in seen:
            raise fail(
                number, "id", f"the id '{row['id']}' is already used in row {seen[row['id']][0]}."
            )
        seen[row["id"]] = (number, row["type"])
        if not row["text"]:
            raise fail(number, "text", "the text is empty.")
        if not row["source"]:
            raise fail(
                number, "source", "every item needs a source (where its content comes from)."
            )

    parent_type = {
        "approach": "theme",
        "practice": "approach",
        "resource": "theme",
        "prompt": "theme",
    }
    for number, row in rows:
        wanted = parent_type.get(row["type"])
        if wanted is None:
            if row["parent"]:
                raise fail(
                    number, "parent", f"a {row['type']} row has no parent; leave this cell empty."
                )
            continue
        if not row["parent"] and row["type"] == "prompt":
            continue  # a prompt about the whole framework
        if row["parent"] not in seen or seen[row["parent"]][1] != wanted:
            raise fail(
                number,
                "parent",
                f"a {row['type']} belongs to a {wanted}, and no {wanted} has the id '{row['parent']}'.",
            )

    def of_type(kind: str) -> list[tuple[int, dict[str, str]]]:
        return [(n, r) for n, r in rows if r["type"] == kind]

    meta = of_type("framework")
    if len(meta) > 1:
        raise fail(meta[1][0], "type", "there can be only one 'framework' row.")
    scale = tuple(
        RatingOption(r["id"], r["text"], r["detail"], r["source"]) for _, r in of_type("scale")
    )
    if len(scale) < 2:
        raise ContentError(
            "content-invalid", f"{name}: the rating scale needs at least two 'scale' rows."
        )

    practices = {
        r["id"]: Practice(r["id"], r["parent"], r["text"], r["source"])
        for _, r in of_type("practice")
    }
    approaches = {}
    for number, r in of_type("approach"):
        own = tuple(p for p in practices.values() if p.approach_id == r["id"])
        if not own:
            raise fail(number, "id", f"the approach '{r['id']}' has no practices to rate.")
        approaches[r["id"]] = Approach(r["id"], r["parent"], r["text"], r["source"], own)
    prompts = {
        r["id"]: Prompt(r["id"], r["parent"], r["text"], r["source"]) for _, r in of_type("prompt")
    }
    themes = []
    for number, r in of_type("theme"):
        own = tuple(a for a in approaches.values() if a.theme_id == r["id"])
        if not own:
            raise fail(number, "id", f"the theme '{r['id']}' has no approaches.")
        themes.append(
            Theme(
                r["id"],
                r["text"],
                r["detail"],
                r["source"],
                own,
                tuple(
                    Resource(x["id"], x["parent"], x["text"], x["detail"], x["source"])
                    for _, x in of_type("resource")
                    if x["parent"] == r["id"]
                ),
                tuple(p for p in prompts.values() if p.theme_id == r["id"]),
            )
        )
    if not themes:
        raise ContentError(
            "content-invalid", f"{name}: the framework needs at least one 'theme' row."
        )
    framework_id, title, description = Path(name).stem, Path(name).stem, ""
    if meta:
        row = meta[0][1]
        framework_id, title, description = row["id"], row["text"], row["detail"]
    return Framework(
        id=framework_id,
        title=title,
        description=description,
        scale=scale,
        themes=tuple(themes),
        overall_prompts=tuple(p for p in prompts.values() if not p.theme_id),
        practices=practices,
        approaches=approaches,
        prompts=prompts,
    )
