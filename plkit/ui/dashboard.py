"""Workbook 5: collect the group's work files, see the whole group (and the group report), agree as a team."""

from __future__ import annotations

import base64
import contextlib
import os
from pathlib import Path

import ipywidgets as widgets

from plkit import group as g
from plkit import handin
from plkit.charts import agreement_heatmap, stacked_ratings
from plkit.collected import CollectedFiles
from plkit.content import Framework, data_dir, load_framework
from plkit.errors import PlkitError
from plkit.files import display_name
from plkit.model import TEAM
from plkit.report import group_html, group_markdown
from plkit.roles import MIN_GROUP, between_roles_queue, compare_roles, most_common
from plkit.store import WorkStore
from plkit.ui.common import HTML, Button, escape, figure_html, line_box, row, style_tag
from plkit.ui.consensus import ConsensusScreen
from plkit.ui.hand_in import HandinsReader
from plkit.ui.rounds import TeamRounds
from plkit.work import default_work_dir

DEMO = "demo"
DEMO_PREFIX = "synthetic-"  # every file of the demo group is named so
MAX_LISTED = 100  # files left out listed on screen; the group report lists every one


def _counts(counts: dict[str, int], framework: Framework) -> str:
    labels = {o.id: o.label for o in framework.scale} | {g.UNRATED: "Not rated"}
    return ", ".join(f"{labels[k]}: {v}" for k, v in counts.items() if v)


class Dashboard(widgets.VBox):
    """Collect many work files, see the group's agreement and disagreements, then agree as a team.

    Every file collected is kept as a copy in ``work_dir/group`` (the group comes back after a
    reload), and the team's answers in ``work_dir/plkit-team.json``.
    """

    def __init__(self, framework: Framework, work_dir: str | os.PathLike | None = None) -> None:
        self.framework = framework
        self.work_dir = Path(work_dir) if work_dir is not None else default_work_dir()
        self.kept = CollectedFiles(self.work_dir)
        self.sources: dict[str, bytes] = {}
        self.unread: dict[Path, tuple[str, str]] = {}  # a folder's files not read: path -> (name, why)
        self.notices: list[str] = []
        self.group = g.Group()
        self.upload = widgets.FileUpload(accept=".json,application/json", multiple=True,
                                         description="Add work files", icon="upload",
                                         layout=widgets.Layout(width="auto"))
        self.folder = line_box("Or a folder of work files", placeholder="e.g. collected_work")
        self.read_folder = Button(description="Read the folder")
        self.demo = Button(description="Use the demo group (synthetic)", icon="users",
                                   layout=widgets.Layout(width="auto"))
        self.clear = Button(description="Clear the group", icon="times")
        self.confirm_clear = Button(description="Yes, clear the group", button_style="danger",
                                            layout=widgets.Layout(width="auto"))
        self.cancel_clear = Button(description="Cancel")
        self.clear_choices = row([])
        self.names = widgets.Checkbox(value=False, description="Show participants' names", indent=False)
        self.status = HTML()
        self.completion = HTML()
        self.queue = HTML()
        self.heatmap = HTML()
        self.themes = HTML()
        self.priorities = HTML()
        self.notes = HTML()
        self.roles = HTML()
        self.between_roles = HTML()
        self.prepare = Button(description="Prepare the group report", icon="file",
                                      button_style="primary")
        self.downloads = HTML()
        self.tabs = widgets.Tab(children=[
            self.completion, self.queue, self.heatmap, self.themes, self.priorities, self.notes,
            self.roles, self.between_roles,
            widgets.VBox([HTML(
                "<p>One web page to share (charts included; anonymous unless names are shown) "
                "and the same in Markdown; and every rating as a table (one row per person and practice) "
                "for a spreadsheet.</p>"), self.prepare, self.downloads]),
        ])
        self.tabs.titles = ["Who completed what", "Discuss first", "Every practice", "Themes",
                            "Priorities", "Notes", "Roles", "Between roles", "Group report"]
        self.upload.observe(self._uploaded, "value")
        self.read_folder.on_click(lambda _: self._add_folder(Path(self.folder.value.strip())))
        self.demo.on_click(lambda _: self._add_folder(data_dir() / DEMO))
        self.clear.on_click(self._ask_clear)
        self.confirm_clear.on_click(self._clear)
        self.cancel_clear.on_click(self._cancel_clear)
        self.names.observe(lambda _: self.show(), "value")
        self.tabs.observe(lambda _: self._draw_selected(), "selected_index")
        self.prepare.on_click(self._prepare)
        # On a workshop hub only: the participants' hand-ins, read from the hub's hand-in service.
        self.handins = HandinsReader(self._add_handins, self._notice) if handin.available() else None
        self.consensus = ConsensusScreen(framework, WorkStore(framework, self.work_dir, kind=TEAM))
        # The team's rounds (keep the team's answers, compare two times) are built when first opened.
        self._team_rounds: TeamRounds | None = None
        self.rounds_section = widgets.Accordion(children=[widgets.VBox()], selected_index=None)
        self.rounds_section.set_title(0, "Rounds of the team's answers, and since last time")
        self.rounds_section.observe(self._rounds_opened, "selected_index")
        self.consensus.save_bar.on_replace = self._team_replaced
        self.consensus.on_saved = self._team_saved
        super().__init__([
            style_tag(),
            HTML("<h2>1. Collect the group's work files</h2><p>Participants use <em>Download my "
                         "work</em> and send you the file. Add them here, all at once; a file that "
                         "cannot be read is listed and left out.</p>"),
            row([self.upload, *filter(None, [self.handins]), self.demo, self.clear]),
            *([HTML("<p>On this hub, participants can also use <em>Hand in to my facilitator</em>: "
                            "<em>Read handed-in work</em> adds each person's newest hand-in to the group.</p>")]
              if self.handins else []),
            self.clear_choices, row([self.folder, self.read_folder]),
            HTML("<p><small>A folder is read from the computer or server running this "
                         "workbook (on Binder, upload the files into JupyterLab's file list first). "
                         f"A copy of every file you add is kept in {escape(self.kept.shown_folder)}, so the "
                         "group comes back after a reload or a restart, until you clear it.</small></p>"),
            self.names, self.status,
            HTML("<h2>2. See the group</h2>"), self.tabs,
            HTML("<h2>3. Agree as a team</h2>"), self.consensus, self.rounds_section,
        ])
        self.add_class("plkit")
        self._restore()
        self.show()

    # --- keeping the group across reloads -----------------------------------------------------
    def _restore(self) -> None:
        files, missing = self.kept.load()
        self.sources.update(files)
        if files:
            self.notices.append(f"The group you collected before is back: {len(files):,} "
                                f"file{'' if len(files) == 1 else 's'}.")
        if missing:
            self.notices.append(f"{len(missing):,} kept file{' was' if len(missing) == 1 else 's were'} "
                                f"missing from {self.kept.shown_folder} and left out.")

    def _keep(self, before: set[str]) -> None:
        """Copy the files just added into ``work_dir/group``; a plain notice if they could not be."""
        problem = self.kept.add([(name, data) for name, data in self.sources.items() if name not in before])
        if problem:
            self.notices.append(problem)

    # --- collecting ---------------------------------------------------------------------------
    def _uploaded(self, change) -> None:
        files = change["new"]
        if not files:
            return
        self.notices = []
        before = set(self.sources)
        for upload in files:
            self._add_source(display_name(upload["name"]), bytes(upload["content"]))
        self.upload.value = ()
        self._keep(before)
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

    def _add_handins(self, files: list[tuple[str, bytes]]) -> None:
        """Hand-ins read from the hub, one per person: a newer hand-in takes the place of the earlier one."""
        self.notices = []
        new = [(name, data) for name, data in files if self.sources.get(name) != data]
        self.sources.update(new)
        problem = self.kept.add(new)  # kept in order: after a reload, a person's newest copy wins
        self.notices.append(problem or f"Handed-in work read: {len(files):,} "
                            f"{'person' if len(files) == 1 else 'people'}, {len(new):,} new or changed since last read.")
        self.show()

    def _notice(self, text: str, problem: bool = False) -> None:
        self.notices.append(text)
        self.show()

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
        before = set(self.sources)
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
        self._keep(before)
        self.show()

    def _ask_clear(self, _=None) -> None:
        self.status.value = (
            f'<p role="status" class="plkit-problem">Clear the group? The {len(self.sources):,} files collected '
            f"are removed from this dashboard and from {escape(self.kept.shown_folder)}. The participants' own "
            "files and the team file are not touched.</p>")
        self.clear_choices.children = (self.confirm_clear, self.cancel_clear)

    def _cancel_clear(self, _=None) -> None:
        self.clear_choices.children = ()
        self.notices = ["Nothing was cleared."]
        self.show()

    def _clear(self, _=None) -> None:
        self.clear_choices.children = ()
        self.sources.clear()
        self.unread.clear()
        problem = self.kept.clear()
        self.notices = [problem] if problem else []
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
            notices = "".join(f"<p>{escape(notice)}</p>" for notice in self.notices)
            self.status.value = f"<p role=\"status\">No work files yet.</p>{notices}"
        else:
            listing = "".join(f"<li>{escape(name if self.names.value else f'File {i}')}: {escape(reason)}</li>"
                              for i, (name, reason) in enumerate(skipped[:MAX_LISTED], 1))
            if len(skipped) > MAX_LISTED:
                listing += f"<li>… and {len(skipped) - MAX_LISTED:,} more, each listed in the group report.</li>"
            left_out = f"<p>Left out, with the reason:</p><ul>{listing}</ul>" if skipped else ""
            left_out += demo_html(self.group)
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
        self.heatmap.value = self.themes.value = self.roles.value = self.between_roles.value = ""
        self._draw_selected()
        self.consensus.show_group(self.group, self.table)
        if self._team_rounds is not None:
            self._team_rounds.show()

    def _team_replaced(self) -> None:
        """A team file was loaded (or started over): show it, and its rounds."""
        self.consensus.show_team()
        if self._team_rounds is not None:
            self._team_rounds.show()

    # --- the team's rounds, built when first opened (the dashboard opens sooner) ----------------
    @property
    def team_rounds(self) -> TeamRounds:
        if self._team_rounds is None:
            self._team_rounds = TeamRounds(self.framework, self.consensus.store)
            self.rounds_section.children[0].children = (self._team_rounds,)
            self._team_rounds.show()
        return self._team_rounds

    def _rounds_opened(self, change) -> None:
        if change["new"] is not None:
            self.team_rounds  # noqa: B018 (built on first opening)

    def _team_saved(self) -> None:
        if self._team_rounds is not None:
            self._team_rounds.update()

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
        steps = g.plan_progress(self.group, self.framework)
        plans = f"{steps.plans} plan{'' if steps.plans == 1 else 's'}"
        head = (f"<p><strong>Steps done: {steps.done} of {steps.planned} planned, across {plans}.</strong></p>"
                if steps.planned else f"<p><strong>No steps written yet, across {plans}.</strong></p>")

        def done(title: str) -> str:
            finished, planned = steps.by_priority.get(title, (0, 0))
            return f" · steps done: {finished} of {planned}" if planned else " · no steps written yet"

        return head + '<ol class="plkit-priorities">' + "".join(
            f"<li><strong>{escape(title)}</strong><br>Chosen by {n} {'person' if n == 1 else 'people'}{done(title)}</li>"
            for title, n in tally) + "</ol>"

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
        if self.tabs.selected_index in (6, 7) and not self.roles.value:
            comparison = compare_roles(self.group, self.framework)
            self.roles.value = roles_html(comparison, self.framework)
            self.between_roles.value = between_roles_html(comparison, self.framework)

    def _prepare(self, _=None) -> None:
        if not len(self.group):
            self.downloads.value = '<p role="status" class="plkit-problem">Add some work files first.</p>'
            return
        names = self.names.value
        with contextlib.suppress(PlkitError):  # if the file is busy, the answers on screen are reported
            self.consensus.store.refresh()  # the team's newest answers (another open dashboard may record too)
        team = self.consensus.store.work
        team = team if team.participant.team.strip() or team.team.consensus else None  # a team file begun
        page = base64.b64encode(group_html(self.group, self.framework, names, team=team).encode()).decode("ascii")
        text = base64.b64encode(group_markdown(self.group, self.framework, names, team=team).encode()).decode("ascii")
        table = base64.b64encode(g.group_csv(self.group, self.framework, names).encode()).decode("ascii")
        self.downloads.value = (
            f'<p role="status">The report is ready ({"names shown" if names else "anonymous"}'
            f'{"; with the team’s agreed answers" if team else ""}).</p><p>'
            f'<a class="plkit-button" download="group-report.html" href="data:text/html;base64,{page}">'
            "Download the group report (web page)</a> "
            f'<a class="plkit-button" download="group-report.md" href="data:text/markdown;base64,{text}">'
            "Download the group report (Markdown)</a> "
            f'<a class="plkit-button" download="group-table.csv" href="data:text/csv;base64,{table}">'
            "Download the answers as a table (CSV, for a spreadsheet)</a></p>")


def demo_html(group: g.Group) -> str:
    """Which of the participants read, and of the files left out, are the synthetic demo group:
    counted as the status line counts them (people read, files left out), so the numbers agree."""
    people = sum(1 for member in group.members if member.source.startswith(DEMO_PREFIX))
    left_out = sum(1 for name, _ in group.skipped if name.startswith(DEMO_PREFIX))
    if not people and not left_out:
        return ""
    if people:
        who = (f"All {people:,} participants are" if people == len(group) and people > 1
               else "The participant is" if people == len(group)
               else f"{people:,} of the {len(group):,} participants are")
        text = f"<strong>{who} the synthetic demo group.</strong> "
    else:
        text = ""
    if left_out:
        text += (f"{'One file' if left_out == 1 else f'{left_out:,} files'} left out "
                 f"{'comes' if left_out == 1 else 'come'} with the demo group: a damaged example, to show how "
                 "a file that cannot be read is listed. ")
    return f"<p>{text}Use <em>Clear the group</em> before adding your participants' files.</p>"


def _not_compared(comparison) -> str:
    note = f"<p>{escape(comparison.roles.note)}</p>" if comparison.roles.note else ""
    return (f"<p>Fewer than two role groups of {MIN_GROUP} or more people: roles are not compared, so no one "
            f"can be identified.</p>{note}")


def roles_html(comparison, framework: Framework) -> str:
    """The role groups, their sizes, and each theme's ratings per role group, as tables."""
    if not comparison.roles.comparable:
        return _not_compared(comparison)
    sizes = ", ".join(f"{escape(label)} ({n})" for label, n in comparison.sizes.items())
    parts = [f"<p>Where participants gave their role, the group is split by role: {sizes}.</p>"]
    if comparison.roles.note:
        parts.append(f"<p>{escape(comparison.roles.note)}</p>")
    keys = (*framework.rating_ids, g.UNRATED)
    cell = "padding:2px 12px"
    heads = "".join(f"<th scope='col' style='{cell}'>{escape(label)}</th>"
                    for label in (*(o.label for o in framework.scale), "Not rated"))
    for theme in framework.themes:
        rows = "".join(
            f"<tr><th scope='row' style='text-align:left;{cell}'>{escape(label)} ({comparison.sizes[label]})</th>"
            + "".join(f"<td style='text-align:right;{cell}'>{_share(counts[theme.id], k)}</td>" for k in keys) + "</tr>"
            for label, counts in comparison.themes.items())
        practices = len(theme.practices)
        parts.append(f"<h3>{escape(theme.title)}</h3><table class='plkit-roles'>"
                     f"<caption style='text-align:left'>Ratings over the theme's {practices} practice"
                     f"{'' if practices == 1 else 's'}, by everyone in each role group (and the share of the group's row)</caption>"
                     f"<tr><th scope='col' style='text-align:left;{cell}'>Role group</th>{heads}</tr>{rows}</table>")
    groups = "".join(f"<th scope='col' style='text-align:left;{cell}'>{escape(label)} ({n})</th>"
                     for label, n in comparison.sizes.items())
    rows = "".join(
        f"<tr><th scope='row' style='text-align:left;font-weight:normal;{cell}'>{escape(practice.text)}</th>"
        + "".join(f"<td style='{cell}'>{escape(most_common(counts[practice.id], framework))}</td>"
                  for counts in comparison.practices.values()) + "</tr>"
        for theme in framework.themes for practice in theme.practices)
    parts.append("<h3>Every practice, by role</h3><table class='plkit-roles plkit-by-practice'>"
                 "<caption style='text-align:left'>What each role group mostly said</caption>"
                 f"<tr><th scope='col' style='text-align:left;{cell}'>Practice</th>{groups}</tr>{rows}</table>")
    return "".join(parts)


def _share(counts: dict[str, int], key: str) -> str:
    """A count and its share of the role group's row, so groups of different sizes compare: "76 (70%)"."""
    total = sum(counts.values())
    return f"{counts[key]} ({counts[key] / total:.0%})" if total else str(counts[key])


def between_roles_html(comparison, framework: Framework) -> str:
    """The practices where two role groups rated most differently."""
    if not comparison.roles.comparable:
        return _not_compared(comparison)
    queue = between_roles_queue(comparison, limit=10)
    if not queue:
        return "<p>No practice where the role groups see things very differently.</p>"
    items = "".join(
        f"<li><strong>{escape(framework.practices[gap.practice_id].text)}</strong><br>"
        f"{escape(gap.first)}: {escape(most_common(comparison.practices[gap.first][gap.practice_id], framework))}"
        f" · {escape(gap.second)}: "
        f"{escape(most_common(comparison.practices[gap.second][gap.practice_id], framework))}"
        f"<br><small>Difference {gap.score:.2f} (0 = rated alike, 1 = no rating in common)</small></li>"
        for gap in queue)
    return ("<p>The practices where two role groups see things most differently (the two that differ "
            f'most are shown):</p><ol class="plkit-queue">{items}</ol>')


def dashboard(framework_path: str | os.PathLike | None = None, *,
              work_dir: str | os.PathLike | None = None) -> Dashboard:
    """Build the facilitator dashboard (its collected group and team file kept in ``work_dir``)."""
    return Dashboard(load_framework(framework_path), work_dir)
