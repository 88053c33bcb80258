"""The work file: one JSON document per participant holding every workbook's answers."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from plkit.content import Framework
from plkit.errors import WorkFileError
from plkit.files import FileProblem, display_name, read_regular_file, write_atomic
from plkit.model import (  # noqa: F401  (re-exported: the work file's model)
    FORMAT,
    MAX_PRIORITIES,
    MAX_STEPS,
    VERSION,
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
from plkit.validation import (  # noqa: F401
    HOW_TO_FIX,
    MAX_LINE,
    MAX_TEXT,
    build_work,
    check_against,
    check_shape,
    has_broken_text,
)

# Far above what the screens can write for the shipped framework (every box full of emoji is
# about 5 MB); a save that would pass it is refused before anything is written.
MAX_BYTES = 8_000_000
WORK_FILE_NAME = "plkit-work.json"
TEAM_FILE_NAME = "plkit-team.json"  # a team's agreed answers, kept beside (never in place of) personal work
TEMP_PREFIX, TEMP_SUFFIX = ".plkit-", ".tmp"  # a save in progress (left behind if it was killed)
# A \uD800-\uDFFF escape: the only way a lone surrogate gets into parsed JSON.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


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
        raw = read_file_bytes(source)
    return parse_work(raw, framework)


def read_file_bytes(path: str | os.PathLike) -> bytes:
    """The bytes of the work file at ``path``: an ordinary file, never more than ``MAX_BYTES`` read."""
    try:
        return read_regular_file(path, MAX_BYTES)
    except FileProblem as exc:
        if exc.code == "file-missing":
            raise WorkFileError("work-missing", f"There is no work file at {display_name(path)}.") from None
        if exc.code == "file-too-large":
            raise WorkFileError("work-too-large", f"{display_name(path)} was not read: {exc.message}. {HOW_TO_FIX}") from None
        raise WorkFileError("work-unreadable", f"{display_name(path)} was not read: {exc.message}.") from None


def parse_work(raw: bytes, framework: Framework | None = None) -> Work:
    """Validate the bytes of a work file and return the ``Work`` they hold."""
    if len(raw) > MAX_BYTES:
        raise _too_large(len(raw))
    if not raw or raw.isspace():
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
    except (ValueError, RecursionError):  # ValueError: bad JSON, or a number thousands of digits long
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
            f"This work file was saved by a newer plkit (file version {version if version < 1000 else 'unknown'}; this kit reads up to "
            f"version {VERSION}). Ask your facilitator to update the kit, then load it again.",
        )
    check_shape(data)
    if _SURROGATE_ESCAPE.search(raw) and _has_broken_text(data):
        raise WorkFileError(
            "work-invalid",
            f"This work file is damaged: it holds characters that are not valid text. {HOW_TO_FIX}",
        )
    data = migrate(data)
    work = build_work(data)
    if framework is not None:
        check_against(work, framework)
    return work


def _has_broken_text(data: dict[str, Any]) -> bool:
    try:
        return has_broken_text(data)
    except RecursionError:  # nested deeper than any work file: damaged all the same
        return True


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Upgrade an older work file, one version at a time, to the current version."""
    while data["version"] < VERSION:  # each step returns a new dict; the caller's is left alone
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


def _v3_to_v4(data: dict[str, Any]) -> dict[str, Any]:
    """Version 4 added workbooks 3 and 4 (research claims, action plan)."""
    return {**data, "claims": {}, "action_plan": {}, "version": 4}


def _v4_to_v5(data: dict[str, Any]) -> dict[str, Any]:
    """Version 5 added team files: every earlier file is one person's."""
    return {**data, "kind": "personal", "team": {}, "version": 5}


def _v5_to_v6(data: dict[str, Any]) -> dict[str, Any]:
    """Version 6 added rounds of the self-assessment, and plan steps with a status and a due date
    (each line of the old 'first steps' box becomes a step, not started), check-ins and a review date."""
    data = dict(data)
    section = data.get("self_assessment")
    if isinstance(section, dict):
        data["self_assessment"] = {**section, "rounds": []}
    plan = data.get("action_plan")
    if isinstance(plan, dict) and isinstance(plan.get("priorities"), list):
        data["action_plan"] = {**plan, "priorities": [_v6_priority(item) for item in plan["priorities"]]}
    data["version"] = 6
    return data


def _v6_priority(item: Any) -> Any:
    if not isinstance(item, dict):
        return item  # the checks after migration say what is wrong
    item = dict(item)
    first_steps = item.pop("first_steps", "")
    if not isinstance(first_steps, str):
        item["steps"] = first_steps  # not text: refused by the checks after migration, with the reason
        return item
    lines = [line.strip() for line in first_steps.splitlines() if line.strip()]
    if len(lines) > MAX_STEPS:  # never lose a line: the last step keeps the rest
        lines = lines[:MAX_STEPS - 1] + ["\n".join(lines[MAX_STEPS - 1:])]
    item["steps"] = [{"text": line, "status": "not-started", "due": ""} for line in lines]
    return item


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
}


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


# --- writing -----------------------------------------------------------------------------


def write_work(work: Work, path: str | os.PathLike) -> Path:
    """Write ``work`` to ``path`` atomically: a temporary file, fsync, then rename.

    Only a file the kit can open again is written: anything else raises ``WorkFileError`` and
    leaves what was saved before unchanged.
    """
    path = Path(path)
    data = work_bytes(work)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, data, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)


def work_bytes(work: Work) -> bytes:
    """The work file's bytes, checked to open again; ``WorkFileError`` if they would not."""
    try:
        data = work.to_json().encode("utf-8")
    except UnicodeEncodeError:
        raise WorkFileError(
            "work-not-saved",
            "Not saved: some text holds a character that is not valid text (half of an emoji or symbol).",
        ) from None
    if len(data) > MAX_BYTES:
        raise WorkFileError(
            "work-not-saved",
            f"Not saved: your work would make a file of {len(data) / 1_000_000:.1f} MB, more than the "
            f"{MAX_BYTES // 1_000_000} MB a work file may hold. Shorten some long answers.",
        )
    try:
        parse_work(data)
    except WorkFileError as exc:
        raise WorkFileError("work-not-saved", f"Not saved: {exc.message}") from None
    return data


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def default_work_dir() -> Path:
    """``$PLKIT_WORK_DIR`` if set, else ``my_work/`` in the current folder (beside the workbooks)."""
    return Path(os.environ.get("PLKIT_WORK_DIR") or Path.cwd() / "my_work")
