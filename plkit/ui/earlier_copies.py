"""'Earlier copies of my work': the copies the kit kept before work was loaded over or cleared,
newest first, with what each holds; one can be brought back (after asking, and after keeping the
current work as a copy too)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ipywidgets as widgets

from plkit.errors import PlkitError
from plkit.model import TEAM
from plkit.store import Backup, WorkStore
from plkit.ui.common import HTML, Button, escape, row
from plkit.work import Work

MOST_SHOWN = 30  # the newest copies listed; older ones stay in the backups folder


def when_kept(copy: Backup) -> str:
    return f"{copy.when.day} {copy.when:%B %Y} at {copy.when:%H:%M}"


def copy_label(copy: Backup) -> str:
    """A copy in the list: when it was kept, and whose it is (or that it cannot be read)."""
    if copy.work is None:
        return f"{when_kept(copy)} · cannot be read"
    who = copy.work.participant.team if copy.work.is_team else copy.work.participant.name
    who = " ".join(who.split())
    return f"{when_kept(copy)} · {who[:40] + '…' if len(who) > 40 else who or 'no name given'}"


class EarlierCopies(widgets.Accordion):
    """A closed section listing the store's earlier copies; opening it reads them.

    ``describe(work)`` says what a copy holds; ``on_restored(kept)`` is called after a copy was
    brought back, with the copy kept of the work it replaced.
    """

    def __init__(self, store: WorkStore, describe: Callable[[Work], str],
                 on_restored: Callable[[Backup, Path | None], None]) -> None:
        self.store = store
        self.describe = describe
        self.on_restored = on_restored
        self.copies: list[Backup] = []
        self.intro = HTML()
        self.choice = widgets.Dropdown(options=[], value=None, description="Copy kept on",
                                       style={"description_width": "initial"}, layout=widgets.Layout(width="auto"))
        self.holds = HTML()
        self.bring_back = Button(description="Bring this copy back", icon="history",
                                         layout=widgets.Layout(width="auto"))
        self.confirm = Button(description="Yes, bring it back", button_style="warning",
                                      layout=widgets.Layout(width="auto"))
        self.cancel = Button(description="Cancel")
        self.message = HTML()
        self.choices = row([])
        self.choice.observe(self._chosen, "value")
        self.bring_back.on_click(self._ask)
        self.confirm.on_click(self._restore)
        self.cancel.on_click(self._cancel)
        body = widgets.VBox([self.intro, row([self.choice, self.bring_back]), self.holds, self.message, self.choices])
        super().__init__(children=[body], selected_index=None)
        self.observe(self._opened, "selected_index")
        self.use_store(store)

    @property
    def team(self) -> bool:
        return self.store.kind == TEAM

    def use_store(self, store: WorkStore) -> None:
        self.store = store
        self.set_title(0, "Earlier copies of the team file" if self.team else "Earlier copies of my work")
        self.copies = []
        self.message.value = ""
        self.choices.children = ()
        if self.selected_index is not None:
            self.show()

    def _opened(self, change) -> None:
        if change["new"] is not None:
            self.show()

    def show(self) -> None:
        """List the copies kept, newest first."""
        self.copies = self.store.backups(limit=MOST_SHOWN)
        whose = "the team file" if self.team else "your work"
        if self.copies:
            self.intro.value = (f"<p>Each time a file is loaded or everything is cleared, the kit first keeps a "
                                f"copy of {whose} as it was. Newest first.</p>")
        else:
            self.intro.value = f"<p>No earlier copies of {whose} yet: one is kept each time a file is loaded or " \
                               "everything is cleared.</p>"
        options = [(copy_label(copy), index) for index, copy in enumerate(self.copies)]
        self.choice.options = options
        self.choice.value = 0 if options else None
        self.choice.disabled = self.bring_back.disabled = not options
        self._chosen()

    def _chosen(self, change=None) -> None:
        self.choices.children = ()
        copy = self.chosen
        if copy is None:
            self.holds.value = ""
            return
        if copy.work is None:
            self.holds.value = ('<p class="plkit-problem">This copy cannot be read (it may be damaged or '
                                "unfinished), so it cannot be brought back.</p>")
            self.bring_back.disabled = True
            return
        self.bring_back.disabled = False
        self.holds.value = f"<p>It holds: {escape(self.describe(copy.work))}.</p>"

    @property
    def chosen(self) -> Backup | None:
        index = self.choice.value
        return self.copies[index] if index is not None and index < len(self.copies) else None

    def _say(self, text: str, problem: bool = False) -> None:
        css = ' class="plkit-problem"' if problem else ""
        self.message.value = f'<p role="status"{css}>{escape(text)}</p>'

    def _ask(self, _=None) -> None:
        copy = self.chosen
        if copy is None:
            return
        current = "the current team file" if self.team else "your current work"
        self._say(f"Bring back the copy kept on {when_kept(copy)} in place of {current}? A copy of "
                  f"{current} is kept first, so you can come back to it.", problem=True)
        self.choices.children = (self.confirm, self.cancel)

    def _cancel(self, _=None) -> None:
        self.choices.children = ()
        self._say("Nothing changed.")

    def _restore(self, _=None) -> None:
        copy = self.chosen
        self.choices.children = ()
        if copy is None:
            return
        try:
            kept = self.store.restore(copy.path)
        except PlkitError as exc:
            self._say(exc.message, problem=True)
            return
        self.message.value = ""
        self.show()
        self.on_restored(copy, kept)
