"""The save bar every workbook shows: saved status, Download / Load my work, Start over.

It knows whose file it keeps: one person's work, or a team's agreed answers (``store.kind``).
"""

from __future__ import annotations

import base64
import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import ipywidgets as widgets

from plkit import handin
from plkit.consensus import progress
from plkit.errors import PlkitError
from plkit.model import TEAM
from plkit.store import Backup, WorkStore, load_warnings
from plkit.ui.common import HTML, Button, escape, row
from plkit.ui.earlier_copies import EarlierCopies, when_kept
from plkit.ui.hand_in import HandInButton
from plkit.work import Work


@dataclass(frozen=True)
class Wording:
    """The save bar's words for one kind of file."""

    download: str
    upload: str
    upload_tip: str
    start_over_tip: str
    confirm_reset: str
    keep_current: str
    nothing_saved: str
    use_file: str
    loaded: str
    kept_loaded: str
    unchanged: str
    ask_reset: str
    reset_done: str
    kept_reset: str
    undo: str
    undone: str
    restored: str


PERSONAL_WORDS = Wording(
    download="Download my work",
    upload="Load my work",
    upload_tip="Open a work file you downloaded earlier",
    start_over_tip="Clear every answer (a backup is kept)",
    confirm_reset="Yes, clear my answers",
    keep_current="Keep my current work",
    nothing_saved="Nothing saved yet: your answers save as you go.",
    use_file="Use it in place of your current work? (Your current work is kept as a backup.)",
    loaded="Loaded. The answers from the file are now your work.",
    kept_loaded="Your previous work was kept as {name}.",
    unchanged="Nothing changed: you are still working on your current answers.",
    ask_reset="Clear every answer in every workbook and start again? A copy of your work is kept first: "
              "Undo, or Earlier copies of my work (below), brings it back.",
    reset_done="You are starting over with a blank workbook.",
    kept_reset="Your previous answers were kept as {name}.",
    undo="Undo: bring back the work I had",
    undone="Your previous work is back, exactly as it was.",
    restored="The copy kept on {when} is back, exactly as it was kept.",
)
TEAM_WORDS = Wording(
    download="Download the team file",
    upload="Load a team file",
    upload_tip="Open a team file downloaded from the facilitator's workbook",
    start_over_tip="Clear every agreed answer of the team (a backup is kept)",
    confirm_reset="Yes, clear the team's answers",
    keep_current="Keep the current team file",
    nothing_saved="No team file saved here yet.",
    use_file="Use it in place of the current team file? (The current team file is kept as a backup.)",
    loaded="Loaded. The answers in the file are now the team's.",
    kept_loaded="The previous team file was kept as {name}.",
    unchanged="Nothing changed: the team file is as it was.",
    ask_reset="Clear every agreed answer of the team, and the team's plan, and start again? A copy of "
              "the team file is kept first: Undo, or Earlier copies of the team file (below), brings it back.",
    reset_done="The team starts over with a blank team file.",
    kept_reset="The team's previous answers were kept as {name}.",
    undo="Undo: bring back the team file as it was",
    undone="The team file is back, exactly as it was.",
    restored="The copy of the team file kept on {when} is back, exactly as it was kept.",
)


def wording(kind: str) -> Wording:
    return TEAM_WORDS if kind == TEAM else PERSONAL_WORDS


def describe(work: Work, framework) -> str:
    """What a work file holds, in a sentence a participant can check."""
    if work.is_team:
        return describe_team(work, framework)
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


def describe_team(work: Work, framework) -> str:
    """What a team file holds: the team, how far it agreed, from how many files, its plan."""
    team = work.participant.team.strip()
    done = progress(work, framework)
    agreed = f"{done.agreed} of {done.total} practices agreed"
    if done.open_questions:
        agreed += f", {done.open_questions} with no agreement yet"
    members = work.team.members
    files = "from 1 member's file" if members == 1 else f"from {members} members' files"
    count = len(work.action_plan.priorities)
    plan = f"{count} priorit{'y' if count == 1 else 'ies'} in the team's plan"
    saved = _local_time(work.saved_at, "%d %B %Y at %H:%M") or "an unknown time"
    return f"{'Team ' + team if team else 'A team with no name given'}; {agreed}, {files}; {plan}; saved {saved}"


def _local_time(iso: str, fmt: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime(fmt)
    except (ValueError, OverflowError, OSError):  # a time the computer's clock cannot show
        return ""


def download_name(work: Work) -> str:
    """plkit-work-<name>-<date>.json, or plkit-team-<team>-<date>.json for a team file."""
    who = work.participant.team if work.is_team else work.participant.name
    slug = re.sub(r"[^a-z0-9]+", "-", who.lower()).strip("-")[:40]
    day = datetime.now().strftime("%Y-%m-%d")
    return f"plkit-{'team' if work.is_team else 'work'}-{slug + '-' if slug else ''}{day}.json"


class SaveBar(widgets.VBox):
    """Autosave status and the file controls, worded for whose file the store keeps.

    ``on_replace`` is called after the work is replaced (loaded from a file, started over, or an
    earlier copy brought back), so the screen can show the new answers. Right after a load or a
    start over, *Undo* brings back the work replaced, byte for byte, from the copy kept of it.
    """

    def __init__(self, store: WorkStore, on_replace: Callable[[], None]) -> None:
        self.store = store
        self.on_replace = on_replace
        self.pending: Work | None = None
        self._not_saved = False
        self._passing = False  # the message says what just happened: it goes at the next change saved
        self._told: set[int] = set()
        self.status = HTML()
        self.download = HTML()
        self.upload = widgets.FileUpload(
            accept=".json,application/json", multiple=False, icon="upload", layout=widgets.Layout(width="auto")
        )
        self.start_over = Button(description="Start over", icon="undo")
        # On a workshop hub only (plkit.handin.available): send the work file to the facilitator.
        self.hand_in = HandInButton(lambda: self.store, self._say) if handin.available() else None
        self.message = HTML()
        self.use_file = Button(description="Use this file", button_style="primary")
        self.keep_current = Button(layout=widgets.Layout(width="auto"))
        self.confirm_reset = Button(button_style="danger", layout=widgets.Layout(width="auto"))
        self.cancel_reset = Button(description="Cancel")
        self.undo = Button(icon="undo", layout=widgets.Layout(width="auto"))
        self.undo_copy: Path | None = None  # the copy Undo brings back
        self.choices = row([])
        self.earlier = EarlierCopies(store, lambda work: describe(work, self.store.framework), self._restored)
        self.upload.observe(self._uploaded, "value")
        self.use_file.on_click(self._use_file)
        self.keep_current.on_click(self._cancel)
        self.start_over.on_click(self._ask_reset)
        self.confirm_reset.on_click(self._reset)
        self.cancel_reset.on_click(self._cancel)
        self.undo.on_click(self._undo)
        super().__init__(
            [
                row([self.status, self.download, *filter(None, [self.hand_in]), self.upload, self.start_over]),
                self.message,
                self.choices,
                self.earlier,
            ]
        )
        self.add_class("plkit-save-bar")
        self.use_store(store)

    @property
    def words(self) -> Wording:
        return wording(self.store.kind)

    def use_store(self, store: WorkStore) -> None:
        """Keep another file from now on (one's own work, or a team's): its words, status and link."""
        self.store = store
        self.pending = None
        self.undo_copy = None
        self._not_saved = False
        self.choices.children = ()
        self.earlier.use_store(store)
        if self.hand_in is not None:  # one person's work is handed in, never a team file
            self.hand_in.layout.display = "none" if store.kind == TEAM else ""
        self.message.value = ""
        words = self.words
        self.upload.description = words.upload
        self.upload.tooltip = words.upload_tip
        self.start_over.tooltip = words.start_over_tip
        self.keep_current.description = words.keep_current
        self.undo.description = words.undo
        self.confirm_reset.description = words.confirm_reset
        self.refresh()
        if store.problem and id(store) not in self._told:  # a problem with the file found at start: say it once
            self._told.add(id(store))
            self._say(store.problem, problem=True)

    def refresh(self) -> None:
        """Show when the work was last saved and offer it for download."""
        work = self.store.work
        saved = self.store.path.exists()
        when = _local_time(work.saved_at, "%H:%M") if saved else ""
        self.status.value = f"<span>Saved at {when}</span>" if when else f"<span>{escape(self.words.nothing_saved)}</span>"
        if self.store.kind == TEAM and not saved:
            self.download.value = ""  # no team file here: nothing to download
            return
        data = base64.b64encode(work.to_json().encode("utf-8")).decode("ascii")
        self.download.value = (
            f'<a class="plkit-button" download="{escape(download_name(work))}" '
            f'href="data:application/json;base64,{data}">{escape(self.words.download)}</a>'
        )

    def say_not_saved(self, text: str) -> None:
        """A change was not saved: say why until the next change saves."""
        self._not_saved = True
        self._say(text, problem=True)

    def saved(self) -> None:
        """A change was saved: update the status, and clear a 'not saved' message or news of what
        just happened ("You are starting over…" is stale once the person answers again), and Undo:
        the work changed since the load; its earlier copy is still listed."""
        if self.undo_copy is not None and self.choices.children == (self.undo,):
            self.undo_copy = None
            self.choices.children = ()
        if self._not_saved or self._passing:
            self._not_saved = self._passing = False
            self.message.value = ""
        self.refresh()

    def _say(self, text: str, problem: bool = False) -> None:
        """Show a message; news (not a problem) goes at the next change saved, a problem stays."""
        self._passing = not problem
        css = ' class="plkit-problem"' if problem else ""
        self.message.value = f'<p role="status"{css}>{escape(text)}</p>'

    def _uploaded(self, change) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        self.upload.value = ()
        self.undo_copy = None
        try:
            self.pending = self.store.check_upload(bytes(upload["content"]))
        except PlkitError as exc:  # not a work file, or a file of the other kind
            self.pending = None
            self.choices.children = ()
            self._say(
                f"{upload['name']} was not loaded, and your work is unchanged. {exc.message}",
                problem=True,
            )
            return
        with contextlib.suppress(PlkitError):  # if it cannot be read now, compare with the work last seen
            self.store.refresh()  # the newest work saved, from any open workbook
        holds = f"{upload['name']} holds: {describe(self.pending, self.store.framework)}."
        warnings = load_warnings(self.store.work, self.pending) if self.store.path.exists() else []
        self._passing = False  # a question waiting for an answer
        self.message.value = (
            '<div role="status">'
            f"<p>{escape(holds)}</p>"
            + "".join(f'<p class="plkit-problem"><strong>{escape(warning)}</strong></p>' for warning in warnings)
            + f"<p>{escape(self.words.use_file)}</p></div>"
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
        self._replaced(kept)
        backup = " " + self.words.kept_loaded.format(name=kept.name) if kept else ""
        self._say(self.words.loaded + backup)

    def _replaced(self, kept: Path | None) -> None:
        """After the work was replaced: show it, and offer Undo (when a copy of the old work was kept)."""
        self.undo_copy = kept
        self.choices.children = (self.undo,) if kept else ()
        self.refresh()
        self.on_replace()
        if self.earlier.selected_index is not None:
            self.earlier.show()

    def _undo(self, _=None) -> None:
        if self.undo_copy is None:
            return
        try:
            kept = self.store.restore(self.undo_copy)
        except PlkitError as exc:
            self._say(exc.message, problem=True)
            return
        self.undo_copy = None
        self.choices.children = ()
        self.refresh()
        self.on_replace()
        if self.earlier.selected_index is not None:
            self.earlier.show()
        backup = " " + self.words.kept_loaded.format(name=kept.name) if kept else ""
        self._say(self.words.undone + backup)

    def _restored(self, copy: Backup, kept: Path | None) -> None:
        """An earlier copy was brought back (from the list): show it; Undo brings back what it replaced."""
        self.pending = None
        self.undo_copy = kept
        self.choices.children = (self.undo,) if kept else ()
        self.refresh()
        self.on_replace()
        backup = " " + self.words.kept_loaded.format(name=kept.name) if kept else ""
        self._say(self.words.restored.format(when=when_kept(copy)) + backup)

    def _cancel(self, _=None) -> None:
        self.pending = None
        self.undo_copy = None
        self.choices.children = ()
        self._say(self.words.unchanged)

    def _ask_reset(self, _=None) -> None:
        self.pending = None
        self.undo_copy = None
        self._say(self.words.ask_reset, problem=True)
        self.choices.children = (self.confirm_reset, self.cancel_reset)

    def _reset(self, _=None) -> None:
        try:
            kept = self.store.start_over()
        except PlkitError as exc:
            self.choices.children = ()
            self._say(f"Nothing was cleared. {exc.message}", problem=True)
            return
        self._replaced(kept)
        backup = " " + self.words.kept_reset.format(name=kept.name) if kept else ""
        self._say(self.words.reset_done + backup)
