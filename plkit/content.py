"""Load and validate the kit's content files (the framework and, later, other content)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from plkit.errors import ContentError
from plkit.tables import MAX_CONTENT_BYTES, Table, column_letter, read_table, shown  # noqa: F401 (re-exported)

FRAMEWORK_FILE = "framework.csv"
REQUIRED_COLUMNS = ("type", "id", "parent", "text", "detail", "source")
ROW_TYPES = ("framework", "scale", "theme", "approach", "practice", "resource", "prompt")
_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")
# Ids the kit itself uses beside the rating scale's (analysis.UNRATED: "not rated yet").
RESERVED_RATING_IDS = frozenset({"unrated", "no-agreement"})  # the kit's own answers
MAX_SCALE = 10


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

    @property
    def rating_set(self) -> frozenset[str]:
        return frozenset(option.id for option in self.scale)

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
    from_setting = path is None and bool(os.environ.get("PLKIT_FRAMEWORK"))
    if path is None:
        path = os.environ.get("PLKIT_FRAMEWORK") or data_dir() / FRAMEWORK_FILE
    try:
        return _build_framework(read_table(Path(path), REQUIRED_COLUMNS))
    except ContentError as exc:
        if not from_setting:
            raise
        raise ContentError(
            exc.code,
            f"{exc.message} (The setting PLKIT_FRAMEWORK chooses this framework file: correct "
            "the file, or remove the setting to use the kit's own framework.)",
        ) from None


def _id_from(title: str) -> str:
    """A usable framework id made from a file name (for a framework without a 'framework' row)."""
    made = re.sub(r"[^a-z0-9._-]+", "-", title.lower()).strip("-._")[:80].strip("-._")
    return made or "framework"


def _build_framework(table: Table) -> Framework:
    name, rows, fail = table.name, table.rows, table.error

    seen: dict[str, tuple[int, str]] = {}
    for number, row in rows:
        if row["type"] not in ROW_TYPES:
            raise fail(
                number,
                "type",
                f"'{shown(row['type'])}' is not a known type; use one of {', '.join(ROW_TYPES)}.",
            )
        if not _ID.fullmatch(row["id"]):
            raise fail(
                number,
                "id",
                f"'{shown(row['id'])}' is not a usable id: use lower-case letters, digits, '.', '-' or '_' (up to 80).",
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
                f"a {row['type']} belongs to a {wanted}, and no {wanted} has the id '{shown(row['parent'])}'.",
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
    if len(scale) > MAX_SCALE:
        number = of_type("scale")[MAX_SCALE][0]
        raise fail(number, "type", f"the rating scale can have at most {MAX_SCALE} choices.")
    for number, r in of_type("scale"):
        if r["id"] in RESERVED_RATING_IDS:
            raise fail(
                number,
                "id",
                f"'{r['id']}' cannot be a rating id: the kit uses it for practices not rated (or not agreed) yet. "
                "Give this rating another id.",
            )

    practices = {
        r["id"]: Practice(r["id"], r["parent"], r["text"], r["source"])
        for _, r in of_type("practice")
    }
    practices_of: dict[str, list[Practice]] = {}
    for practice in practices.values():
        practices_of.setdefault(practice.approach_id, []).append(practice)
    approaches = {}
    for number, r in of_type("approach"):
        own = tuple(practices_of.get(r["id"], ()))
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
    title = Path(name).stem or name
    framework_id, description = _id_from(title), ""
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
