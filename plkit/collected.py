"""The facilitator's collected group, kept as copies in ``my_work/group`` so it survives a reload.

Each file added is copied as ``0001-<plain name>.json``; ``index.json`` keeps the order and the
name each one is shown by. Every write is atomic (a temporary file, then a rename), so a copy is
either whole or absent; the index is written last, so a copy it does not list is never read.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

from filelock import FileLock, Timeout

from plkit.files import FileProblem, display_name, read_regular_file, write_atomic
from plkit.work import MAX_BYTES

GROUP_FOLDER = "group"
INDEX = "index.json"
INDEX_FORMAT = "plkit-collected-group"
MAX_INDEX_BYTES = 10_000_000  # far above 5,000 entries
_COPY = re.compile(r"^(\d{4,})-[A-Za-z0-9._-]*\.json$")
_TEMP_PREFIX, _TEMP_SUFFIX = ".plkit-", ".tmp"


def copy_name(number: int, name: str) -> str:
    """A safe file name for the ``number``-th copy of ``name``: ``0007-ana-s-work.json``."""
    stem = name[:-5] if name.lower().endswith(".json") else name
    plain = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.")[:60]
    return f"{number:04d}-{plain or 'file'}.json"


def shown_path(path: Path) -> str:
    """A path as a facilitator would look for it (from this folder when it is below it), safe to show."""
    try:
        return display_name(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return display_name(path)


class CollectedFiles:
    """The copies of the files a facilitator collected, in ``work_dir/group``."""

    def __init__(self, work_dir: str | os.PathLike) -> None:
        self.folder = Path(work_dir) / GROUP_FOLDER
        self.index = self.folder / INDEX
        self._lock = FileLock(self.folder / ".lock", timeout=10)

    @property
    def shown_folder(self) -> str:
        return shown_path(self.folder)

    def _entries(self) -> list[dict[str, str]]:
        """The index's entries (file, name); [] when there is none or it cannot be read."""
        try:
            data = json.loads(read_regular_file(self.index, MAX_INDEX_BYTES).decode("utf-8"))
        except (FileProblem, ValueError, RecursionError):  # damaged, or nested deeper than any index
            return []
        files = data.get("files") if isinstance(data, dict) and data.get("format") == INDEX_FORMAT else None
        if not isinstance(files, list):
            return []
        return [entry for entry in files
                if isinstance(entry, dict) and isinstance(entry.get("name"), str)
                and isinstance(entry.get("file"), str) and _COPY.match(entry["file"])]

    def names(self) -> list[str]:
        """The names of the files kept, in the order added, without reading the files."""
        return [display_name(entry["name"]) for entry in self._entries()]

    def load(self) -> tuple[list[tuple[str, bytes]], list[str]]:
        """The files kept before, as (name, bytes) in the order added; and any that could not be read back."""
        kept, missing = [], []
        for entry in self._entries():
            try:
                kept.append((display_name(entry["name"]), read_regular_file(self.folder / entry["file"], MAX_BYTES)))
            except FileProblem:
                missing.append(display_name(entry["name"]))
        return kept, missing

    def add(self, files: Iterable[tuple[str, bytes]]) -> str:
        """Keep a copy of every file; "" when all were kept, else a plain message (nothing raised)."""
        files = list(files)
        if not files:
            return ""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with self._lock:
                entries = self._entries()
                numbers = [int(_COPY.match(e["file"]).group(1)) for e in entries]
                number = max(numbers, default=0)
                for name, data in files:
                    number += 1
                    entry = {"file": copy_name(number, name), "name": name}
                    _write_atomic(self.folder / entry["file"], data)
                    entries.append(entry)
                self._write_index(entries)
        except Timeout:
            return (f"The files were not kept in {self.shown_folder}: another open dashboard was busy "
                    "saving there. They are in the group now; after a reload, add them again.")
        except OSError as exc:
            return (f"The files were not kept in {self.shown_folder} ({exc.strerror or exc}). They are in "
                    "the group now; after a reload, add them again.")
        return ""

    def clear(self) -> str:
        """Remove every copy; "" when done, else a plain message."""
        if not self.folder.is_dir():
            return ""
        try:
            with self._lock:
                self.index.unlink(missing_ok=True)  # first: the group is gone even if a copy stays
                for path in self.folder.iterdir():
                    if _COPY.match(path.name) or path.name.startswith(_TEMP_PREFIX):
                        path.unlink(missing_ok=True)
        except Timeout:
            return "The kept copies were not removed: another open dashboard was busy. Try again in a moment."
        except OSError as exc:
            return f"Some kept copies in {self.shown_folder} could not be removed ({exc.strerror or exc})."
        return ""

    def _write_index(self, entries: list[dict[str, str]]) -> None:
        data = json.dumps({"format": INDEX_FORMAT, "version": 1, "files": entries}, indent=1)
        _write_atomic(self.index, data.encode("utf-8"), sync=True)


def _write_atomic(path: Path, data: bytes, sync: bool = False) -> None:
    write_atomic(path, data, prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX, sync=sync)
