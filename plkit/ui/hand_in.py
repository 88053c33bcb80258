"""On a workshop hub: *Hand in to my facilitator* (save bar) and *Read handed-in work* (dashboard).

Both exist only where the hub gave this server a hand-in service (``plkit.handin.available``);
on Binder or ``make lab`` neither is built, and nothing is ever sent.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import datetime, timezone

import ipywidgets as widgets

from plkit import handin
from plkit.errors import PlkitError
from plkit.store import WorkStore
from plkit.ui.common import HTML, Button, escape
from plkit.work import work_bytes

Say = Callable[..., None]  # say(text, problem=False)
LOOK_UP_SECONDS = 5  # asking the hub, as the page opens, when this person last handed in


def handin_name(user: str) -> str:
    """The name a hand-in is shown and kept by in the facilitator's group: one per person."""
    return f"hand-in-{user}.json"


def _when(iso: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def handed_in_words(handed_in_at: str, changed_since: bool) -> str:
    """ "Handed in at 17:58 (your facilitator can read it)", and whether the answers changed since."""
    moment = _when(handed_in_at)
    if moment is None:
        return ""
    try:
        local = moment.astimezone()
    except (OverflowError, OSError, ValueError):
        return ""
    at = local.strftime("%H:%M") if local.date() == datetime.now().astimezone().date() else \
        local.strftime("%d %B at %H:%M").lstrip("0")
    text = f"Handed in {'on ' if ' at ' in at else 'at '}{at} (your facilitator can read it)."
    if changed_since:
        text += " Your answers changed since: hand in again to send the newer copy."
    return text


class HandInButton(widgets.HBox):
    """*Hand in to my facilitator*, and beside it when this person last handed in (asked of the hub
    once the page is open, in the background: the page never waits for it)."""

    def __init__(self, store: Callable[[], WorkStore], say: Say, look_up: bool = True) -> None:
        self.button = Button(description="Hand in to my facilitator", icon="paper-plane",
                             tooltip="Send your work to your facilitator on this hub; hand in again to send a newer copy",
                             layout=widgets.Layout(width="auto"))
        self.note = HTML()
        self.note.add_class("plkit-handed-in")
        super().__init__([self.button, self.note],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="center", width="auto"))
        self.store, self.say = store, say
        self.last = handin.MyHandin("", "")
        self.sent = ""  # the work handed in from this page, as text: any change to it shows
        self.button.on_click(self._hand_in)
        self.looking = threading.Thread(target=self.look_up, daemon=True, name="plkit-hand-in-look-up")
        if look_up:
            self.looking.start()

    # The save bar and the tests use it as the button it used to be.
    @property
    def description(self) -> str:
        return self.button.description

    @property
    def disabled(self) -> bool:
        return self.button.disabled

    def click(self) -> None:
        self.button.click()

    def look_up(self) -> None:
        """Ask the hub when this person last handed in, and show it; say nothing if it cannot tell."""
        try:
            self.last = handin.my_handin(timeout=LOOK_UP_SECONDS)
        except PlkitError:
            return
        self.work_changed()

    def work_changed(self) -> None:
        """Show the last hand-in, and whether the work saved since differs from it."""
        words = handed_in_words(self.last.handed_in_at, self._changed_since()) if self.last.handed_in_at else ""
        self.note.value = f"<span>{escape(words)}</span>" if words else ""

    def _changed_since(self) -> bool:
        store = self.store()
        try:
            saved = store.work.saved_at
            if self.sent:
                return store.work.to_json() != self.sent
        except (PlkitError, OSError):
            return False
        if self.last.saved_at and saved:
            return saved != self.last.saved_at
        handed, modified = _when(self.last.handed_in_at), self._modified(store)
        return bool(handed and modified and modified > handed)

    @staticmethod
    def _modified(store: WorkStore) -> datetime | None:
        try:
            return datetime.fromtimestamp(os.stat(store.path).st_mtime, timezone.utc)
        except (OSError, OverflowError, ValueError):
            return None

    def _hand_in(self, _=None) -> None:
        store = self.store()
        if not store.path.exists():
            self.say("There is nothing to hand in yet: your answers save as you go, then hand them in.", problem=True)
            return
        self.button.disabled = True
        try:
            store.refresh()  # the newest work saved, from any open workbook
            sending = work_bytes(store.work)
            when = handin.hand_in(sending)
        except PlkitError as exc:
            self.say(exc.message, problem=True)
        else:
            at = handin.local_time(when)
            self.say(f"Handed in{' at ' + at if at else ''}. Your facilitator can read it now. If you change "
                     "your answers, hand in again: the newer copy takes the place of this one.")
            self.last, self.sent = handin.MyHandin(when, store.work.saved_at), sending.decode("utf-8")
            self.work_changed()
        finally:
            self.button.disabled = False


class HandinsReader(widgets.Button):
    """Read every participant's hand-in into the facilitator's group (facilitators and admins only)."""

    def __init__(self, add: Callable[[list[tuple[str, bytes]]], None], say: Say) -> None:
        super().__init__(icon="inbox", tooltip="Add the work your participants handed in on this hub to the group",
                         layout=widgets.Layout(width="auto"))
        self.add, self.say = add, say
        self.count()
        self.on_click(self._read)

    def count(self) -> None:
        """Ask the hub how many hand-ins there are, for the button's label (none shown if it says no)."""
        try:
            self.description = f"Read handed-in work ({len(handin.handins()):,})"
        except PlkitError:
            self.description = "Read handed-in work"

    def _read(self, _=None) -> None:
        self.disabled = True
        try:
            found, problems = handin.read_all()
        except PlkitError as exc:
            self.say(exc.message, problem=True)
            return
        finally:
            self.disabled = False
        self.description = f"Read handed-in work ({len(found):,})"
        self.add([(handin_name(item.user), data) for item, data in found])
        for problem in problems:
            self.say(f"Not read: {problem}", problem=True)
