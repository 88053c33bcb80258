"""Workbook 1: what personalized learning is and is not: attributes, FAQ, scenes, myths, reflection."""

from __future__ import annotations

import os

import ipywidgets as widgets

from plkit.content import load_framework
from plkit.store import WorkStore
from plkit.ui.common import HTML, Button, escape, row, text_box
from plkit.ui.screen import WorkbookScreen, set_text
from plkit.understanding import (
    ROLES,
    TRADITIONAL,
    UnderstandingContent,
    activities_done,
    check_vignette,
    load_understanding,
    myth_score,
    vignette_score,
)
from plkit.work import Work

# The participant's role (from "About you") chooses the FAQ lens first shown.
LENS_FOR_ROLE = {"teacher": "teacher", "school leader": "school-leader", "district staff": "district"}


def attributes_html(content: UnderstandingContent) -> str:
    cards = "".join(
        f'<div class="plkit-card"><h3>{number}. {escape(a.name)}</h3><p>{escape(a.summary)}</p>'
        f"<p><strong>In a classroom:</strong> {escape(a.example)}</p>"
        f"<p><em>Source: {escape(a.source)}</em></p></div>"
        for number, a in enumerate(content.attributes, start=1)
    )
    return (
        "<p>AIR describes personalized learning by four attributes. Read each one and its "
        "example; you will use them to sort classroom scenes.</p>" + cards
    )


class FaqExplorer(widgets.VBox):
    """Pick a question and read the kit's summary; a role lens points to the most relevant ones."""

    def __init__(self, content: UnderstandingContent) -> None:
        self.content = content
        self.lens = widgets.ToggleButtons(
            options=[("Everyone", "everyone"), *((label, key) for key, label in ROLES.items())],
            value="everyone",
            description="I am reading as",
            style={"description_width": "initial", "button_width": "auto"},
        )
        self.pointer = HTML()
        self.question = widgets.Dropdown(
            options=[(f"{item.number}. {item.question}", item.id) for item in content.faq],
            value=content.faq[0].id,
            description="Question",
            layout=widgets.Layout(width="auto", max_width="100%"),
            style={"description_width": "initial"},
        )
        self.answer = HTML()
        self.lens.observe(lambda _: self.show_lens(), "value")
        self.question.observe(lambda _: self.show_answer(), "value")
        super().__init__(
            [
                HTML(
                    "<p>The Alliance for Excellent Education answers 12 common questions. Choose a "
                    "question to read the kit's summary of its answer.</p>"
                ),
                self.lens,
                self.pointer,
                self.question,
                self.answer,
            ]
        )
        self.show_lens()
        self.show_answer()

    def show_lens(self) -> None:
        role = self.lens.value
        items = () if role == "everyone" else self.content.faq_for(role)
        marked = {item.id for item in items}
        chosen = self.question.value
        self.question.options = [
            (f"{'★ ' if item.id in marked else ''}{item.number}. {item.question}", item.id)
            for item in self.content.faq
        ]
        self.question.value = chosen
        if not items:
            self.pointer.value = "<p>All 12 questions are for everyone. Start anywhere.</p>"
            return
        numbers = ", ".join(str(item.number) for item in items)
        self.pointer.value = (
            f"<p>For a {escape(ROLES[role].lower())}, start with questions <strong>{numbers}</strong> "
            "(marked ★).</p>"
        )

    def show_answer(self) -> None:
        item = next(i for i in self.content.faq if i.id == self.question.value)
        roles = ", ".join(ROLES[r] for r in item.roles if r in ROLES) or "Everyone"
        self.answer.value = (
            f'<div class="plkit-card"><h3>{item.number}. {escape(item.question)}</h3>'
            f"<p>{escape(item.summary)}</p><p>Most about: {escape(roles)}</p>"
            f"<p><em>Summary in plkit's words. Source: {escape(item.source)}</em></p></div>"
        )


class VignetteSorter(widgets.VBox):
    """One classroom scene at a time: tag it, check, read the feedback, move on."""

    def __init__(self, content: UnderstandingContent) -> None:
        self.content = content
        self.index = 0
        self.heading = HTML()
        self.tags = {
            tag: widgets.Checkbox(value=False, description=label, indent=False)
            for tag, label in content.tags.items()
        }
        self.check = Button(description="Check my answer", button_style="primary")
        self.feedback = HTML()
        self.previous = Button(description="Previous scene", icon="arrow-left")
        self.next = Button(description="Next scene", icon="arrow-right")
        self.score = HTML()
        self.previous.on_click(lambda _: self.go(self.index - 1))
        self.next.on_click(lambda _: self.go(self.index + 1))
        super().__init__(
            [
                HTML(
                    "<p>Read each scene. Which of the four attributes does it show? Tick all that "
                    "apply, or <strong>Mostly traditional</strong> if it shows none, then check.</p>"
                ),
                self.score,
                self.heading,
                HTML("<p><strong>This scene shows:</strong></p>"),
                row(list(self.tags.values())),
                self.check,
                self.feedback,
                row([self.previous, self.next]),
            ]
        )

    @property
    def vignette(self):
        return self.content.vignettes[self.index]

    def chosen(self) -> list[str]:
        return [tag for tag, box in self.tags.items() if box.value]

    def go(self, index: int) -> None:
        self.index = max(0, min(index, len(self.content.vignettes) - 1))
        self.on_move()

    def on_move(self) -> None:
        """Replaced by the screen, which shows the saved answer for the new scene."""

    def show(self, saved: list[str] | None) -> None:
        saved = [tag for tag in saved or [] if tag in self.tags]  # a tag this kit lacks is left out
        vignette = self.vignette
        total = len(self.content.vignettes)
        self.heading.value = (
            f'<div class="plkit-card"><h3>Scene {self.index + 1} of {total}</h3>'
            f"<p>{escape(vignette.scene)}</p></div>"
        )
        for tag, box in self.tags.items():
            box.value = tag in (saved or [])
        self.feedback.value = self.feedback_html(saved) if saved else ""
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index == total - 1

    def problem(self, chosen: list[str]) -> str:
        if not chosen:
            return "Tick at least one attribute, or Mostly traditional."
        if TRADITIONAL in chosen and len(chosen) > 1:
            return "A scene is either mostly traditional or shows attributes: untick one or the other."
        return ""

    def feedback_html(self, chosen: list[str]) -> str:
        result = check_vignette(self.vignette, chosen)
        names = self.content.tags
        listed = ", ".join(names[t] for t in sorted(self.vignette.answer))
        if result.correct:
            verdict = f"<strong>Yes.</strong> This scene shows: {escape(listed)}."
        else:
            parts = []
            if result.missed:
                parts.append("it also shows " + ", ".join(names[t] for t in sorted(result.missed)))
            if result.extra:
                parts.append("it does not really show " + ", ".join(names[t] for t in sorted(result.extra)))
            verdict = f"<strong>Not quite:</strong> {escape('; '.join(parts))}."
        return (
            f'<div role="status" class="plkit-card"><p>{verdict}</p>'
            f"<p>{escape(self.vignette.explanation)}</p></div>"
        )


class MythOrFact(widgets.VBox):
    """Statements to answer Myth or Fact, each explained from the FAQ once answered."""

    def __init__(self, content: UnderstandingContent) -> None:
        self.content = content
        self.score = HTML()
        self.answers: dict[str, widgets.ToggleButtons] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        parts: list[widgets.Widget] = [
            HTML("<p>Each statement is something people often say. Is it a myth or a fact?</p>"),
            self.score,
        ]
        for number, myth in enumerate(content.myths, start=1):
            self.answers[myth.id] = widgets.ToggleButtons(
                options=[("Myth", "myth"), ("Fact", "fact")],
                value=None,
                tooltips=[f"Myth: {myth.statement}", f"Fact: {myth.statement}"],
                style={"button_width": "auto"},
            )
            self.feedback[myth.id] = HTML()
            parts += [
                HTML(f'<p class="plkit-practice"><strong>{number}.</strong> {escape(myth.statement)}</p>'),
                self.answers[myth.id],
                self.feedback[myth.id],
            ]
        super().__init__(parts)

    def show(self, myth_id: str, answer: str | None) -> None:
        myth = next(m for m in self.content.myths if m.id == myth_id)
        if answer is None:
            self.feedback[myth_id].value = ""
            return
        right = answer == myth.answer
        verdict = "Right" if right else "Not quite"
        question = next(q for q in self.content.faq if q.number == myth.faq)
        self.feedback[myth_id].value = (
            f'<div role="status" class="plkit-card"><p><strong>{verdict}: it is a {myth.answer}.</strong> '
            f"{escape(myth.explanation)}</p><p><em>See FAQ question {myth.faq}: "
            f"{escape(question.question)}</em></p></div>"
        )


class UnderstandingScreen(WorkbookScreen):
    """Workbook 1's screen: five steps in tabs, every answer saved as it is given.

    Only the first step is built at once; each other step is built when its tab is first chosen
    (or its part is first read), so the screen shows sooner: most of its controls sit in steps
    2 to 5.
    """

    TITLES = ("1. Four attributes", "2. Questions and answers", "3. Sort the scenes",
              "4. Myth or fact", "5. My reflection")

    def __init__(self, store: WorkStore, content: UnderstandingContent) -> None:
        self.content = content
        self._parts: dict[int, widgets.Widget] = {}
        self._reflections: dict[str, widgets.Textarea] = {}
        super().__init__(store, progress_total=activities_done(Work(), content)[1])
        self.attributes = HTML(attributes_html(content))
        self._slots = [widgets.VBox() for _ in self.TITLES[1:]]
        self.tabs = widgets.Tab(children=[self.attributes, *self._slots])
        self.tabs.titles = list(self.TITLES)
        self.tabs.observe(self._tab_chosen, "selected_index")
        self.finish([self.tabs])

    # --- the steps, built when first wanted -------------------------------------------------------
    @property
    def faq(self) -> FaqExplorer:
        return self._part(1)

    @property
    def sorter(self) -> VignetteSorter:
        return self._part(2)

    @property
    def myths(self) -> MythOrFact:
        return self._part(3)

    @property
    def reflections(self) -> dict[str, widgets.Textarea]:
        self._part(4)
        return self._reflections

    def _tab_chosen(self, change) -> None:
        if change["new"]:
            self._part(change["new"])
        self.refresh_if_changed()

    def _part(self, index: int) -> widgets.Widget:
        if index not in self._parts:
            part = (self._build_faq, self._build_sorter, self._build_myths, self._build_reflection)[index - 1]()
            self._parts[index] = part
            self._slots[index - 1].children = (part,)
            self._show_part(index, self.store.work)
        return self._parts[index]

    def _build_faq(self) -> FaqExplorer:
        faq = FaqExplorer(self.content)
        role = LENS_FOR_ROLE.get(self.store.work.participant.role)
        if role:
            faq.lens.value = role
        return faq

    def _build_sorter(self) -> VignetteSorter:
        sorter = VignetteSorter(self.content)
        sorter.on_move = lambda: sorter.show(self.store.work.understanding.vignettes.get(sorter.vignette.id))
        sorter.check.on_click(self._check_vignette)
        return sorter

    def _build_myths(self) -> MythOrFact:
        myths = MythOrFact(self.content)
        for myth_id, toggle in myths.answers.items():
            toggle.observe(lambda change, myth_id=myth_id: self._answer_myth(myth_id, change["new"]), "value")
        return myths

    def _build_reflection(self) -> widgets.VBox:
        self._reflections = {p.id: text_box(p.text, rows=4) for p in self.content.prompts}
        for prompt_id, box in self._reflections.items():
            box.observe(
                lambda change, pid=prompt_id: self.edit(
                    lambda work: set_text(work.understanding.reflections, pid, change["new"])
                ),
                "value",
            )
        return widgets.VBox(
            [
                HTML(
                    "<p>Two short notes to bring to the workshop. They are saved in your work file.</p>"
                ),
                *self._reflections.values(),
            ]
        )

    def _check_vignette(self, _=None) -> None:
        chosen = self.sorter.chosen()
        problem = self.sorter.problem(chosen)
        if problem:
            self.sorter.feedback.value = f'<p role="status" class="plkit-problem">{escape(problem)}</p>'
            return
        vignette_id = self.sorter.vignette.id
        self.edit(lambda work: work.understanding.vignettes.__setitem__(vignette_id, chosen))
        self.sorter.feedback.value = self.sorter.feedback_html(chosen)
        self.show_scores(self.store.work)

    def _answer_myth(self, myth_id: str, answer: str | None) -> None:
        def change(work: Work) -> None:
            if answer:
                work.understanding.myths[myth_id] = answer
            else:
                work.understanding.myths.pop(myth_id, None)

        if self.edit(change) is not None:
            self.myths.show(myth_id, answer)
            self.show_scores(self.store.work)

    def show_scores(self, work: Work) -> None:
        if 2 in self._parts:
            self.sorter.score.value = f'<p class="plkit-score">Your score: {vignette_score(work, self.content).text}</p>'
        if 3 in self._parts:
            self.myths.score.value = f'<p class="plkit-score">Your score: {myth_score(work, self.content).text}</p>'

    def show_answers(self, work: Work) -> None:
        for index in list(self._parts):
            self._show_part(index, work)

    def _show_part(self, index: int, work: Work) -> None:
        """Put the saved answers into one built step's controls."""
        section = work.understanding
        if index == 2:
            self.sorter.show(section.vignettes.get(self.sorter.vignette.id))
        elif index == 3:
            for myth_id, toggle in self.myths.answers.items():
                toggle.value = section.myths.get(myth_id)
                self.myths.show(myth_id, toggle.value)
        elif index == 4:
            for prompt_id, box in self._reflections.items():
                box.value = section.reflections.get(prompt_id, "")
        if index in (2, 3):
            self.show_scores(work)

    def progress(self, work: Work) -> tuple[int, str]:
        done, total = activities_done(work, self.content)
        return done, f"{done} of {total} activities done"


def understanding(
    framework_path: str | os.PathLike | None = None, *, work_dir: str | os.PathLike | None = None
) -> UnderstandingScreen:
    """Build workbook 1's screen; answers autosave to ``my_work/`` beside the workbook."""
    store = WorkStore(load_framework(framework_path), work_dir)
    return UnderstandingScreen(store, load_understanding())
