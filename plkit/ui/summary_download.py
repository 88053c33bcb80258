"""Workbook 2's "Prepare my summary to print": the self-assessment as a web page and as Markdown."""

from __future__ import annotations

import base64

import ipywidgets as widgets

from plkit.store import WorkStore
from plkit.summary import summary_html, summary_markdown
from plkit.ui.common import HTML, Button


class SummaryDownload(widgets.VBox):
    """A button that makes the printable self-assessment from the saved work, and its links."""

    def __init__(self, store: WorkStore) -> None:
        self.store = store
        self.prepare = Button(description="Prepare my summary to print", icon="print",
                                      button_style="primary", layout=widgets.Layout(width="auto"))
        self.downloads = HTML()
        self.prepare.on_click(self._prepare)
        super().__init__([HTML("<h3>Print or share your self-assessment</h3>"), self.prepare, self.downloads])

    def _prepare(self, _=None) -> None:
        self.store.refresh()  # what another open workbook saved counts too
        work, framework = self.store.work, self.store.framework
        page = base64.b64encode(summary_html(work, framework).encode("utf-8")).decode("ascii")
        text = base64.b64encode(summary_markdown(work, framework).encode("utf-8")).decode("ascii")
        self.downloads.value = (
            '<p role="status">Your summary is ready, with every answer saved so far. Open the web page and '
            "print it (Ctrl+P or ⌘P), or keep the Markdown to paste into a shared document.</p><p>"
            f'<a class="plkit-button" download="my-self-assessment.html" href="data:text/html;base64,{page}">'
            "Download my summary (web page)</a> "
            f'<a class="plkit-button" download="my-self-assessment.md" href="data:text/markdown;base64,{text}">'
            "Download my summary (Markdown)</a></p>"
        )
