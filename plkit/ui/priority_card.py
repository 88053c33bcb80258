"""Workbook 4's card for one priority: its details, its steps (each with a status and a due date),
check-ins and the next review. The screen (``plkit.ui.action_plan``) saves what is done in it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import ipywidgets as widgets

from plkit.content import Framework
from plkit.model import MAX_CHECK_INS, MAX_STEPS, STEP_LABELS, CheckIn, Priority, Step
from plkit.plan import day_problem, progress_text, resources_for, step_progress
from plkit.ui.common import HTML, Button, escape, line_box, row, text_box


def _day(iso: str) -> date | None:
    """A saved ISO date for a date picker (None when there is none)."""
    try:
        return date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def problem_html(message: str) -> str:
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
        # a text box, not a line: a step may hold a long line from an older plan's first steps
        self.text = text_box(f"Step {number}", rows=1, placeholder="What will you do?")
        self.status = widgets.Dropdown(options=[(label, key) for key, label in STEP_LABELS.items()],
                                       value="not-started", description=f"Status of step {number}",
                                       style={"description_width": "initial"},
                                       layout=widgets.Layout(width="auto"))
        self.due = widgets.DatePicker(description=f"Step {number} due", style={"description_width": "initial"})
        self.remove = ConfirmButton("Remove step", f"Yes, remove step {number}")
        self.remove.tooltip = f"Remove step {number}"
        self.problem = HTML()
        super().__init__([self.text, row([self.status, self.due, self.remove]), self.problem])

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
        self.problem = HTML()
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
        self.heading = HTML(f"<h3>Priority {number}: {escape(priority.title)}</h3>")
        self.goal = text_box("Goal: what will be different for students?", rows=2)
        self.step_progress = HTML()
        self.steps_box = widgets.VBox()
        self.step_rows: list[StepRow] = []
        self.add_step = Button(description="Add a step", icon="plus", layout=widgets.Layout(width="auto"))
        self.steps_message = HTML()
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
        self.add_check_in = Button(description="Add a check-in", icon="plus",
                                           layout=widgets.Layout(width="auto"))
        self.check_ins_message = HTML()
        self.review = widgets.DatePicker(description="Next review", style={"description_width": "initial"})
        self.review_problem = HTML()
        self.problem = HTML()
        self.remove = Button(description="Remove this priority", icon="trash",
                                     layout=widgets.Layout(width="auto"))
        # set by the screen: saves a change to this priority, redrawing the timeline if asked, and
        # gives back the priority as saved (None when it could not be saved)
        self.save: Callable[[Callable[[Priority], None], bool], Priority | None] = lambda change, redraw: None
        self.showing = False  # while saved answers are put into the controls, nothing is saved
        self.add_step.on_click(self._add_step)
        self.add_check_in.on_click(self._add_check_in)
        self.review.observe(lambda change: self._save_day(
            change["new"], "a review date", self.review_problem,
            lambda priority, iso: setattr(priority, "review", iso)), "value")
        super().__init__([
            self.heading, self.goal,
            HTML("<h4>First steps</h4>"), self.step_progress, self.steps_box, self.add_step,
            self.steps_message,
            self.people, row([self.start, self.end]), self.problem, self.evidence, self.support,
            HTML("<p><strong>Resources that could help</strong> (from the framework):</p>"),
            *self.resources.values(),
            HTML("<h4>Check-ins</h4><p>Coming back to this priority? Note what happened and what "
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
        """Put the saved priority into the controls, without saving it again."""
        self.showing = True
        try:
            self._show(priority)
        finally:
            self.showing = False

    def _show(self, priority: Priority) -> None:
        for key, box in self.texts.items():
            box.value = getattr(priority, key)
        self.start.value = _day(priority.start)
        self.end.value = _day(priority.end)
        for resource_id, box in self.resources.items():
            box.value = resource_id in priority.resources
        self.steps_box.children = self._rows(self.step_rows, len(priority.steps), StepRow, self._wire_step)
        for step_row, step in zip(self.step_rows, priority.steps, strict=True):
            step_row.show(step)
        self._show_progress(priority)
        self.check_ins_box.children = self._rows(self.check_in_rows, len(priority.check_ins), CheckInRow,
                                                 self._wire_check_in)
        for check_in_row, check_in in zip(self.check_in_rows, priority.check_ins, strict=True):
            check_in_row.show(check_in)
        self.review.value = _day(priority.review)
        self.review_problem.value = self.steps_message.value = self.check_ins_message.value = ""

    def _show_progress(self, priority: Priority) -> None:
        self.step_progress.value = f"<p><strong>{escape(progress_text(*step_progress(priority)))}</strong></p>"

    # --- saving steps, check-ins and the review date ---------------------------------------------
    def _save(self, change: Callable[[Priority], None], redraw: bool = True) -> Priority | None:
        if self.showing:
            return None
        saved = self.save(change, redraw)
        if saved is not None:
            self._show_progress(saved)
        return saved

    def _save_day(self, value: date | None, what: str, problem: widgets.HTML,
                  put: Callable[[Priority, str], None]) -> None:
        """Save one date (a due, check-in or review date), or say why not: the last good one stays saved."""
        if self.showing:
            return
        iso = value.isoformat() if value else ""
        message = day_problem(iso, what)
        problem.value = problem_html(message)
        if not message:
            self._save(lambda priority: put(priority, iso))

    def _wire_step(self, number: int, step_row: StepRow) -> None:
        """Save what is done in one step's row (``number`` counts from 0)."""
        def put(key: str, value) -> Callable[[Priority], None]:
            def change(priority: Priority) -> None:
                if number < len(priority.steps):  # another workbook may have removed it
                    setattr(priority.steps[number], key, value)
            return change

        step_row.text.observe(lambda change: self._save(put("text", change["new"])), "value")
        step_row.status.observe(lambda change: self._save(put("status", change["new"])), "value")
        step_row.due.observe(lambda change: self._save_day(
            change["new"], f"a due date for step {number + 1}", step_row.problem,
            lambda priority, iso: put("due", iso)(priority)), "value")

        def remove(_) -> None:
            if not step_row.remove.asking:
                step_row.remove.ask()
                words = step_row.text.value.strip()
                step_row.problem.value = problem_html(
                    f"Remove step {number + 1}{' (' + words + ')' if words else ''}? Click again to confirm.")
                return
            saved = self._save(lambda priority: priority.steps.pop(number) if number < len(priority.steps)
                               else None)
            if saved is not None:
                self.show(saved)
                self.steps_message.value = f'<p role="status">Step {number + 1} removed.</p>'

        step_row.remove.on_click(remove)

    def _wire_check_in(self, number: int, check_in_row: CheckInRow) -> None:
        """Save what is written in one check-in (``number`` counts from 0)."""
        def put(key: str, value) -> Callable[[Priority], None]:
            def change(priority: Priority) -> None:
                if number < len(priority.check_ins):
                    setattr(priority.check_ins[number], key, value)
            return change

        for key in ("happened", "evidence_seen"):
            getattr(check_in_row, key).observe(
                lambda change, key=key: self._save(put(key, change["new"]), redraw=False), "value")
        check_in_row.on.observe(lambda change: self._save_day(
            change["new"], f"a date for check-in {number + 1}", check_in_row.problem,
            lambda priority, iso: put("on", iso)(priority)), "value")

        def remove(_) -> None:
            if not check_in_row.remove.asking:
                check_in_row.remove.ask()
                check_in_row.problem.value = problem_html(
                    f"Remove check-in {number + 1} and what it says? Click again to confirm.")
                return
            saved = self._save(lambda priority: priority.check_ins.pop(number)
                               if number < len(priority.check_ins) else None, redraw=False)
            if saved is not None:
                self.show(saved)
                self.check_ins_message.value = f'<p role="status">Check-in {number + 1} removed.</p>'

        check_in_row.remove.on_click(remove)

    def _add_step(self, _=None) -> None:
        if len(self.step_rows) >= MAX_STEPS:
            self.steps_message.value = problem_html(
                f"A priority holds at most {MAX_STEPS} steps. Remove a step you no longer need, or join two "
                "small steps into one.")
            return
        saved = self._save(lambda priority: priority.steps.append(Step()) if len(priority.steps) < MAX_STEPS
                           else None)
        if saved is not None:
            self.show(saved)
            self.steps_message.value = (f'<p role="status">Step {len(saved.steps)} added: write it in its box, '
                                        "and set its status and due date.</p>")

    def _add_check_in(self, _=None) -> None:
        if len(self.check_in_rows) >= MAX_CHECK_INS:
            self.check_ins_message.value = problem_html(
                f"A priority holds at most {MAX_CHECK_INS} check-ins. Remove an old one first.")
            return
        today = date.today().isoformat()
        saved = self._save(lambda priority: priority.check_ins.append(CheckIn(on=today))
                           if len(priority.check_ins) < MAX_CHECK_INS else None, redraw=False)
        if saved is not None:
            self.show(saved)
            self.check_ins_message.value = (f'<p role="status">Check-in {len(saved.check_ins)} added, dated '
                                            "today: write what happened and the evidence you saw.</p>")
