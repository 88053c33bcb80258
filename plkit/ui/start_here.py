"""The *Start here* page: the workbooks as cards with the person's progress in each.

It is shown as an HTML output rather than a widget: JupyterLab opens the links of an HTML
output in its own tabs (a widget's links would reload the whole page), and the app view follows
them as ordinary links.
"""

from __future__ import annotations

import os
from pathlib import Path

from plkit.content import load_framework
from plkit.home import Card, cards
from plkit.report import render_page
from plkit.work import WORK_FILE_NAME, default_work_dir


class StartHere:
    """The cards, drawn when the notebook shows this object."""

    def __init__(self, items: list[Card], work_file: Path) -> None:
        self.cards = items
        self.work_file = work_file

    def html(self) -> str:
        return render_page(
            "start_here.html.j2",
            participant_cards=[c for c in self.cards if not c.workbook.for_facilitators],
            facilitator_cards=[c for c in self.cards if c.workbook.for_facilitators],
            work_file=f"{self.work_file.parent.name}/{self.work_file.name}",
        )

    def _repr_html_(self) -> str:
        return self.html()


def start_here(framework_path: str | os.PathLike | None = None, *,
               work_dir: str | os.PathLike | None = None) -> StartHere:
    """The home page's cards, with the progress saved in ``work_dir`` (``my_work/`` by default)."""
    folder = Path(work_dir) if work_dir is not None else default_work_dir()
    return StartHere(cards(load_framework(framework_path), folder), folder / WORK_FILE_NAME)
