"""Workbook 4: turn gaps from the self-assessment into a plan of up to three priorities.

It opens one person's work, or the team's file (the answers a team agreed): the team's plan comes
from the team's *This is different* and *No agreement yet* practices, and is kept in the team file.
"""

from __future__ import annotations

import base64
import os
from datetime import date

import ipywidgets as widgets

from plkit.charts import timeline
from plkit.consensus import answer_label, progress, team_line
from plkit.content import Framework, load_framework
from plkit.errors import PlkitError
from plkit.model import MAX_PRIORITIES, NO_AGREEMENT, PERSONAL, TEAM, Priority, Work
from plkit.plan import (
    add_problem,
    date_problem,
    details_filled,
    plan_problems,
    propose_priorities,
    resources_for,
    steps_from_text,
    steps_text,
)
from plkit.report import plan_html, plan_markdown
from plkit.store import WorkStore
from plkit.ui.common import escape, figure_html, line_box, row, text_box
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


class PriorityCard(widgets.VBox):
    """The details of one priority: goal, steps, people, dates, evidence, support, resources."""

    def __init__(self, number: int, priority: Priority, framework: Framework) -> None:
        self.heading = widgets.HTML(f"<h3>Priority {number}: {escape(priority.title)}</h3>")
        self.goal = text_box("Goal: what will be different for students?", rows=2)
        self.first_steps = text_box("First steps (one per line)", rows=3)
        self.people = line_box("Who is involved", placeholder="e.g. Grade 7 team, coach, principal")
        self.start = widgets.DatePicker(description="Start date", style={"description_width": "initial"})
        self.end = widgets.DatePicker(description="End date", style={"description_width": "initial"})
        self.evidence = text_box("Evidence of progress: what data or student work will show it?", rows=2)
        self.support = text_box("Support needed", rows=2)
        self.resources = {
            r.id: widgets.Checkbox(description=r.title, indent=False, layout=widgets.Layout(width="auto"))
            for r in resources_for(priority, framework)
        }
        self.problem = widgets.HTML()
        self.remove = widgets.Button(description="Remove this priority", icon="trash")
        super().__init__([
            self.heading, self.goal, self.first_steps, self.people, row([self.start, self.end]),
            self.problem, self.evidence, self.support,
            widgets.HTML("<p><strong>Resources that could help</strong> (from the framework):</p>"),
            *self.resources.values(), self.remove,
        ])
        self.add_class("plkit-card")

    @property
    def texts(self) -> dict[str, widgets.ValueWidget]:
        return {"goal": self.goal, "first_steps": self.first_steps, "people": self.people,
                "evidence": self.evidence, "support": self.support}

    def show(self, priority: Priority) -> None:
        for key, box in self.texts.items():
            box.value = steps_text(priority.steps) if key == "first_steps" else getattr(priority, key)
        self.start.value = date.fromisoformat(priority.start) if priority.start else None
        self.end.value = date.fromisoformat(priority.end) if priority.end else None
        for resource_id, box in self.resources.items():
            box.value = resource_id in priority.resources


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
        self.open_line = widgets.HTML()
        self.team_about = widgets.HTML()
        self.whose.observe(lambda change: self._switch(change["new"]), "value")
        self.suggestions = widgets.HTML()
        self.choice = widgets.Dropdown(description="Practice", style={"description_width": "initial"},
                                       layout=widgets.Layout(width="auto", max_width="100%"))
        self.add_chosen = widgets.Button(description="Add this practice as a priority", button_style="primary",
                                         layout=widgets.Layout(width="auto"))
        self.own_title = line_box("Or a priority of your own", placeholder="In a few words")
        self.add_own = widgets.Button(description="Add my own priority")
        self.add_message = widgets.HTML()
        self.cards_box = widgets.VBox()
        self.cards: list[PriorityCard] = []
        self.check = widgets.HTML()
        self.chart = widgets.HTML()
        self.prepare = widgets.Button(description="Prepare my plan to print or share", icon="print",
                                      button_style="primary", layout=widgets.Layout(width="auto"))
        self.downloads = widgets.HTML()
        self.add_chosen.on_click(self._add_chosen)
        self.add_own.on_click(self._add_own)
        self.prepare.on_click(self._prepare)
        self.finish(top=[self.whose, self.open_line], body=[
            widgets.HTML("<h2>1. Choose up to three priorities</h2>"), self.suggestions,
            row([self.choice, self.add_chosen]), row([self.own_title, self.add_own]), self.add_message,
            widgets.HTML("<h2>2. Plan each priority</h2>"), self.cards_box, self.check,
            widgets.HTML("<h2>3. Timeline and printable plan</h2>"), self.chart, self.prepare, self.downloads,
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
        self.cards_box.children = self.cards or [widgets.HTML("<p>No priorities yet.</p>")]

    def _connect(self, index: int, card: PriorityCard) -> None:
        def save_text(key: str, value: str) -> None:
            def change(work: Work) -> None:
                priority = work.action_plan.priorities[index]
                if key == "first_steps":  # one step a line; a step kept keeps its status and due date
                    priority.steps = steps_from_text(value, priority.steps)
                else:
                    setattr(priority, key, value)
            self.edit(change)
            self._show_check()

        def save_date(key: str, value: date | None) -> None:
            if self._showing:
                return
            priority = self.store.work.action_plan.priorities[index]
            start = value.isoformat() if key == "start" and value else priority.start if key == "end" else ""
            end = value.isoformat() if key == "end" and value else priority.end if key == "start" else ""
            problem = date_problem(start, end)
            card.problem.value = f'<p role="status" class="plkit-problem">{escape(problem)}</p>' if problem else ""
            if problem:
                return  # the saved plan keeps its last good dates
            self.edit(lambda work: setattr(work.action_plan.priorities[index], key, value.isoformat() if value else ""))
            self._show_check()
            self._draw_chart(self.store.work)

        def save_resource(resource_id: str, chosen: bool) -> None:
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

    def _show_check(self) -> None:
        problems = plan_problems(self.store.work)
        if problems:
            items = "".join(f"<li>{escape(p)}</li>" for p in problems)
            self.check.value = f"<p><strong>Still to do:</strong></p><ul>{items}</ul>"
        else:
            self.check.value = "<p><strong>Your plan is complete.</strong> Prepare it to print or share below.</p>"

    def _draw_chart(self, work: Work) -> None:
        priorities = work.action_plan.priorities
        if not priorities:
            self.chart.value = ""
            return
        alt = "; ".join(f"{p.title}: {p.start or 'no start date'} to {p.end or 'no end date'}" for p in priorities)
        self.chart.value = figure_html(timeline(priorities), f"Timeline. {alt}")

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
        return filled, f"{count} of {MAX_PRIORITIES} priorities chosen; {filled} of {total} plan details filled in"


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
