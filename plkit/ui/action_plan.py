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
    MAX_CHECK_INS,
    MAX_PRIORITIES,
    MAX_STEPS,
    NO_AGREEMENT,
    PERSONAL,
    STEP_LABELS,
    TEAM,
    CheckIn,
    Priority,
    Step,
    Work,
)
from plkit.plan import (
    add_problem,
    date_problem,
    day_problem,
    details_filled,
    plan_problems,
    plan_step_progress,
    progress_text,
    propose_priorities,
    resources_for,
    step_progress,
    timeline_alt,
    written_steps,
)
from plkit.report import plan_html, plan_markdown
from plkit.store import WorkStore
from plkit.ui.common import escape, line_box, row, text_box
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


def _day(iso: str) -> date | None:
    """A saved ISO date for a date picker (None when there is none)."""
    try:
        return date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def _problem_html(message: str) -> str:
    return f'<p role="status" class="plkit-problem">{escape(message)}</p>' if message else ""


class ConfirmButton(widgets.Button):
    """A button that asks first: the first click shows the question, the second does it."""

    def __init__(self, description: str, confirm: str, icon: str = "trash") -> None:
        super().__init__(description=description, icon=icon, layout=widgets.Layout(width="auto"))
        self.plain, self.confirm = description, confirm

    @property
    def asking(self) -> bool:
        return self.description == self.confirm

    def ask(self) -> None:
        self.description, self.button_style = self.confirm, "danger"

    def reset(self) -> None:
        self.description, self.button_style = self.plain, ""


class StepRow(widgets.VBox):
    """One step of a priority: its words, how far it has come, when it is due, and removing it."""

    def __init__(self, number: int) -> None:
        self.text = line_box(f"Step {number}", placeholder="What will you do?")
        self.status = widgets.Dropdown(options=[(label, key) for key, label in STEP_LABELS.items()],
                                       value="not-started", description="Status",
                                       style={"description_width": "initial"},
                                       layout=widgets.Layout(width="auto"))
        self.due = widgets.DatePicker(description="Due", style={"description_width": "initial"})
        self.remove = ConfirmButton("Remove step", f"Yes, remove step {number}")
        self.remove.tooltip = f"Remove step {number}"
        self.problem = widgets.HTML()
        super().__init__([row([self.text, self.status, self.due, self.remove]), self.problem])

    def show(self, step: Step) -> None:
        self.text.value, self.status.value, self.due.value = step.text, step.status, _day(step.due)
        self.remove.reset()
        self.problem.value = ""


class CheckInRow(widgets.VBox):
    """One check-in: when, what happened, and the evidence seen."""

    def __init__(self, number: int) -> None:
        self.on = widgets.DatePicker(description=f"Check-in {number}: date", style={"description_width": "initial"})
        self.happened = text_box("What happened?", rows=2)
        self.evidence_seen = text_box("What evidence did you see?", rows=2)
        self.remove = ConfirmButton("Remove check-in", f"Yes, remove check-in {number}")
        self.remove.tooltip = f"Remove check-in {number}"
        self.problem = widgets.HTML()
        super().__init__([row([self.on, self.remove]), self.problem, self.happened, self.evidence_seen])
        self.add_class("plkit-card")

    def show(self, check_in: CheckIn) -> None:
        self.on.value = _day(check_in.on)
        self.happened.value, self.evidence_seen.value = check_in.happened, check_in.evidence_seen
        self.remove.reset()
        self.problem.value = ""


class PriorityCard(widgets.VBox):
    """The details of one priority: goal, steps, people, dates, evidence, support, resources,
    check-ins and the next review."""

    def __init__(self, number: int, priority: Priority, framework: Framework) -> None:
        self.heading = widgets.HTML(f"<h3>Priority {number}: {escape(priority.title)}</h3>")
        self.goal = text_box("Goal: what will be different for students?", rows=2)
        self.step_progress = widgets.HTML()
        self.steps_box = widgets.VBox()
        self.step_rows: list[StepRow] = []
        self.add_step = widgets.Button(description="Add a step", icon="plus", layout=widgets.Layout(width="auto"))
        self.steps_message = widgets.HTML()
        self.people = line_box("Who is involved", placeholder="e.g. Grade 7 team, coach, principal")
        self.start = widgets.DatePicker(description="Start date", style={"description_width": "initial"})
        self.end = widgets.DatePicker(description="End date", style={"description_width": "initial"})
        self.evidence = text_box("Evidence of progress: what data or student work will show it?", rows=2)
        self.support = text_box("Support needed", rows=2)
        self.resources = {
            r.id: widgets.Checkbox(description=r.title, indent=False, layout=widgets.Layout(width="auto"))
            for r in resources_for(priority, framework)
        }
        self.check_ins_box = widgets.VBox()
        self.check_in_rows: list[CheckInRow] = []
        self.add_check_in = widgets.Button(description="Add a check-in", icon="plus",
                                           layout=widgets.Layout(width="auto"))
        self.check_ins_message = widgets.HTML()
        self.review = widgets.DatePicker(description="Next review", style={"description_width": "initial"})
        self.review_problem = widgets.HTML()
        self.problem = widgets.HTML()
        self.remove = widgets.Button(description="Remove this priority", icon="trash")
        # set by the screen: wires a new row's controls to saving (row index, row)
        self.wire_step: Callable[[int, StepRow], None] = lambda index, row: None
        self.wire_check_in: Callable[[int, CheckInRow], None] = lambda index, row: None
        super().__init__([
            self.heading, self.goal,
            widgets.HTML("<h4>First steps</h4>"), self.step_progress, self.steps_box, self.add_step,
            self.steps_message,
            self.people, row([self.start, self.end]), self.problem, self.evidence, self.support,
            widgets.HTML("<p><strong>Resources that could help</strong> (from the framework):</p>"),
            *self.resources.values(),
            widgets.HTML("<h4>Check-ins</h4><p>Coming back to this priority? Note what happened and what "
                         "evidence you saw, and mark the steps done above.</p>"),
            self.check_ins_box, self.add_check_in, self.check_ins_message,
            row([self.review]), self.review_problem, self.remove,
        ])
        self.add_class("plkit-card")

    @property
    def texts(self) -> dict[str, widgets.ValueWidget]:
        return {"goal": self.goal, "people": self.people, "evidence": self.evidence, "support": self.support}

    def _rows(self, rows: list, count: int, make, wire) -> list:
        """As many rows as there are saved items: rows kept by position, new ones wired to saving."""
        for index in range(len(rows), count):
            rows.append(make(index + 1))
            wire(index, rows[index])
        del rows[count:]
        return rows

    def show(self, priority: Priority) -> None:
        for key, box in self.texts.items():
            box.value = getattr(priority, key)
        self.start.value = _day(priority.start)
        self.end.value = _day(priority.end)
        for resource_id, box in self.resources.items():
            box.value = resource_id in priority.resources
        self.steps_box.children = self._rows(self.step_rows, len(priority.steps), StepRow, self.wire_step)
        for step_row, step in zip(self.step_rows, priority.steps, strict=True):
            step_row.show(step)
        self.step_progress.value = f"<p><strong>{escape(progress_text(*step_progress(priority)))}</strong></p>"
        self.check_ins_box.children = self._rows(self.check_in_rows, len(priority.check_ins), CheckInRow,
                                                 self.wire_check_in)
        for check_in_row, check_in in zip(self.check_in_rows, priority.check_ins, strict=True):
            check_in_row.show(check_in)
        self.review.value = _day(priority.review)
        self.review_problem.value = self.steps_message.value = self.check_ins_message.value = ""


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
        self._drawn: tuple = ()  # what the timeline's picture shows
        self._picture = ""
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
            self.edit(lambda work: setattr(work.action_plan.priorities[index], key, value))
            self._show_check()

        def save_date(key: str, value: date | None) -> None:
            if self._showing:
                return
            priority = self.store.work.action_plan.priorities[index]
            start = value.isoformat() if key == "start" and value else priority.start if key == "end" else ""
            end = value.isoformat() if key == "end" and value else priority.end if key == "start" else ""
            problem = date_problem(start, end)
            card.problem.value = _problem_html(problem)
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
        card.wire_step = lambda i, step_row: self._connect_step(index, i, step_row)
        card.wire_check_in = lambda i, check_in_row: self._connect_check_in(index, i, check_in_row)
        card.add_step.on_click(lambda _: self._add_step(index))
        card.add_check_in.on_click(lambda _: self._add_check_in(index))
        card.review.observe(lambda change: self._save_day(
            index, change["new"], "a review date", card.review_problem,
            lambda priority, iso: setattr(priority, "review", iso)), "value")

    # --- steps, check-ins and the review date --------------------------------------------------
    def _save_day(self, index: int, value: date | None, what: str, problem: widgets.HTML,
                  put: Callable[[Priority, str], None]) -> None:
        """Save one date of a priority (a due, check-in or review date), or say why not."""
        if self._showing:
            return
        iso = value.isoformat() if value else ""
        message = day_problem(iso, what)
        problem.value = _problem_html(message)
        if message:
            return  # the saved plan keeps its last good date
        self._change(index, lambda priority: put(priority, iso))

    def _change(self, index: int, change: Callable[[Priority], None], redraw: bool = True) -> None:
        """Save a change to one priority's steps, check-ins or review; show its progress again."""
        def apply(work: Work) -> None:
            if index < len(work.action_plan.priorities):  # another workbook may have removed it
                change(work.action_plan.priorities[index])
        work = self.edit(apply)
        if work is None or index >= len(work.action_plan.priorities):
            return
        card = self.cards[index]
        card.step_progress.value = (
            f"<p><strong>{escape(progress_text(*step_progress(work.action_plan.priorities[index])))}</strong></p>")
        self._show_check()
        if redraw:
            self._draw_chart(work)

    def _connect_step(self, index: int, number: int, step_row: StepRow) -> None:
        """Save what is done in one step's row (``number`` counts from 0)."""
        def put(key: str, value) -> Callable[[Priority], None]:
            def change(priority: Priority) -> None:
                if number < len(priority.steps):
                    setattr(priority.steps[number], key, value)
            return change

        step_row.text.observe(lambda change: self._change(index, put("text", change["new"])), "value")
        step_row.status.observe(lambda change: self._change(index, put("status", change["new"])), "value")
        step_row.due.observe(lambda change: self._save_day(
            index, change["new"], f"a due date for step {number + 1}", step_row.problem,
            lambda priority, iso: put("due", iso)(priority)), "value")

        def remove(_) -> None:
            if not step_row.remove.asking:
                step_row.remove.ask()
                words = step_row.text.value.strip()
                step_row.problem.value = _problem_html(
                    f"Remove step {number + 1}{' (' + words + ')' if words else ''}? Click again to confirm.")
                return
            self._change(index, lambda priority: priority.steps.pop(number) if number < len(priority.steps)
                         else None)
            self._show_card(index)
            self.cards[index].steps_message.value = f'<p role="status">Step {number + 1} removed.</p>'

        step_row.remove.on_click(remove)

    def _connect_check_in(self, index: int, number: int, check_in_row: CheckInRow) -> None:
        """Save what is written in one check-in (``number`` counts from 0)."""
        def put(key: str, value) -> Callable[[Priority], None]:
            def change(priority: Priority) -> None:
                if number < len(priority.check_ins):
                    setattr(priority.check_ins[number], key, value)
            return change

        for key in ("happened", "evidence_seen"):
            getattr(check_in_row, key).observe(
                lambda change, key=key: self._change(index, put(key, change["new"]), redraw=False), "value")
        check_in_row.on.observe(lambda change: self._save_day(
            index, change["new"], f"a date for check-in {number + 1}", check_in_row.problem,
            lambda priority, iso: put("on", iso)(priority)), "value")

        def remove(_) -> None:
            if not check_in_row.remove.asking:
                check_in_row.remove.ask()
                check_in_row.problem.value = _problem_html(
                    f"Remove check-in {number + 1} and what it says? Click again to confirm.")
                return
            self._change(index, lambda priority: priority.check_ins.pop(number)
                         if number < len(priority.check_ins) else None, redraw=False)
            self._show_card(index)
            self.cards[index].check_ins_message.value = f'<p role="status">Check-in {number + 1} removed.</p>'

        check_in_row.remove.on_click(remove)

    def _add_step(self, index: int) -> None:
        card = self.cards[index]
        steps = self.store.work.action_plan.priorities[index].steps
        if len(steps) >= MAX_STEPS:
            card.steps_message.value = _problem_html(
                f"A priority holds at most {MAX_STEPS} steps. Remove a step you no longer need, or join two "
                "small steps into one.")
            return
        self._change(index, lambda priority: priority.steps.append(Step()))
        self._show_card(index)
        card.steps_message.value = (f'<p role="status">Step {len(steps) + 1} added: write it in its box, '
                                    "and set its status and due date.</p>")

    def _add_check_in(self, index: int) -> None:
        card = self.cards[index]
        check_ins = self.store.work.action_plan.priorities[index].check_ins
        if len(check_ins) >= MAX_CHECK_INS:
            card.check_ins_message.value = _problem_html(
                f"A priority holds at most {MAX_CHECK_INS} check-ins. Remove an old one first.")
            return
        today = date.today().isoformat()
        self._change(index, lambda priority: priority.check_ins.append(CheckIn(on=today)), redraw=False)
        self._show_card(index)
        card.check_ins_message.value = (f'<p role="status">Check-in {len(check_ins) + 1} added, dated today: '
                                        "write what happened and the evidence you saw.</p>")

    def _show_card(self, index: int) -> None:
        """Show one priority's saved details again (rows added or removed), without saving them."""
        with self._lock:
            work = self.store.work
            if index >= len(work.action_plan.priorities):
                return
            self._showing = True
            try:
                self.cards[index].show(work.action_plan.priorities[index])
            finally:
                self._showing = False

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
        self.chart.value = (f'<img src="data:image/png;base64,{self._picture}" alt="{escape(timeline_alt(priorities))}" '
                            'style="max-width:100%;height:auto">')

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
