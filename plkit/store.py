"""Autosave: keep one participant's work file on disk, safe across workbooks and restarts."""

from __future__ import annotations

import copy
import os
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from plkit.content import Framework
from plkit.errors import PlkitError
from plkit.work import (
    WORK_FILE_NAME,
    Work,
    default_work_dir,
    now_iso,
    parse_work,
    read_work,
    write_work,
)


class WorkStore:
    """The participant's work, saved to ``folder/plkit-work.json`` after every change.

    Several workbooks may be open at once: each change is applied to the newest copy on disk,
    so one workbook never overwrites what another saved.
    """

    def __init__(self, framework: Framework, folder: str | os.PathLike | None = None) -> None:
        self.framework = framework
        self.folder = Path(folder) if folder is not None else default_work_dir()
        self.path = self.folder / WORK_FILE_NAME
        self.problem = ""  # a message for the participant about the file found at start
        self._seen: tuple[int, int] | None = None
        self.work = self._load_at_start()

    def _stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def _load_at_start(self) -> Work:
        if not self.path.exists():
            return Work(framework=self.framework.id)
        try:
            work = read_work(self.path, self.framework)
        except PlkitError as exc:
            aside = self._keep_aside("unreadable")
            self.problem = (
                f"Your saved work could not be opened: {exc.message} "
                f"It was kept, unchanged, as {aside.name} in {aside.parent}; you start with a blank copy."
            )
            return Work(framework=self.framework.id)
        self._seen = self._stamp()
        return work

    def _backup_path(self, why: str) -> Path:
        folder = self.folder / "backups"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        return folder / f"{why}-{stamp}-{WORK_FILE_NAME}"

    def _keep_aside(self, why: str) -> Path:
        target = self._backup_path(why)
        shutil.move(self.path, target)
        self._seen = None
        return target

    def refresh(self) -> bool:
        """Re-read the file if another workbook changed it; True if it did."""
        stamp = self._stamp()
        if stamp is None or stamp == self._seen:
            return False
        try:
            self.work = read_work(self.path, self.framework)
        except PlkitError:
            return False  # keep ours; the next save writes a good file
        self._seen = stamp
        return True

    def edit(self, change: Callable[[Work], None]) -> Work:
        """Apply ``change`` to the newest saved work and save at once."""
        self.refresh()
        change(self.work)
        return self.save()

    def save(self) -> Work:
        self.work.framework = self.framework.id
        self.work.saved_at = now_iso()
        write_work(self.work, self.path)
        self._seen = self._stamp()
        return self.work

    def check_upload(self, raw: bytes) -> Work:
        """Validate an uploaded work file; raises ``PlkitError`` and changes nothing if it is bad."""
        return parse_work(raw, self.framework)

    def backup(self) -> Path | None:
        """Copy the saved file into ``backups/``; returns the copy's path (None if nothing saved)."""
        if not self.path.exists():
            return None
        target = self._backup_path("before")
        shutil.copy2(self.path, target)
        return target

    def replace(self, work: Work) -> Path | None:
        """Replace the current work with ``work`` (already validated), after a backup."""
        kept = self.backup()
        self.work = copy.deepcopy(work)
        self.save()
        return kept

    def start_over(self) -> Path | None:
        """Start a blank work file, after a backup."""
        return self.replace(Work(framework=self.framework.id))
