"""The save bar every workbook shows: saved status, Download / Load my work, Start over."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from datetime import datetime

import ipywidgets as widgets

from plkit.errors import PlkitError
from plkit.store import WorkStore
from plkit.ui.common import escape, row
from plkit.work import Work


def describe(work: Work, framework) -> str:
    """What a work file holds, in a sentence a participant can check."""
    section, first = work.self_assessment, work.understanding
    who = work.participant.name.strip() or "no name given"
    written = sum(
        1
        for text in (*section.notes.values(), *section.evidence.values(), *section.reflections.values(),
                     *first.reflections.values())
        if text.strip()
    )
    saved = _local_time(work.saved_at, "%d %B %Y at %H:%M") or "an unknown time"
    return (
        f"{who}; {len(first.vignettes)} scenes sorted and {len(first.myths)} myth-or-fact answers; "
        f"{len(section.ratings)} of {len(framework.practices)} practices rated; "
        f"{written} notes or answers written; {len(work.claims.judgements)} research claims judged; "
        f"{len(work.action_plan.priorities)} action-plan priorities; saved {saved}"
    )


def _local_time(iso: str, fmt: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime(fmt)
    except (ValueError, OverflowError, OSError):  # a time the computer's clock cannot show
        return ""


def download_name(work: Work) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", work.participant.name.lower()).strip("-")[:40]
    day = datetime.now().strftime("%Y-%m-%d")
    return f"plkit-work-{slug + '-' if slug else ''}{day}.json"


class SaveBar(widgets.VBox):
    """Autosave status and the participant's file controls.

    ``on_replace`` is called after the work is replaced (loaded from a file or started over),
    so the screen can show the new answers.
    """

    def __init__(self, store: WorkStore, on_replace: Callable[[], None]) -> None:
        self.store = store
        self.on_replace = on_replace
        self.pending: Work | None = None
        self._not_saved = False
        self.status = widgets.HTML()
        self.download = widgets.HTML()
        self.upload = widgets.FileUpload(
            accept=".json,application/json",
            multiple=False,
            description="Load my work",
            tooltip="Open a work file you downloaded earlier",
            icon="upload",
            layout=widgets.Layout(width="auto"),
        )
        self.start_over = widgets.Button(
            description="Start over", icon="undo", tooltip="Clear every answer (a backup is kept)"
        )
        self.message = widgets.HTML()
        self.use_file = widgets.Button(description="Use this file", button_style="primary")
        self.keep_current = widgets.Button(description="Keep my current work")
        self.confirm_reset = widgets.Button(
            description="Yes, clear my answers", button_style="danger"
        )
        self.cancel_reset = widgets.Button(description="Cancel")
        self.choices = row([])
        self.upload.observe(self._uploaded, "value")
        self.use_file.on_click(self._use_file)
        self.keep_current.on_click(self._cancel)
        self.start_over.on_click(self._ask_reset)
        self.confirm_reset.on_click(self._reset)
        self.cancel_reset.on_click(self._cancel)
        super().__init__(
            [
                row([self.status, self.download, self.upload, self.start_over]),
                self.message,
                self.choices,
            ]
        )
        self.add_class("plkit-save-bar")
        self.refresh()
        if store.problem:
            self._say(store.problem, problem=True)

    def refresh(self) -> None:
        """Show when the work was last saved and offer it for download."""
        work = self.store.work
        when = _local_time(work.saved_at, "%H:%M") if self.store.path.exists() else ""
        self.status.value = (
            f"<span>Saved at {when}</span>"
            if when
            else "<span>Nothing saved yet: your answers save as you go.</span>"
        )
        data = base64.b64encode(work.to_json().encode("utf-8")).decode("ascii")
        self.download.value = (
            f'<a class="plkit-button" download="{escape(download_name(work))}" '
            f'href="data:application/json;base64,{data}">Download my work</a>'
        )

    def say_not_saved(self, text: str) -> None:
        """A change was not saved: say why until the next change saves."""
        self._not_saved = True
        self._say(text, problem=True)

    def saved(self) -> None:
        """A change was saved: update the status, and clear a 'not saved' message."""
        if self._not_saved:
            self._not_saved = False
            self.message.value = ""
        self.refresh()

    def _say(self, text: str, problem: bool = False) -> None:
        css = ' class="plkit-problem"' if problem else ""
        self.message.value = f'<p role="status"{css}>{escape(text)}</p>'

    def _uploaded(self, change) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        self.upload.value = ()
        try:
            self.pending = self.store.check_upload(bytes(upload["content"]))
        except PlkitError as exc:
            self.pending = None
            self.choices.children = ()
            self._say(
                f"{upload['name']} was not loaded, and your work is unchanged. {exc.message}",
                problem=True,
            )
            return
        self._say(
            f"{upload['name']} holds: {describe(self.pending, self.store.framework)}. "
            "Use it in place of your current work? (Your current work is kept as a backup.)"
        )
        self.choices.children = (self.use_file, self.keep_current)

    def _use_file(self, _=None) -> None:
        if self.pending is None:
            return
        try:
            kept = self.store.replace(self.pending)
        except PlkitError as exc:
            self._say(f"The file was not loaded, and your work is unchanged. {exc.message}", problem=True)
            return
        self.pending = None
        self.choices.children = ()
        self.refresh()
        self.on_replace()
        backup = f" Your previous work was kept as {kept.name}." if kept else ""
        self._say("Loaded. The answers from the file are now your work." + backup)

    def _cancel(self, _=None) -> None:
        self.pending = None
        self.choices.children = ()
        self._say("Nothing changed: you are still working on your current answers.")

    def _ask_reset(self, _=None) -> None:
        self.pending = None
        self._say(
            "Clear every answer in every workbook and start again? A backup of your work is "
            "kept in the my_work/backups folder.",
            problem=True,
        )
        self.choices.children = (self.confirm_reset, self.cancel_reset)

    def _reset(self, _=None) -> None:
        try:
            kept = self.store.start_over()
        except PlkitError as exc:
            self.choices.children = ()
            self._say(f"Nothing was cleared. {exc.message}", problem=True)
            return
        self.choices.children = ()
        self.refresh()
        self.on_replace()
        backup = f" Your previous answers were kept as {kept.name}." if kept else ""
        self._say("You are starting over with a blank workbook." + backup)
