"""On a workshop hub: *Hand in to my facilitator* (save bar) and *Read handed-in work* (dashboard).

Both exist only where the hub gave this server a hand-in service (``plkit.handin.available``);
on Binder or ``make lab`` neither is built, and nothing is ever sent.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from plkit import handin
from plkit.errors import PlkitError
from plkit.store import WorkStore
from plkit.work import work_bytes

Say = Callable[..., None]  # say(text, problem=False)


def handin_name(user: str) -> str:
    """The name a hand-in is shown and kept by in the facilitator's group: one per person."""
    return f"hand-in-{user}.json"


class HandInButton(widgets.Button):
    """Send the participant's saved work file to their facilitator, through their own hub."""

    def __init__(self, store: Callable[[], WorkStore], say: Say) -> None:
        super().__init__(description="Hand in to my facilitator", icon="paper-plane",
                         tooltip="Send your work to your facilitator on this hub; hand in again to send a newer copy",
                         layout=widgets.Layout(width="auto"))
        self.store, self.say = store, say
        self.on_click(self._hand_in)

    def _hand_in(self, _=None) -> None:
        store = self.store()
        if not store.path.exists():
            self.say("There is nothing to hand in yet: your answers save as you go, then hand them in.", problem=True)
            return
        self.disabled = True
        try:
            store.refresh()  # the newest work saved, from any open workbook
            when = handin.hand_in(work_bytes(store.work))
        except PlkitError as exc:
            self.say(exc.message, problem=True)
        else:
            at = handin.local_time(when)
            self.say(f"Handed in{' at ' + at if at else ''}. Your facilitator can read it now. If you change "
                     "your answers, hand in again: the newer copy takes the place of this one.")
        finally:
            self.disabled = False


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
