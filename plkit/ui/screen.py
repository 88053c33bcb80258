"""What every workbook screen shares: 'About you', the save bar, progress, saving each change."""

from __future__ import annotations

import threading
from collections.abc import Callable

import ipywidgets as widgets

from plkit.errors import PlkitError
from plkit.store import WorkStore
from plkit.ui.common import HTML, line_box, row, style_tag
from plkit.ui.save_bar import SaveBar
from plkit.work import Work

ROLES = [
    ("Prefer not to say", ""),
    ("Teacher", "teacher"),
    ("School leader", "school leader"),
    ("District or state staff", "district staff"),
    ("Coach or specialist", "coach"),
    ("Other", "other"),
]


class ParticipantDetails(widgets.VBox):
    """Optional name, role, and school or team."""

    def __init__(self) -> None:
        self.name = line_box("Your name (optional)")
        self.role = widgets.Dropdown(
            options=ROLES, value="", description="Your role", style={"description_width": "initial"}
        )
        self.team = line_box("School or team (optional)")
        super().__init__(
            [
                HTML(
                    "<h2>About you</h2><p>All three are optional. Your work stays on the computer "
                    "or server running this workbook unless you download it, share it or hand it in.</p>"
                ),
                row([self.name, self.role, self.team]),
            ]
        )

    @property
    def fields(self) -> dict[str, widgets.ValueWidget]:
        return {"name": self.name, "role": self.role, "team": self.team}


def set_text(answers: dict[str, str], key: str, value: str) -> None:
    """Keep a written answer, or forget it when it is blank."""
    if value.strip():
        answers[key] = value
    else:
        answers.pop(key, None)


class WorkbookScreen(widgets.VBox):
    """A workbook's screen bound to a ``WorkStore``: every change is saved at once.

    Subclasses build their controls, then call ``finish(body)``, and implement
    ``show_answers(work)`` (put saved answers into the controls) and ``progress(work)``.
    """

    def __init__(self, store: WorkStore, progress_total: int) -> None:
        self.store = store
        self._showing = False
        # JupyterLab may deliver widget messages on two kernel threads at once; one at a time,
        # or a change arriving while the screen is redrawn would be dropped.
        self._lock = threading.RLock()
        self.details = ParticipantDetails()
        self.about = widgets.VBox([self.details])  # "About you", or what a screen shows in its place
        self.save_bar = SaveBar(store, on_replace=self.show_work)
        self.progress_text = HTML()
        self.progress_bar = widgets.IntProgress(
            min=0, max=progress_total, description="Progress", style={"description_width": "initial"}
        )
        for key, field in self.details.fields.items():
            field.observe(lambda change, key=key: self._save_participant(key, change["new"]), "value")
        super().__init__()
        self.add_class("plkit")

    def finish(self, body: list[widgets.Widget], top: list[widgets.Widget] | None = None) -> None:
        """Lay the screen out (``top`` above "About you") and show the saved work."""
        self.children = [
            style_tag(),
            *(top or []),
            self.about,
            self.save_bar,
            row([self.progress_bar, self.progress_text]),
            *body,
        ]
        self.show_work()

    def use_store(self, store: WorkStore, about: widgets.Widget | None = None) -> None:
        """Work on another file from now on (a team's instead of one's own, say) and show it.

        ``about`` takes the place of "About you" while that file is open (None: "About you")."""
        with self._lock:
            self.store = store
            self.save_bar.use_store(store)
            self.about.children = [about or self.details]
        self.show_work()

    # --- saving -------------------------------------------------------------------------------
    def edit(self, change: Callable[[Work], None]) -> Work | None:
        """Save one change (unless the screen is only showing saved answers)."""
        with self._lock:
            if self._showing:
                return None
            try:
                work = self.store.edit(change)
            except PlkitError as exc:  # not saved: say why; what was typed stays on screen
                self.save_bar.say_not_saved(exc.message)
                return None
            self.save_bar.saved()
            self.show_progress(work)
            return work

    def _save_participant(self, key: str, value: str) -> None:
        self.edit(lambda work: setattr(work.participant, key, value))

    # --- showing ------------------------------------------------------------------------------
    def show_work(self) -> None:
        """Put the saved answers into every control, without saving them again."""
        with self._lock:
            work = self.store.work
            self._showing = True
            try:
                for key, field in self.details.fields.items():
                    value = getattr(work.participant, key)
                    if key == "role" and value not in {v for _, v in ROLES}:
                        value = ""
                    field.value = value
                self.show_answers(work)
            finally:
                self._showing = False
            self.show_progress(work)

    def show_progress(self, work: Work) -> None:
        done, text = self.progress(work)
        self.progress_bar.value = done
        self.progress_text.value = f'<strong class="plkit-progress">{text}</strong>'

    def refresh_if_changed(self) -> None:
        """Show answers another open workbook saved meanwhile."""
        if self.store.refresh():
            self.show_work()

    def show_answers(self, work: Work) -> None:
        raise NotImplementedError

    def progress(self, work: Work) -> tuple[int, str]:
        raise NotImplementedError
