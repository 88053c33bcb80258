"""Autosave: keep one participant's work file on disk, safe across workbooks and restarts."""

from __future__ import annotations

import copy
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from plkit.content import Framework
from plkit.errors import PlkitError, WorkFileError
from plkit.files import write_atomic
from plkit.model import PERSONAL, TEAM
from plkit.validation import input_problem
from plkit.work import (
    TEAM_FILE_NAME,
    TEMP_PREFIX,
    TEMP_SUFFIX,
    WORK_FILE_NAME,
    Work,
    default_work_dir,
    now_iso,
    parse_work,
    read_file_bytes,
    read_work,
    write_work,
)

LOCK_WAIT_SECONDS = 10


def wrong_kind(work: Work, kind: str) -> str:
    """Why ``work`` cannot be opened where a file of ``kind`` belongs ("" when it can)."""
    if work.kind == kind:
        return ""
    if work.is_team:
        team = work.participant.team.strip()
        return (f"This is a team file ({shown(team) + '’s' if team else 'a team’s'} agreed answers), not one "
                "person's work, so it was not opened here and your own work is unchanged. Open it in "
                "Workbook 4 under “Our team's plan”, or in the facilitator's workbook.")
    return ("This is one person's work file, not a team file. A team file comes from the facilitator's "
            "workbook (“Agree as a team”, then “Download the team file”).")


def shown(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"


def load_warnings(current: Work, incoming: Work, now: datetime | None = None) -> list[str]:
    """What to tell the participant before ``incoming`` (a file being loaded) replaces ``current``
    (the work on screen): that the file is older, or someone else's. Empty when neither."""
    now = now or datetime.now().astimezone()
    said = []
    theirs_at, ours_at = _saved_time(incoming.saved_at, now), _saved_time(current.saved_at, now)
    if theirs_at and ours_at and theirs_at < ours_at:
        said.append(f"This file was saved {_day_and_time(theirs_at, now)}, before the work on screen "
                    f"(saved {_day_and_time(ours_at, now)}). Loading it replaces newer answers.")
    if current.is_team:
        theirs, ours = incoming.participant.team, current.participant.team
    else:
        theirs, ours = incoming.participant.name, current.participant.name
    if theirs.strip() and ours.strip() and _same_name(theirs) != _same_name(ours):
        said.append(f"This file is another team's work ({shown(theirs.strip())}), not this team's "
                    f"({shown(ours.strip())})." if current.is_team else
                    f"This file is someone else's work ({shown(theirs.strip())}), not yours ({shown(ours.strip())}).")
    return said


def _saved_time(iso: str, now: datetime) -> datetime | None:
    """A saved time in the zone of ``now`` (None when there is none, or it is not a time)."""
    try:
        when = datetime.fromisoformat(iso)
        return (when if when.tzinfo else when.replace(tzinfo=now.tzinfo)).astimezone(now.tzinfo)
    except (ValueError, OverflowError, OSError):
        return None


def _day_and_time(when: datetime, now: datetime) -> str:
    """"today at 14:20", or "on 12 March 2026 at 10:05"."""
    day = "today" if when.date() == now.date() else f"on {when.day} {when:%B %Y}"
    return f"{day} at {when:%H:%M}"


def _same_name(name: str) -> str:
    return " ".join(name.split()).casefold()


class WorkStore:
    """The participant's work, saved to ``folder/plkit-work.json`` after every change.

    With ``kind=TEAM`` it keeps a team's file instead, ``folder/plkit-team.json``: a personal
    file and a team file never take each other's place.

    Several workbooks may be open at once (in one kernel or many): each change is made under a
    lock on the file, to the newest copy on disk, so no workbook overwrites what another saved.
    """

    def __init__(self, framework: Framework, folder: str | os.PathLike | None = None, kind: str = PERSONAL) -> None:
        self.framework = framework
        self.kind = kind
        self.folder = Path(folder) if folder is not None else default_work_dir()
        self.file_name = TEAM_FILE_NAME if kind == TEAM else WORK_FILE_NAME
        self.path = self.folder / self.file_name
        self.problem = ""  # a message for the participant about the file found at start
        self._seen: tuple[int, int, int] | None = None
        self._lock = FileLock(self.folder / f".{self.file_name}.lock", timeout=LOCK_WAIT_SECONDS)
        self.work = self._load_at_start()

    def blank(self) -> Work:
        return Work(framework=self.framework.id, kind=self.kind)

    def read(self) -> Work:
        """The file on disk, checked against the framework and the kind of file kept here."""
        work = read_work(self.path, self.framework)
        problem = wrong_kind(work, self.kind)
        if problem:
            raise WorkFileError("work-kind", problem)
        return work

    # --- the file on disk -----------------------------------------------------------------------
    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the lock every read-change-write holds; a plain message if it cannot be had."""
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire()
        except Timeout:
            raise WorkFileError(
                "work-busy",
                "Not saved: another open workbook has been saving your work for a while. "
                "Try again in a moment.",
            ) from None
        try:
            yield
        finally:
            self._lock.release()

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def _load_at_start(self) -> Work:
        if not self.folder.exists():
            return self.blank()
        with self._locked():
            self._clean_temp_files()
            if not self.path.exists():
                return self.blank()
            try:
                work = self.read()
            except PlkitError as exc:
                aside = self._keep_aside("unreadable")
                whose = "The team file" if self.kind == TEAM else "Your saved work"
                self.problem = (
                    f"{whose} could not be opened: {exc.message} "
                    f"It was kept, unchanged, as {aside.name} in {aside.parent}; you start with a blank copy."
                )
                return self.blank()
            self._seen = self._stamp()
            return work

    def _clean_temp_files(self) -> None:
        """Remove what a save killed half-way left behind (only ever called under the lock)."""
        for leftover in self.folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)

    def _backup_path(self, why: str) -> Path:
        folder = self.folder / "backups"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        return folder / f"{why}-{stamp}-{self.file_name}"

    def _keep_aside(self, why: str) -> Path:
        target = self._backup_path(why)
        shutil.move(self.path, target)
        self._seen = None
        return target

    def _read_newest(self) -> bool:
        """Take the copy on disk if it changed since we last saw it; True if it did."""
        stamp = self._stamp()
        if stamp is None or stamp == self._seen:
            return False
        try:
            self.work = self.read()
        except PlkitError:
            return False  # keep ours; the next save writes a good file
        self._seen = stamp
        return True

    def refresh(self) -> bool:
        """Re-read the file if another workbook changed it; True if it did."""
        with self._locked():
            return self._read_newest()

    # --- changing the work ----------------------------------------------------------------------
    def edit(self, change: Callable[[Work], None]) -> Work:
        """Apply ``change`` to the newest saved work and save at once.

        If the changed work could not be kept (an answer too long, text that is not valid),
        nothing is saved and ``PlkitError`` says why; ``self.work`` stays as it was.
        """
        with self._locked():
            self._read_newest()
            changed = copy.deepcopy(self.work)
            change(changed)
            problem = input_problem(changed)
            if problem:
                raise WorkFileError("work-input", problem)
            self._save(changed)
            return self.work

    def save(self) -> Work:
        with self._locked():
            self._save(self.work)
            return self.work

    def _save(self, work: Work) -> None:
        work.framework = self.framework.id
        work.kind = self.kind
        work.saved_at = now_iso()
        self._clean_temp_files()
        try:
            write_work(work, self.path)
        except OSError as exc:
            raise WorkFileError(
                "work-not-saved",
                f"Your work could not be saved ({exc.strerror or exc}). Use Download my work to "
                "keep a copy of it.",
            ) from None
        self.work = work
        self._seen = self._stamp()

    def check_upload(self, raw: bytes) -> Work:
        """Validate an uploaded work file; raises ``PlkitError`` and changes nothing if it is bad.

        A team file is refused where personal work is kept, and the other way round.
        """
        work = parse_work(raw, self.framework)
        problem = wrong_kind(work, self.kind)
        if problem:
            raise WorkFileError("work-kind", problem)
        return work

    def backup(self) -> Path | None:
        """Copy the saved file into ``backups/``; returns the copy's path (None if nothing saved)."""
        if not self.path.exists():
            return None
        target = self._backup_path("before")
        shutil.copy2(self.path, target)
        return target

    def replace(self, work: Work) -> Path | None:
        """Replace the current work with ``work`` (already validated), after a backup."""
        with self._locked():
            kept = self.backup()
            self._save(copy.deepcopy(work))
            return kept

    def start_over(self) -> Path | None:
        """Start a blank work file, after a backup."""
        return self.replace(self.blank())

    # --- earlier copies ---------------------------------------------------------------------------
    def backups(self, limit: int | None = None) -> list[Backup]:
        """The copies in ``backups/`` of this kind of file only, newest first (the ``limit`` newest),
        each read if it can be."""
        paths = [(_backup_time(path), path) for path in (self.folder / "backups").glob(f"*-{self.file_name}")
                 if path.is_file()]
        paths.sort(key=lambda item: (item[0], item[1].name), reverse=True)
        found = []
        for when, path in paths[:limit]:
            try:
                work: Work | None = self._read_backup(path)
            except PlkitError:
                work = None
            found.append(Backup(path, when, work))
        return found

    def _read_backup(self, path: Path) -> Work:
        work = read_work(path, self.framework)
        problem = wrong_kind(work, self.kind)
        if problem:
            raise WorkFileError("work-kind", problem)
        return work

    def restore(self, path: str | os.PathLike) -> Path | None:
        """Put a kept copy back, exactly as it was kept, after a backup of the current work.

        A copy that does not read (damaged, another kind of file, not in ``backups/``) is refused
        with a plain ``PlkitError``, and nothing changes. Returns the backup of the work replaced.
        """
        path = Path(path)
        if path.parent.resolve() != (self.folder / "backups").resolve() or not path.name.endswith(
                f"-{self.file_name}"):
            raise WorkFileError("backup-elsewhere", "That copy is not one of the copies kept here, so it "
                                "was not brought back. Your work is unchanged.")
        with self._locked():
            try:
                raw = read_file_bytes(path)
                work = self._read_backup(path)
            except PlkitError as exc:
                raise WorkFileError("backup-unreadable", f"That copy could not be brought back: {exc.message} "
                                    "Your work is unchanged.") from None
            kept = self.backup()
            self._write_exactly(raw)
            self.work = work
            self._seen = self._stamp()
            return kept

    def _write_exactly(self, raw: bytes) -> None:
        """Write the file's bytes as they are (a kept copy back in place), atomically."""
        self._clean_temp_files()
        try:
            write_atomic(self.path, raw, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
        except OSError as exc:
            raise WorkFileError("work-not-saved", f"The copy could not be put back ({exc.strerror or exc}). "
                                "Your work is unchanged.") from None


@dataclass(frozen=True)
class Backup:
    """One kept copy: where it is, when it was kept, and what it holds (None if it does not read)."""

    path: Path
    when: datetime
    work: Work | None


_STAMP = re.compile(r"-(\d{8}-\d{6}-\d{6})-")


def _backup_time(path: Path) -> datetime:
    """When a copy was kept: from its name (``before-20260312-100502-123456-…``), else the file's time."""
    found = _STAMP.search(path.name)
    if found:
        try:
            return datetime.strptime(found[1], "%Y%m%d-%H%M%S-%f")
        except ValueError:
            pass
    return datetime.fromtimestamp(path.stat().st_mtime)
