"""Workbook 3, steps 1 and 2: judge one claim at a time, read the study's facts, see a summary."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from plkit.claim_checks import check_answer, summarize_judgements
from plkit.claims import EVIDENCE, NOT_REPORTED, Claim, ClaimsContent
from plkit.effect_sizes import eef_band, improvement_index, r_to_d, u3
from plkit.ui.common import HTML, Button, escape, row
from plkit.work import Work

VERDICTS = {
    "right": "Right.",
    "reasonable": "Reasonable too.",
    "different": "Not quite.",
    "open": "Here is what the study shows.",
}
MARKS = {"right": "✓", "reasonable": "≈", "different": "✗", "open": "?"}
EVIDENCE_NOTES = {
    "primary": "the figures were seen in the study or its official source.",
    "secondary": "the figures were seen quoted in another source, not checked in the original.",
}


def sd_translation(d: float) -> str:
    """One sentence putting an effect in SD into percentiles and months (plain text)."""
    return (
        f"the average student who got it would score above {u3(d):.1f}% of the comparison group "
        f"(improvement index {round(improvement_index(d)):+d} percentile points; EEF table: "
        f"{eef_band(d).text})"
    )


def not_translated_text(claim: Claim) -> str:
    """Why plkit leaves a reported number untranslated and out of the chart (plain text)."""
    return (
        "plkit does not turn this number into percentiles or months, or put it in the "
        f"side-by-side chart: it is {claim.why_not_an_effect}."
    )


def effect_text(claim: Claim) -> str:
    """The effect as reported, with plkit's translation where one makes sense (plain text)."""
    reported = claim.effect_reported
    d = claim.effect_size
    if d is None:
        return reported if claim.ci_low is not None else f"{NOT_REPORTED.capitalize()}. {reported}"
    if claim.translatable:
        return f"{d:.2f} SD. {reported} In plkit's translation, {sd_translation(d)}."
    if claim.effect_metric.startswith("r"):
        return (
            f"r = {d:.2f}. {reported} For illustration only, r = {d:.2f} written as d would be "
            f"{r_to_d(d):.2f}: a correlation, not an effect."
        )
    if "month" in claim.effect_metric.lower():
        return f"{reported} (The EEF's own months; plkit does not turn them into SD.)"
    return f"{reported} {not_translated_text(claim)}"  # the reported text gives the number


def facts_html(claim: Claim) -> str:
    interval = (
        f"{claim.ci_low:.2f} to {claim.ci_high:.2f} ({claim.interval})"
        if claim.ci_low is not None
        else NOT_REPORTED
    )
    rows = [
        ("Study", claim.study),
        ("Design", claim.design),
        ("Who was studied", claim.sample),
        ("Compared with", claim.comparison),
        ("Outcome", claim.outcome),
        ("Effect size" if claim.is_effect else "Size reported", effect_text(claim)),
        ("Uncertainty", interval),
        ("Statistically significant?", claim.significance or NOT_REPORTED),
        ("Caveats", claim.caveats or NOT_REPORTED),
        ("Evidence", f"{EVIDENCE[claim.evidence]}: {EVIDENCE_NOTES[claim.evidence]}"),
        ("Source", claim.source),
    ]
    cells = "".join(
        f'<tr><th scope="row" style="text-align:left;vertical-align:top;padding:3px 12px 3px 0">'
        f'{escape(name)}</th><td style="padding:3px 0">{escape(value)}</td></tr>'
        for name, value in rows
    )
    return (
        f'<div class="plkit-card" role="region" aria-label="The study\'s facts">'
        f"<h3>The study's facts</h3><table>{cells}</table></div>"
    )


class ClaimChecker(widgets.VBox):
    """One claim at a time: five questions, feedback on each answer, then the study's facts."""

    def __init__(
        self,
        content: ClaimsContent,
        answers_for: Callable[[str], dict[str, str]],
        save: Callable[[str, str, str | None], None],
    ) -> None:
        self.content = content
        self.answers_for = answers_for
        self.save = save
        self.index = 0
        self._loading = False
        self._revealed: set[str] = set()
        self.picker = widgets.Dropdown(
            options=[(f"{n}. {c.short}", c.id) for n, c in enumerate(content.claims, start=1)],
            value=content.claims[0].id,
            description="Claim",
            layout=widgets.Layout(width="auto", max_width="100%"),
            style={"description_width": "initial"},
        )
        self.previous = Button(description="Previous claim", icon="arrow-left")
        self.next = Button(description="Next claim", icon="arrow-right")
        self.heading = HTML()
        self.toggles: dict[str, widgets.ToggleButtons] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        parts: list[widgets.Widget] = []
        for number, question in enumerate(content.questions, start=1):
            toggle = widgets.ToggleButtons(
                options=[(o.label, o.id) for o in question.options],
                value=None,
                tooltips=[f"{question.text} {o.label}: {o.detail}" for o in question.options],
                style={"button_width": "auto"},
            )
            toggle.observe(lambda change, q=question.id: self._answered(q, change["new"]), "value")
            self.toggles[question.id] = toggle
            self.feedback[question.id] = HTML()
            options = "; ".join(
                f"<em>{escape(o.label)}</em>: {escape(o.detail)}" for o in question.options
            )
            parts += [
                HTML(
                    f'<h4 class="plkit-practice">{number}. {escape(question.text)}</h4>'
                    f"<p>{escape(question.hint)}</p><details><summary>What the answers mean"
                    f"</summary><p>{options}.</p></details>"
                ),
                toggle,
                self.feedback[question.id],
            ]
        self.reveal = Button(description="Show the study's facts now", icon="eye")
        self.facts = HTML()
        self.picker.observe(lambda change: self._picked(change["new"]), "value")
        self.previous.on_click(lambda _: self.go(self.index - 1))
        self.next.on_click(lambda _: self.go(self.index + 1))
        self.reveal.on_click(self._reveal)
        super().__init__(
            [
                HTML(
                    "<p>Each claim is put the way PD materials often put it. Read it and the short note on "
                    "the study, then answer the five questions. Each answer gets feedback; when all five "
                    "are answered you see the study's facts. Your answers save as you go.</p>"
                ),
                row([self.picker, self.previous, self.next]),
                self.heading,
                *parts,
                self.reveal,
                self.facts,
            ]
        )

    @property
    def claim(self) -> Claim:
        return self.content.claims[self.index]

    def go(self, index: int) -> None:
        self.index = max(0, min(index, len(self.content.claims) - 1))
        self.show(self.answers_for(self.claim.id))

    def _picked(self, claim_id: str) -> None:
        if not self._loading:
            self.go(next(i for i, c in enumerate(self.content.claims) if c.id == claim_id))

    def _answered(self, question_id: str, answer: str | None) -> None:
        if self._loading:
            return
        claim_id = self.claim.id
        self.save(claim_id, question_id, answer)
        self.show(self.answers_for(claim_id))

    def _reveal(self, _=None) -> None:
        self._revealed.add(self.claim.id)
        self.show(self.answers_for(self.claim.id))

    def show(self, answers: dict[str, str]) -> None:
        """Show the current claim with the participant's saved answers."""
        claim, total = self.claim, len(self.content.claims)
        self._loading = True
        try:
            self.picker.value = claim.id
            for question_id, toggle in self.toggles.items():
                answer = answers.get(question_id)
                toggle.value = answer if answer in {v for _, v in toggle.options} else None
        finally:
            self._loading = False
        self.heading.value = (
            f'<div class="plkit-card"><h3>Claim {self.index + 1} of {total}: {escape(claim.short)}</h3>'
            f"<p><strong>The claim:</strong> “{escape(claim.claim)}”</p>"
            f"<p><strong>The study in brief:</strong> {escape(claim.study)}. {escape(claim.design)}</p>"
            f"<p><strong>Who:</strong> {escape(claim.sample)}</p></div>"
        )
        for question in self.content.questions:
            answer = self.toggles[question.id].value
            self.feedback[question.id].value = (
                "" if answer is None else self.feedback_html(question.id, answer)
            )
        done = all(t.value is not None for t in self.toggles.values())
        shown = done or claim.id in self._revealed
        self.facts.value = (
            facts_html(claim)
            if shown
            else (
                "<p><em>Answer all five questions (or click the button above) to see the study's facts.</em></p>"
            )
        )
        self.reveal.layout.display = "none" if shown else None
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index == total - 1

    def feedback_html(self, question_id: str, answer: str) -> str:
        question = self.content.question(question_id)
        result = check_answer(self.claim, question, answer)
        text = escape(result.feedback)
        if result.status != "right":
            text = f"plkit's reading: “{escape(result.expected_label)}”. {text}"
        if question_id == "size" and self.claim.translatable:
            text += f" In plkit's translation, {escape(sd_translation(self.claim.effect_size))}."
        return (
            f'<div role="status" class="plkit-card"><p><strong>{VERDICTS[result.status]}</strong> '
            f"{text}</p></div>"
        )


def summary_html(work: Work, content: ClaimsContent) -> str:
    """The participant's judgements, claim by claim, beside plkit's reading."""
    summary = summarize_judgements(work, content)
    sure = content.question("sure")
    counts = ", ".join(f"{escape(o.label)}: {summary.sureness.get(o.id, 0)}" for o in sure.options)
    causal = ", ".join(escape(c.short) for c in summary.causal) or "none yet"
    parts = [
        f"<p><strong>{len(summary.judged)} of {len(content.claims)} claims judged</strong> "
        "(all five questions answered).</p>",
        f"<p>How sure you were: {counts}.</p>",
        f"<p>Claims you read as supporting a cause (Yes or Partly): {causal}.</p>",
        f"<p>Your answers matched plkit's reading in {summary.right} of {summary.answered}; "
        f"{summary.reasonable} more were reasonable alternatives.</p>",
    ]
    rows = []
    for claim in content.claims:
        answers = work.claims.judgements.get(claim.id, {})
        cells = []
        for question in content.questions:
            answer = answers.get(question.id)
            if answer not in {o.id for o in question.options}:
                cells.append("<td>–</td>")
                continue
            status = check_answer(claim, question, answer).status
            cells.append(f"<td>{MARKS[status]} {escape(question.label(answer))}</td>")
        if any(cell != "<td>–</td>" for cell in cells):
            rows.append(
                f'<tr><th scope="row" style="text-align:left">{escape(claim.short)}</th>{"".join(cells)}</tr>'
            )
    if not rows:
        return "".join(parts) + "<p>No judgements yet: start with step 1.</p>"
    head = "".join(
        f'<th scope="col" style="text-align:left">{escape(q.text)}</th>' for q in content.questions
    )
    return "".join(parts) + (
        "<p>✓ same as plkit's reading; ≈ a reasonable alternative; ✗ different from plkit's reading; "
        "? you were not sure.</p>"
        f'<table style="border-spacing:10px 4px"><tr><th scope="col" style="text-align:left">Claim</th>{head}</tr>'
        f"{''.join(rows)}</table>"
    )
