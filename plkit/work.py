"""The work file: one JSON document per participant holding every workbook's answers."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from plkit.content import Framework
from plkit.errors import WorkFileError

FORMAT = "plkit-work"
VERSION = 3
MAX_BYTES = 1_000_000
MAX_TEXT = 20_000
WORK_FILE_NAME = "plkit-work.json"

HOW_TO_FIX = "Use the file that 'Download my work' gave you (its name starts with plkit-work)."


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
class Work:
    """Everything one participant entered, in every workbook."""

    participant: Participant = field(default_factory=Participant)
    self_assessment: SelfAssessment = field(default_factory=SelfAssessment)
    understanding: Understanding = field(default_factory=Understanding)
    framework: str = ""
    saved_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, **asdict(self)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


# --- reading -----------------------------------------------------------------------------


def read_work(source: str | bytes | os.PathLike, framework: Framework | None = None) -> Work:
    """Read and validate a work file from a path, its bytes, or its JSON text.

    A ``str`` starting with ``{`` is taken as JSON text, any other ``str`` as a path.
    With ``framework``, every id and rating must belong to it.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
    elif isinstance(source, str) and source.lstrip().startswith("{"):
        raw = source.encode("utf-8")
    else:
        path = Path(source)
        try:
            if path.stat().st_size > MAX_BYTES:
                raise _too_large(path.stat().st_size)
            raw = path.read_bytes()
        except FileNotFoundError:
            raise WorkFileError("work-missing", f"There is no work file at {path}.") from None
        except IsADirectoryError:
            raise WorkFileError("work-missing", f"{path} is a folder, not a work file.") from None
        except OSError as exc:
            raise WorkFileError(
                "work-unreadable", f"The work file could not be read ({exc.strerror})."
            ) from None
    return parse_work(raw, framework)


def parse_work(raw: bytes, framework: Framework | None = None) -> Work:
    """Validate the bytes of a work file and return the ``Work`` they hold."""
    if len(raw) > MAX_BYTES:
        raise _too_large(len(raw))
    if not raw.strip():
        raise WorkFileError("work-empty", f"This file is empty. {HOW_TO_FIX}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkFileError(
            "work-not-text",
            f"This is not a plkit work file: it is not a text file (perhaps a picture, PDF or Word file). {HOW_TO_FIX}",
        ) from None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise WorkFileError(
            "work-not-json", f"This is not a plkit work file: {_guess_kind(text)} {HOW_TO_FIX}"
        ) from None
    if not isinstance(data, dict):
        raise WorkFileError(
            "work-not-work",
            f"This is not a plkit work file: it holds a list or a single value. {HOW_TO_FIX}",
        )
    if "nbformat" in data and "cells" in data:
        raise WorkFileError(
            "work-notebook", f"This is a Jupyter notebook, not your saved work. {HOW_TO_FIX}"
        )
    if data.get("format") != FORMAT:
        raise WorkFileError(
            "work-format",
            f"This file is not a plkit work file (it does not say format 'plkit-work'). {HOW_TO_FIX}",
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise WorkFileError(
            "work-version",
            f"This work file has no valid version number, so it cannot be read. {HOW_TO_FIX}",
        )
    if version > VERSION:
        raise WorkFileError(
            "work-future",
            f"This work file was saved by a newer plkit (file version {version}; this kit reads up to "
            f"version {VERSION}). Ask your facilitator to update the kit, then load it again.",
        )
    data = migrate(data)
    work = _build(data)
    if framework is not None:
        check_against(work, framework)
    return work


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Upgrade an older work file, one version at a time, to the current version."""
    data = dict(data)
    while data["version"] < VERSION:
        data = MIGRATIONS[data["version"]](data)
    return data


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 kept the name at the top level and had no evidence or reflections."""
    data = dict(data)
    participant = {"name": data.pop("name", ""), "role": data.pop("role", ""), "team": ""}
    data.setdefault("participant", participant)
    section = dict(data.get("self_assessment") or {})
    section.setdefault("evidence", {})
    section.setdefault("reflections", {})
    data["self_assessment"] = section
    data["version"] = 2
    return data


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 added workbook 1's answers."""
    return {**data, "understanding": {}, "version": 3}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2, 2: _v2_to_v3}


def _too_large(size: int) -> WorkFileError:
    return WorkFileError(
        "work-too-large",
        f"This file is too large to be a plkit work file ({size / 1_000_000:.1f} MB; work files are "
        f"well under 1 MB). {HOW_TO_FIX}",
    )


def _guess_kind(text: str) -> str:
    head = text.lstrip()[:200].lower()
    if head.startswith(("{", "[")):
        return "it was cut short or damaged, so it cannot be read."
    if head.startswith("<"):
        return "it looks like a web page or XML file."
    if "," in head.split("\n", 1)[0]:
        return "it looks like a spreadsheet (CSV) file."
    return "it is not in the format the kit saves (JSON)."


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
    return {_text(k, where): _text(v, f"{where} '{k}'") for k, v in value.items()}


def _known_keys(value: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise _fail(where, f"has parts plkit does not know ({', '.join(map(repr, unknown[:3]))}).")


def _section(data: dict[str, Any], key: str, allowed: set[str], where: str) -> dict[str, Any]:
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


def _build(data: dict[str, Any]) -> Work:
    _known_keys(
        data,
        {"format", "version", "participant", "self_assessment", "understanding", "framework", "saved_at"},
        "the file",
    )
    participant = _section(data, "participant", {"name", "role", "team"}, "the participant details")
    section = _section(
        data, "self_assessment", {"ratings", "notes", "evidence", "reflections"}, "the self-assessment"
    )
    understanding = _section(
        data, "understanding", {"vignettes", "myths", "reflections"}, "workbook 1's answers"
    )
    return Work(
        participant=Participant(
            **{k: _text(v, f"the participant's {k}") for k, v in participant.items()}
        ),
        self_assessment=SelfAssessment(
            ratings=_text_map(section.get("ratings", {}), "the ratings"),
            notes=_text_map(section.get("notes", {}), "the notes"),
            evidence=_text_map(section.get("evidence", {}), "the evidence"),
            reflections=_text_map(section.get("reflections", {}), "the reflections"),
        ),
        understanding=Understanding(
            vignettes=_tag_lists(understanding.get("vignettes", {}), "the sorted classroom scenes"),
            myths=_choices(understanding.get("myths", {}), ("myth", "fact"), "the myth-or-fact answers"),
            reflections=_text_map(understanding.get("reflections", {}), "workbook 1's reflections"),
        ),
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
        unknown = sorted(set(answers) - set(known))
        if unknown:
            named = ", ".join(repr(u[:40]) for u in unknown[:3])
            raise WorkFileError(
                "work-framework",
                f"This work file has answers for {what} that are not in the framework in use "
                f"('{framework.title}'): {named}. It may have been made with another district's "
                "framework; ask your facilitator which one to use.",
            )
    bad = sorted({v for v in section.ratings.values() if v not in framework.rating_ids})
    if bad:
        raise WorkFileError(
            "work-rating",
            f"This work file has ratings the kit does not know ({', '.join(repr(b[:40]) for b in bad[:3])}); "
            f"ratings must be one of: {', '.join(o.label for o in framework.scale)}.",
        )


# --- writing -----------------------------------------------------------------------------


def write_work(work: Work, path: str | os.PathLike) -> Path:
    """Write ``work`` to ``path`` atomically: a temporary file, fsync, then rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = work.to_json().encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=".plkit-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def default_work_dir() -> Path:
    """``$PLKIT_WORK_DIR`` if set, else ``my_work/`` in the current folder (beside the workbooks)."""
    return Path(os.environ.get("PLKIT_WORK_DIR") or Path.cwd() / "my_work")
