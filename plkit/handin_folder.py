"""The hand-ins on disk, as the hand-in service keeps them: one folder per person, bounded in size.

Each person's folder is named from a bounded, collision-free form of their hub name (a readable
start and a hash of the whole name), so any name fits a file system's 255-byte limit; the name
itself is kept in the folder's ``user.json`` for the listing. In it, ``current.json`` is the
newest hand-in and ``earlier/`` holds the ones it replaced. A hand-in is kept as the kit writes
it (read, then written again): spaces padding a file take no room. Earlier hand-ins are pruned,
oldest first, to ``KEEP_EARLIER`` files and ``PERSON_BYTES`` per person; a hand-in that would
take the whole folder past its total limit is refused with a plain message.

Folders named the old way (the hub name %-escaped, before ``user.json`` existed) are still read,
and moved to the new name at that person's next hand-in.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote, unquote

from plkit.content import Framework
from plkit.errors import PlkitError, WorkFileError
from plkit.files import FileProblem, read_regular_file, write_atomic
from plkit.model import PERSONAL
from plkit.store import wrong_kind
from plkit.work import MAX_BYTES, TEMP_PREFIX, TEMP_SUFFIX, parse_work, work_bytes

CURRENT = "current.json"
EARLIER = "earlier"
ABOUT = "user.json"  # {"user": the hub name, "saved_at": when the handed-in work was last saved}
KEEP_EARLIER = 20  # earlier hand-ins kept per person (and no more than PERSON_BYTES in all)
PERSON_BYTES = 3 * MAX_BYTES  # one person's hand-ins, current and earlier: 24 MB
TOTAL_BYTES = 2_000_000_000  # every hand-in together (PLKIT_HANDIN_MAX_MB changes it)
MAX_NAME_FILE = 64 * 1024  # user.json is read up to this; a hub name is far shorter
READABLE = 40  # characters of the name kept readable in the folder's name
MAX_FOLDER_NAME = 255  # bytes, on every common file system

FULL = ("The hub has no room left for hand-ins. Use Download my work and give your "
        "facilitator the file, and tell your facilitator: the hub's administrator can make room.")


class HandinFull(PlkitError):
    """The hand-in folder is at its total limit: nothing is kept until room is made."""


def folder_name(name: str) -> str:
    """The folder kept for hub name ``name``: a readable start and a hash of the whole name.

    At most 62 ASCII characters, never hidden (no leading "."), never "..", and two different
    names never share one (the hash is of the whole name, byte for byte).
    """
    readable = re.sub(r"[^a-z0-9_-]+", "_", name.lower())[:READABLE].strip("_") or "name"
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return f"{readable}--{digest}"


def old_folder_name(name: str) -> str | None:
    """The folder the service named for ``name`` before (%-escaped), if such a name fits on disk."""
    escaped = quote(name, safe="", errors="surrogatepass").replace(".", "%2E").replace("~", "%7E")
    return escaped if len(escaped) <= MAX_FOLDER_NAME else None


def _modified(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).replace(microsecond=0)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class HandinFolder:
    """The hand-ins under ``folder``; ``total_bytes`` bounds them all together."""

    def __init__(self, folder: str | os.PathLike, framework: Framework, total_bytes: int = TOTAL_BYTES) -> None:
        self.folder = Path(folder)
        self.framework = framework
        self.total_bytes = total_bytes

    # --- where a person's hand-ins are -----------------------------------------------------------
    def person_folder(self, name: str) -> Path:
        """The folder holding ``name``'s hand-ins: the new form, or an old one still in place."""
        new = self.folder / folder_name(name)
        if new.is_dir():
            return new
        old = old_folder_name(name)
        if old is not None and (self.folder / old).is_dir() and not (self.folder / old / ABOUT).exists():
            return self.folder / old
        return new

    def _about(self, person: Path) -> dict:
        try:
            data = json.loads(read_regular_file(person / ABOUT, MAX_NAME_FILE))
        except (FileProblem, ValueError, RecursionError):
            return {}
        return data if isinstance(data, dict) else {}

    def _user_of(self, person: Path) -> str | None:
        """The hub name a folder belongs to (from user.json; an old folder's name unescaped)."""
        if (person / ABOUT).exists():
            user = self._about(person).get("user")
            return user if isinstance(user, str) and folder_name(user) == person.name else None
        return unquote(person.name, errors="surrogatepass")

    # --- handing in ------------------------------------------------------------------------------
    def check(self, raw: bytes) -> bytes:
        """The file as the kit writes it; the kit's own message for what it would not open."""
        work = parse_work(raw, self.framework)
        problem = wrong_kind(work, PERSONAL)
        if problem:
            raise WorkFileError("work-kind", problem)
        try:
            return work_bytes(work)
        except WorkFileError as exc:
            raise WorkFileError(exc.code, exc.message.removeprefix("Not saved: ")) from None

    def hand_in(self, name: str, raw: bytes) -> datetime:
        """Keep ``raw`` (as the kit writes it) as ``name``'s hand-in, the one before it among the earlier.

        ``PlkitError`` (the kit's message, or ``HandinFull``) if it is not kept; then nothing stored changes.
        """
        data = self.check(raw)
        about = self._about_bytes(name, parse_work(data, self.framework).saved_at)
        person = self.person_folder(name)
        self._clean_temp_files(person)
        # This person's room: their own limit, and no more than the others leave of the total.
        room = min(PERSON_BYTES, self.total_bytes - (self.used_bytes() - self._person_bytes(person))) - len(about)
        if len(data) > room:
            raise HandinFull("handin-full", FULL)
        earlier = self._earlier(person / EARLIER)
        replaced = _size(person / CURRENT) if (person / CURRENT).is_file() else None
        kept = self._within_limits([*earlier, (None, replaced)] if replaced is not None else earlier,
                                   room - len(data))
        person = self._in_new_form(name, person)
        (person / EARLIER).mkdir(parents=True, exist_ok=True)
        write_atomic(person / ABOUT, about, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
        still_kept = {path.name for path, _ in kept if path is not None}
        for path, _ in self._earlier(person / EARLIER):
            if path.name not in still_kept:
                path.unlink(missing_ok=True)
        current = person / CURRENT
        if current.is_file() and any(path is None for path, _ in kept):
            stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-%f")
            os.replace(current, person / EARLIER / f"{stamp}.json")
        write_atomic(current, data, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
        return _modified(current)

    def _in_new_form(self, name: str, person: Path) -> Path:
        """``name``'s folder in the new form (an old-form folder is moved there)."""
        new = self.folder / folder_name(name)
        if person != new:
            person.rename(new)
        return new

    @staticmethod
    def _about_bytes(name: str, saved_at: str) -> bytes:
        """user.json: the hub name (the folder's own name holds only a hash of it), when the work was saved."""
        return json.dumps({"user": name, "saved_at": saved_at}, ensure_ascii=True).encode()

    @staticmethod
    def _earlier(earlier: Path) -> list[tuple[Path | None, int]]:
        """The earlier hand-ins, oldest first, with their sizes."""
        if not earlier.is_dir():
            return []
        return [(path, _size(path)) for path in sorted(earlier.glob("*.json"))]

    @staticmethod
    def _within_limits(kept: list, room: int) -> list:
        """The newest earlier hand-ins that fit in ``room`` bytes (and ``KEEP_EARLIER`` files)."""
        kept = kept[-KEEP_EARLIER:]
        while kept and sum(size for _, size in kept) > room:
            kept = kept[1:]
        return kept

    @staticmethod
    def _clean_temp_files(person: Path) -> None:
        """Remove what a hand-in killed half-way left behind (the service takes one at a time)."""
        for where in (person, person / EARLIER):
            if where.is_dir():
                for leftover in where.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
                    leftover.unlink(missing_ok=True)

    def clean_all_temp_files(self) -> None:
        """At the service's start: every person's leftovers of a hand-in killed half-way."""
        if self.folder.is_dir():
            for person in self.folder.iterdir():
                if person.is_dir():
                    self._clean_temp_files(person)

    @staticmethod
    def _person_bytes(person: Path) -> int:
        if not person.is_dir():
            return 0
        return sum(_size(path) for path in person.rglob("*") if path.is_file())

    def used_bytes(self) -> int:
        """Bytes every hand-in takes, together."""
        return self._person_bytes(self.folder)

    # --- reading ---------------------------------------------------------------------------------
    def handed_in_at(self, name: str) -> datetime | None:
        current = self.person_folder(name) / CURRENT
        return _modified(current) if current.is_file() else None

    def saved_at(self, name: str) -> str:
        """When the handed-in work was last saved by its owner ("" if not known)."""
        value = self._about(self.person_folder(name)).get("saved_at")
        return value if isinstance(value, str) else ""

    def listing(self) -> list[dict[str, object]]:
        """Everyone who handed in: name, when (UTC, ISO) and size, by name."""
        found = []
        if self.folder.is_dir():
            for person in self.folder.iterdir():
                current = person / CURRENT
                user = self._user_of(person) if current.is_file() else None
                if user is not None:
                    found.append({"user": user, "handed_in_at": _modified(current).isoformat(),
                                  "bytes": _size(current)})
        return sorted(found, key=lambda item: item["user"])

    def read(self, name: str) -> bytes | None:
        try:
            return read_regular_file(self.person_folder(name) / CURRENT, MAX_BYTES)
        except FileProblem:
            return None
