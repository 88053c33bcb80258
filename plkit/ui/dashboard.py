"""Workbook 5: the facilitator's view of the whole group, and the group report."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import ipywidgets as widgets

from plkit import group as g
from plkit.charts import agreement_heatmap, stacked_ratings
from plkit.content import Framework, data_dir, load_framework
from plkit.errors import PlkitError
from plkit.files import display_name
from plkit.report import group_html, group_markdown
from plkit.ui.common import escape, figure_html, line_box, row, style_tag

DEMO = "demo"
MAX_LISTED = 100  # files left out listed on screen; the group report lists every one


def _counts(counts: dict[str, int], framework: Framework) -> str:
    labels = {o.id: o.label for o in framework.scale} | {g.UNRATED: "Not rated"}
    return ", ".join(f"{labels[k]}: {v}" for k, v in counts.items() if v)


class Dashboard(widgets.VBox):
    """Load many work files, then see agreement, disagreements, themes, priorities and notes."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.sources: dict[str, bytes] = {}
        self.unread: dict[Path, tuple[str, str]] = {}  # a folder's files not read: path -> (name, why)
        self.notices: list[str] = []
        self.group = g.Group()
        self.upload = widgets.FileUpload(accept=".json,application/json", multiple=True,
                                         description="Add work files", icon="upload",
                                         layout=widgets.Layout(width="auto"))
        self.folder = line_box("Or a folder of work files", placeholder="e.g. collected_work")
        self.read_folder = widgets.Button(description="Read the folder")
        self.demo = widgets.Button(description="Use the demo group (synthetic)", icon="users")
        self.clear = widgets.Button(description="Clear the group", icon="times")
        self.names = widgets.Checkbox(value=False, description="Show participants' names", indent=False)
        self.status = widgets.HTML()
        self.completion = widgets.HTML()
        self.queue = widgets.HTML()
        self.heatmap = widgets.HTML()
        self.themes = widgets.HTML()
        self.priorities = widgets.HTML()
        self.notes = widgets.HTML()
        self.prepare = widgets.Button(description="Prepare the group report", icon="file",
                                      button_style="primary")
        self.downloads = widgets.HTML()
        self.tabs = widgets.Tab(children=[
            self.completion, self.queue, self.heatmap, self.themes, self.priorities, self.notes,
            widgets.VBox([widgets.HTML(
                "<p>One web page to share (charts included; anonymous unless names are shown) "
                "and the same in Markdown; and every rating as a table (one row per person and practice) "
                "for a spreadsheet.</p>"), self.prepare, self.downloads]),
        ])
        self.tabs.titles = ["Who completed what", "Discuss first", "Every practice", "Themes",
                            "Priorities", "Notes", "Group report"]
        self.upload.observe(self._uploaded, "value")
        self.read_folder.on_click(lambda _: self._add_folder(Path(self.folder.value.strip())))
        self.demo.on_click(lambda _: self._add_folder(data_dir() / DEMO))
        self.clear.on_click(self._clear)
        self.names.observe(lambda _: self.show(), "value")
        self.tabs.observe(lambda _: self._draw_selected(), "selected_index")
        self.prepare.on_click(self._prepare)
        super().__init__([
            style_tag(),
            widgets.HTML("<h2>1. Collect the group's work files</h2><p>Participants use <em>Download my "
                         "work</em> and send you the file. Add them here, all at once; a file that "
                         "cannot be read is listed and left out.</p>"),
            row([self.upload, self.demo, self.clear]), row([self.folder, self.read_folder]),
            widgets.HTML("<p><small>A folder is read from the computer or server running this "
                         "workbook (on Binder, upload the files into JupyterLab's file list first). "
                         "The dashboard keeps nothing: after a reload, add the files again.</small></p>"),
            self.names, self.status,
            widgets.HTML("<h2>2. See the group</h2>"), self.tabs,
        ])
        self.add_class("plkit")
        self.show()

    # --- collecting ---------------------------------------------------------------------------
    def _uploaded(self, change) -> None:
        files = change["new"]
        if not files:
            return
        self.notices = []
        for upload in files:
            self._add_source(display_name(upload["name"]), bytes(upload["content"]))
        self.upload.value = ()
        self.show()

    def _add_source(self, name: str, data: bytes) -> None:
        """Keep a file; the same file twice counts once, a different file with the same name is kept too."""
        if self.sources.get(name) == data:
            self.notices.append(f"{name} was already added; it counts once.")
            return
        unique, number = name, 1
        while unique in self.sources:
            number += 1
            unique = f"{Path(name).stem} ({number}){Path(name).suffix}"
        self.sources[unique] = data

    def _add_folder(self, folder: Path) -> None:
        if not str(folder) or not folder.is_dir():
            self.status.value = (f'<p role="status" class="plkit-problem">There is no folder called '
                                 f"{escape(display_name(folder))} here. Give its full path, or a path from this "
                                 "workbook's folder.</p>")
            return
        try:
            files = g.work_files(folder)
        except PlkitError as exc:
            self.status.value = f'<p role="status" class="plkit-problem">{escape(exc.message)}</p>'
            return
        self.notices = []
        shown_names: set[str] = set()
        for name, path in files:
            shown = display_name(name)
            while shown in shown_names:  # two names shown alike (bytes that are not UTF-8): both kept
                shown = f"{Path(shown).stem} (same name){Path(shown).suffix}"
            shown_names.add(shown)
            if len(self.sources) >= g.MAX_GROUP_FILES:
                self.unread[path] = (shown, g.TOO_MANY)
                continue
            try:
                self._add_source(shown, g.read_work_file(path))
            except PlkitError as exc:  # a pipe, a device, a folder, too large: listed, never read
                self.unread[path] = (shown, exc.message)
        self.show()

    def _clear(self, _=None) -> None:
        self.sources.clear()
        self.unread.clear()
        self.notices = []
        self.show()

    # --- showing ------------------------------------------------------------------------------
    def show(self) -> None:
        """Read the collected files again (names on or off) and refresh every view."""
        self.group = g.read_group(self.sources.items(), self.framework, names=self.names.value)
        self.group.skipped.extend(self.unread.values())
        self.table = g.rating_table(self.group, self.framework)
        self.downloads.value = ""
        count, skipped = len(self.group), self.group.skipped
        if not self.sources and not skipped:
            self.status.value = "<p role=\"status\">No work files yet.</p>"
        else:
            listing = "".join(f"<li>{escape(name if self.names.value else f'File {i}')}: {escape(reason)}</li>"
                              for i, (name, reason) in enumerate(skipped[:MAX_LISTED], 1))
            if len(skipped) > MAX_LISTED:
                listing += f"<li>… and {len(skipped) - MAX_LISTED:,} more, each listed in the group report.</li>"
            left_out = f"<p>Left out, with the reason:</p><ul>{listing}</ul>" if skipped else ""
            demo = sum(1 for name in self.sources if name.startswith("synthetic-"))
            if demo:
                left_out += (f"<p><strong>{demo} of these files are the synthetic demo group.</strong> "
                             "Use <em>Clear the group</em> before adding your participants' files.</p>")
            left_out += "".join(f"<p>{escape(notice)}</p>" for notice in self.notices)
            people = f"{count:,} participant{'' if count == 1 else 's'}"
            self.status.value = (f'<p role="status"><strong>{people}</strong> read; '
                                 f"files left out: {len(skipped):,}.</p>{left_out}")
        self.completion.value = "<table>" + "".join(
            f"<tr><th style='text-align:left;padding-right:1em'>{escape(k.capitalize())}</th><td>{v}</td></tr>"
            for k, v in g.completion(self.group, self.framework).items()) + "</table>"
        self.queue.value = self._queue_html()
        self.priorities.value = self._priorities_html()
        self.notes.value = self._notes_html()
        self.heatmap.value = self.themes.value = ""
        self._draw_selected()

    def _queue_html(self) -> str:
        queue = g.disagreement_queue(self.table, limit=10)
        if not queue:
            return "<p>No disagreements to discuss yet.</p>"
        items = "".join(
            f"<li><strong>{escape(self.framework.practices[q.practice_id].text)}</strong><br>"
            f"Disagreement {q.score:.2f} (0 = all agree, 1 = evenly split) · {escape(_counts(q.counts, self.framework))}</li>"
            for q in queue)
        return ("<p>The practices where the group is most split, to discuss first on the way to "
                f'consensus:</p><ol class="plkit-queue">{items}</ol>')

    def _priorities_html(self) -> str:
        tally = g.priority_tally(self.group, self.framework)
        if not tally:
            return "<p>No action plans yet.</p>"
        return "<ol>" + "".join(f"<li>{escape(title)}: chosen by {n}</li>" for title, n in tally) + "</ol>"

    def _notes_html(self) -> str:
        notes = g.approach_notes(self.group)
        if not notes:
            return "<p>No notes yet.</p>"
        blocks = []
        for approach in self.framework.approaches.values():
            if approach.id in notes:
                items = "".join(f"<li><strong>{escape(who)}</strong>: {escape(text)}</li>"
                                for who, text in notes[approach.id])
                blocks.append(f"<h3>{escape(approach.text)}</h3><ul>{items}</ul>")
        return "".join(blocks)

    def _draw_selected(self) -> None:
        if not len(self.group):
            return
        if self.tabs.selected_index == 2 and not self.heatmap.value:
            labels = {p.id: p.text for p in self.framework.practices.values()}
            self.heatmap.value = figure_html(
                agreement_heatmap(self.table, labels, self.framework),
                "Heat map of the group's ratings per practice; the numbers are in the group report.")
        if self.tabs.selected_index == 3 and not self.themes.value:
            summary = g.theme_summary(self.table, self.framework)
            titles = {t.id: t.title for t in self.framework.themes}
            alt = "; ".join(f"{titles[t]}: {_counts(c, self.framework)}" for t, c in summary.items())
            self.themes.value = figure_html(
                stacked_ratings(summary, titles, self.framework, "The group's ratings, theme by theme"), alt)

    def _prepare(self, _=None) -> None:
        if not len(self.group):
            self.downloads.value = '<p role="status" class="plkit-problem">Add some work files first.</p>'
            return
        names = self.names.value
        page = base64.b64encode(group_html(self.group, self.framework, names).encode()).decode("ascii")
        text = base64.b64encode(group_markdown(self.group, self.framework, names).encode()).decode("ascii")
        table = base64.b64encode(g.group_csv(self.group, self.framework, names).encode()).decode("ascii")
        self.downloads.value = (
            f'<p role="status">The report is ready ({"names shown" if names else "anonymous"}).</p><p>'
            f'<a class="plkit-button" download="group-report.html" href="data:text/html;base64,{page}">'
            "Download the group report (web page)</a> "
            f'<a class="plkit-button" download="group-report.md" href="data:text/markdown;base64,{text}">'
            "Download the group report (Markdown)</a> "
            f'<a class="plkit-button" download="group-table.csv" href="data:text/csv;base64,{table}">'
            "Download the answers as a table (CSV, for a spreadsheet)</a></p>")


def dashboard(framework_path: str | os.PathLike | None = None) -> Dashboard:
    """Build the facilitator dashboard."""
    return Dashboard(load_framework(framework_path))
