"""Workbook 4: turn gaps from the self-assessment into a plan of up to three priorities.

It opens one person's work, or the team's file (the answers a team agreed): the team's plan comes
from the team's *This is different* and *No agreement yet* practices, and is kept in the team file.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from datetime import date

import ipywidgets as widgets

from plkit.charts import timeline, to_png
from plkit.consensus import answer_label, progress, team_line
from plkit.content import Framework, load_framework
from plkit.errors import PlkitError
from plkit.model import (
    MAX_PRIORITIES,
    NO_AGREEMENT,
    PERSONAL,
    TEAM,
    Priority,
    Work,
)
from plkit.plan import (
    add_problem,
    date_problem,
    details_filled,
    plan_problems,
    plan_step_progress,
    progress_text,
    propose_priorities,
    timeline_alt,
    written_steps,
)
from plkit.report import plan_html, plan_markdown
from plkit.store import WorkStore
from plkit.ui.common import HTML, Button, chart_html, escape, line_box, row
from plkit.ui.priority_card import PriorityCard, problem_html
from plkit.ui.screen import WorkbookScreen
from plkit.validation import MAX_LINE

SELF_ASSESSMENT = "02_self_assessment.ipynb"


def candidates_html(work: Work, framework: Framework) -> str:
    """The practices the self-assessment (or the team's agreed answers) suggests, grouped by
    rating and theme."""
    candidates = propose_priorities(work, framework)
    if not candidates and work.is_team:
        return (
            '<p class="plkit-problem" role="status">The team has not recorded any practice as '
            "<em>This is different</em> or <em>No agreement yet</em>, so there is nothing to suggest. "
            "Write a priority of the team's own below.</p>"
        )
    if not candidates:
        return (
            '<p class="plkit-problem" role="status">Your self-assessment has no practices rated '
            "<em>This is different</em> or <em>Not sure yet</em> yet, so there is nothing to suggest. "
            f'Rate your school in <a href="{SELF_ASSESSMENT}" target="_blank">Workbook 2: Where does your '
            "school stand?</a>, or write a priority of your own below.</p>"
        )
    blocks, current = [], None
    for candidate in candidates:
        heading = (answer_label(candidate.rating, framework), candidate.theme.title)
        if heading != current:
            if current:
                blocks.append("</ul>")
            blocks.append(f"<h4>{escape(heading[0])}: {escape(heading[1])}</h4><ul>")
            current = heading
        blocks.append(f"<li>{escape(candidate.practice.text)}{_still_needed(work, candidate.practice.id)}</li>")
    source = "the team's agreed answers" if work.is_team else "your self-assessment"
    return f"<p>From {source}, these practices could become priorities:</p>" + "".join(blocks) + "</ul>"


def _still_needed(work: Work, practice_id: str) -> str:
    """For a practice the team has not agreed on: the evidence still needed, and who finds it."""
    agreement = work.team.consensus.get(practice_id) if work.is_team else None
    if agreement is None or agreement.rating != NO_AGREEMENT:
        return ""
    return (f"<br><small>Evidence still needed: {escape(agreement.evidence_needed)}. "
            f"Who finds it: {escape(agreement.who_finds)}.</small>")


def open_line(store: WorkStore) -> str:
    """Which file is open: one's own plan, or the team's (and who agreed it)."""
    where = f"{store.folder.name}/{store.file_name}"
    if store.kind != TEAM:
        return f"Open: your own plan ({where})"
    if not store.path.exists():
        return f"Open: the team plan ({where}), but there is no team file here yet"
    work = store.work
    team = work.participant.team.strip()
    text = f"Open: the team plan{' of ' + team if team else ''} ({where})"
    members = work.team.members
    return text + (f" — agreed by {members} member{'' if members == 1 else 's'}" if members else "")


def team_html(store: WorkStore, framework: Framework) -> str:
    """What takes the place of "About you" for the team's plan: the team, and who agreed."""
    if not store.path.exists():
        return (
            "<h2>The team</h2><p>There is no team file here yet. A team file holds the answers your "
            "team agreed, practice by practice. The facilitator makes it in the facilitator's workbook "
            "(<em>Agree as a team</em>): if that workbook runs here, the team file opens here by itself. "
            "Otherwise, download it there (<em>Download the team file</em>) and open it here with "
            "<em>Load a team file</em> below.</p>"
        )
    work = store.work
    team = work.participant.team.strip() or "Team name not given"
    return (
        f"<h2>The team</h2><p><strong>{escape(team)}</strong>. {escape(team_line(work))} "
        f"Practices: {escape(progress(work, framework).text)}.</p>"
        "<p>The team's plan is kept in the team file, apart from your own plan.</p>"
    )


class ActionPlanScreen(WorkbookScreen):
    """Workbook 4's screen: choose priorities, plan each one, see the timeline, export."""

    def __init__(self, store: WorkStore) -> None:
        self.framework = store.framework
        self.stores = {store.kind: store}  # one's own work, and the team's once asked for
        super().__init__(store, progress_total=1)
        self.whose = widgets.ToggleButtons(
            options=[("My own plan", PERSONAL), ("Our team's plan", TEAM)], value=store.kind,
            description="Whose plan?", style={"description_width": "initial"},
            tooltips=["The plan in your own work file", "The plan in the team file (the answers your team agreed)"],
        )
        self.open_line = HTML()
        self.team_about = HTML()
        self.whose.observe(lambda change: self._switch(change["new"]), "value")
        self.suggestions = HTML()
        self.choice = widgets.Dropdown(description="Practice", style={"description_width": "initial"},
                                       layout=widgets.Layout(width="auto", max_width="100%"))
        self.add_chosen = Button(description="Add this practice as a priority", button_style="primary",
                                         layout=widgets.Layout(width="auto"))
        self.own_title = line_box("Or a priority of your own", placeholder="In a few words")
        self.add_own = Button(description="Add my own priority")
        self.add_message = HTML()
        self.cards_box = widgets.VBox()
        self.cards: list[PriorityCard] = []
        self.check = HTML()
        self.chart = HTML()
        self._drawn: tuple = ()  # what the timeline's picture shows
        self._picture = ""
        self.prepare = Button(description="Prepare my plan to print or share", icon="print",
                                      button_style="primary", layout=widgets.Layout(width="auto"))
        self.downloads = HTML()
        self.add_chosen.on_click(self._add_chosen)
        self.add_own.on_click(self._add_own)
        self.prepare.on_click(self._prepare)
        self.finish(top=[self.whose, self.open_line], body=[
            HTML("<h2>1. Choose up to three priorities</h2>"), self.suggestions,
            row([self.choice, self.add_chosen]), row([self.own_title, self.add_own]), self.add_message,
            HTML("<h2>2. Plan each priority</h2>"), self.cards_box, self.check,
            HTML("<h2>3. Timeline and printable plan</h2>"), self.chart, self.prepare, self.downloads,
        ])

        if store.kind == TEAM:
            self.about.children = [self.team_about]

    # --- whose plan ---------------------------------------------------------------------------
    @property
    def is_team(self) -> bool:
        return self.store.kind == TEAM

    def _switch(self, kind: str) -> None:
        """Open one's own plan or the team's: the team file is only read here, never made empty."""
        if kind == self.store.kind:
            return
        store = self.stores.get(kind)
        try:
            if store is None:
                store = WorkStore(self.framework, self.store.folder, kind=kind)
                self.stores[kind] = store
            else:
                store.refresh()
        except PlkitError as exc:
            self.whose.value = self.store.kind  # stay with the file that is open
            self._say(exc.message)
            return
        self._say("")
        self.use_store(store, about=self.team_about if kind == TEAM else None)

    # --- choosing -----------------------------------------------------------------------------
    def _say(self, message: str, problem: bool = True) -> None:
        css = ' class="plkit-problem"' if problem else ""
        self.add_message.value = f'<p role="status"{css}>{escape(message)}</p>' if message else ""

    def _add(self, title: str, practice: str = "") -> None:
        self.refresh_if_changed()
        if self.is_team and not self.store.path.exists():
            self._say("There is no team file here yet, so the team's plan has nowhere to go: open the "
                      "team file first (see “The team” above).")
            return
        problem = add_problem(self.store.work, title, practice)
        if problem:
            self._say(problem)
            return
        self.edit(lambda work: work.action_plan.priorities.append(Priority(title=title.strip(), practice=practice)))
        self._say(f"Added. Plan it in step 2 below ({len(self.store.work.action_plan.priorities)} of "
                  f"{MAX_PRIORITIES} priorities).", problem=False)
        self.own_title.value = ""
        self.show_work()

    def _add_chosen(self, _=None) -> None:
        practice_id = self.choice.value
        if not practice_id and self.is_team:
            self._say("There is no practice to choose: the team has recorded none as “This is different” "
                      "or “No agreement yet”. Write a priority of the team's own instead.")
            return
        if not practice_id:
            self._say("There is no practice to choose yet: rate some practices in Workbook 2 first.")
            return
        self._add(short_title(self.framework.practices[practice_id].text), practice_id)

    def _add_own(self, _=None) -> None:
        self._add(self.own_title.value)

    def _remove(self, index: int) -> None:
        self.edit(lambda work: work.action_plan.priorities.pop(index))
        self._say("Priority removed.", problem=False)
        self.show_work()

    # --- planning -----------------------------------------------------------------------------
    def _build_cards(self, work: Work) -> None:
        priorities = work.action_plan.priorities
        if [c.heading.value for c in self.cards] == [
            f"<h3>Priority {i}: {escape(p.title)}</h3>" for i, p in enumerate(priorities, start=1)
        ]:
            return
        self.cards = [PriorityCard(i, p, self.framework) for i, p in enumerate(priorities, start=1)]
        for index, card in enumerate(self.cards):
            self._connect(index, card)
        self.cards_box.children = self.cards or [HTML("<p>No priorities yet.</p>")]

    def _connect(self, index: int, card: PriorityCard) -> None:
        def save_text(key: str, value: str) -> None:
            if card.showing:  # the card is showing what is saved
                return
            self.edit(lambda work: setattr(work.action_plan.priorities[index], key, value))
            self._show_check()

        def save_date(key: str, value: date | None) -> None:
            if self._showing or card.showing:
                return
            priority = self.store.work.action_plan.priorities[index]
            start = value.isoformat() if key == "start" and value else priority.start if key == "end" else ""
            end = value.isoformat() if key == "end" and value else priority.end if key == "start" else ""
            problem = date_problem(start, end)
            card.problem.value = problem_html(problem)
            if problem:
                return  # the saved plan keeps its last good dates
            self.edit(lambda work: setattr(work.action_plan.priorities[index], key, value.isoformat() if value else ""))
            self._show_check()
            self._draw_chart(self.store.work)

        def save_resource(resource_id: str, chosen: bool) -> None:
            if card.showing:
                return

            def change(work: Work) -> None:
                resources = work.action_plan.priorities[index].resources
                if chosen and resource_id not in resources:
                    resources.append(resource_id)
                elif not chosen and resource_id in resources:
                    resources.remove(resource_id)
            self.edit(change)

        for key, box in card.texts.items():
            box.observe(lambda change, key=key: save_text(key, change["new"]), "value")
        for key in ("start", "end"):
            getattr(card, key).observe(lambda change, key=key: save_date(key, change["new"]), "value")
        for resource_id, box in card.resources.items():
            box.observe(lambda change, rid=resource_id: save_resource(rid, change["new"]), "value")
        def remove(_) -> None:
            if card.remove.description == "Yes, remove it":
                self._remove(index)
                return
            card.remove.description = "Yes, remove it"
            card.remove.button_style = "danger"
            card.problem.value = ('<p role="status" class="plkit-problem">Remove this priority and '
                                  "everything planned for it? Click again to confirm.</p>")

        card.remove.on_click(remove)
        card.save = lambda change, redraw=True: self._save_priority(index, change, redraw)

    def _save_priority(self, index: int, change: Callable[[Priority], None], redraw: bool) -> Priority | None:
        """Save a change to one priority (its steps, check-ins or review): the priority as saved, or
        None when nothing was saved (the save bar says why)."""
        def apply(work: Work) -> None:
            if index < len(work.action_plan.priorities):  # another workbook may have removed it
                change(work.action_plan.priorities[index])
        work = self.edit(apply)
        if work is None or index >= len(work.action_plan.priorities):
            return None
        self._show_check()
        if redraw:
            self._draw_chart(work)
        return work.action_plan.priorities[index]

    def _show_check(self) -> None:
        problems = plan_problems(self.store.work)
        if problems:
            items = "".join(f"<li>{escape(p)}</li>" for p in problems)
            self.check.value = f"<p><strong>Still to do:</strong></p><ul>{items}</ul>"
        else:
            self.check.value = "<p><strong>Your plan is complete.</strong> Prepare it to print or share below.</p>"

    def _draw_chart(self, work: Work) -> None:
        """The timeline, drawn again only when what it shows has changed; its words always current."""
        priorities = work.action_plan.priorities
        if not priorities:
            self.chart.value = ""
            return
        title = "Our team's action plan: timeline" if work.is_team else "My action plan: timeline"
        drawn = (title, *((p.title, p.start, p.end, *((n, s.status, s.due) for n, s in written_steps(p)))
                          for p in priorities))
        if drawn != self._drawn:
            self._picture = base64.b64encode(to_png(timeline(priorities, title=title))).decode("ascii")
            self._drawn = drawn
        self.chart.value = chart_html(self._picture, timeline_alt(priorities))

    def _prepare(self, _=None) -> None:
        work = self.store.work
        if not work.action_plan.priorities:
            self.downloads.value = '<p role="status" class="plkit-problem">Add a priority first.</p>'
            return
        page = base64.b64encode(plan_html(work, self.framework).encode("utf-8")).decode("ascii")
        text = base64.b64encode(plan_markdown(work, self.framework).encode("utf-8")).decode("ascii")
        name, whose, ready = (("team-action-plan", "the team's", "The team's plan is") if work.is_team
                              else ("my-action-plan", "my", "Your plan is"))
        self.downloads.value = (
            f'<p role="status">{ready} ready. Open the web page and print it (Ctrl+P or ⌘P), '
            "or keep the Markdown to paste into a shared document.</p><p>"
            f'<a class="plkit-button" download="{name}.html" href="data:text/html;base64,{page}">'
            f"Download {whose} plan (web page)</a> "
            f'<a class="plkit-button" download="{name}.md" href="data:text/markdown;base64,{text}">'
            f"Download {whose} plan (Markdown)</a></p>"
        )

    # --- showing ------------------------------------------------------------------------------
    def show_answers(self, work: Work) -> None:
        self.open_line.value = f'<p role="status"><strong>{escape(open_line(self.store))}</strong></p>'
        self.team_about.value = team_html(self.store, self.framework) if self.is_team else ""
        whose = "the team's" if self.is_team else "my"
        self.prepare.description = f"Prepare {whose} plan to print or share"
        self.suggestions.value = candidates_html(work, self.framework)
        taken = {p.practice for p in work.action_plan.priorities}
        options = [(f"{answer_label(c.rating, self.framework)} · {c.theme.title}: {c.practice.text}", c.practice.id)
                   for c in propose_priorities(work, self.framework) if c.practice.id not in taken]
        self.choice.options = options
        self.choice.value = options[0][1] if options else None
        self._build_cards(work)
        for card, priority in zip(self.cards, work.action_plan.priorities, strict=True):
            card.show(priority)
            card.problem.value = ""
        self._show_check()
        self._draw_chart(work)
        self.downloads.value = ""

    def progress(self, work: Work) -> tuple[int, str]:
        filled, total = details_filled(work)
        count = len(work.action_plan.priorities)
        self.progress_bar.max = max(total, 1)
        if not count:
            return 0, "No priorities chosen yet"
        done, planned = plan_step_progress(work)
        steps = f"; {progress_text(done, planned)}" if planned else ""
        return filled, f"{count} of {MAX_PRIORITIES} priorities chosen; {filled} of {total} plan details filled in{steps}"


def short_title(text: str, words: int = 8) -> str:
    """The first words of a practice, as a priority's title."""
    parts = text.rstrip(".").split()
    title = " ".join(parts[:words]) + ("…" if len(parts) > words else "")
    return title if len(title) <= MAX_LINE else title[: MAX_LINE - 1] + "…"  # a title box holds 200


def action_plan(
    framework_path: str | os.PathLike | None = None, *, work_dir: str | os.PathLike | None = None
) -> ActionPlanScreen:
    """Build workbook 4's screen; the plan autosaves to ``my_work/`` beside the workbook (the team's
    plan, once chosen, to the team file in the same folder)."""
    return ActionPlanScreen(WorkStore(load_framework(framework_path), work_dir))
