"""Workbook 3: reading research claims: check claims, translate effect sizes, compare them,
and go back to the FAQ's RAND sentence with a verdict of your own."""

from __future__ import annotations

import os

import ipywidgets as widgets

from plkit import claims_charts
from plkit.claim_checks import claim_judged, steps_done
from plkit.claims import SEED_EVIDENCE, ClaimsContent, load_claims
from plkit.content import load_framework
from plkit.store import WorkStore
from plkit.ui.claim_checker import ClaimChecker, summary_html
from plkit.ui.common import HTML, escape, figure_html, text_box
from plkit.ui.effect_translator import EffectTranslator
from plkit.ui.screen import WorkbookScreen
from plkit.work import Work

TITLES = [
    "1. Check the claims",
    "2. Your judgements",
    "3. Translate an effect size",
    "4. All claims side by side",
    "5. Back to the FAQ",
]
TRANSLATOR_TAB, FOREST_TAB = 2, 3  # their charts are drawn only when shown
VERDICT_LABEL = (
    "My verdict: what does the research say about personalized learning, and what would "
    "I say about the FAQ's RAND sentence? (one paragraph)"
)


def _passages(content: ClaimsContent, side: str) -> str:
    return "".join(
        f'<div class="plkit-card"><h4>{escape(p.title)}</h4><p>{escape(p.text)}</p>'
        f"<p><em>[{escape(SEED_EVIDENCE[p.evidence])}] Source: {escape(p.source)}</em></p></div>"
        for p in content.seed
        if p.side == side
    )


def seed_html(content: ClaimsContent) -> str:
    """The FAQ's sentence beside what the reports and their critics say, then what to notice."""
    column = 'style="flex:1 1 22em;min-width:0"'
    notice = "".join(
        f"<li><strong>{escape(p.title)}</strong>: {escape(p.text)}</li>"
        for p in content.seed
        if p.side == "notice"
    )
    return (
        "<p>Go back to where this workbook started: question 6 of the Alliance FAQ. Read its RAND "
        "sentence beside what the two RAND reports and their critics say. Each passage is labelled: "
        "quoted from the FAQ, seen in the primary source, or quoted secondhand.</p>"
        '<div style="display:flex;flex-wrap:wrap;gap:8px 24px">'
        f"<div {column}><h3>What the FAQ says</h3>{_passages(content, 'faq')}</div>"
        f"<div {column}><h3>What the reports say</h3>{_passages(content, 'report')}"
        f"<h3>What their critics say</h3>{_passages(content, 'critic')}</div></div>"
        f"<h3>What to notice</h3><ul>{notice}</ul>"
        "<p><em>These notes are plkit's reading of the sources above.</em></p>"
    )


def forest_notes_html(content: ClaimsContent) -> str:
    """Which claims are not in the chart, and why."""
    items = "".join(
        f"<li>{escape(claim.short)}: {escape(claim.why_not_an_effect)}</li>"
        for claim in content.claims
        if not claim.is_effect
    )
    return (
        f"<p><strong>Not in the chart</strong>:</p><ul>{items}</ul>"
        "<p>No claim here comes with a confidence interval, so the chart cannot show how sure each "
        "number is. The numbers are not all comparable either: designs, comparisons and tests "
        "differ.</p>"
    )


def translator_notes_html(content: ClaimsContent) -> str:
    """Which claims with a number are not offered to the translator, and why."""
    items = "".join(
        f"<li>{escape(claim.short)}: {escape(claim.why_not_an_effect)}</li>"
        for claim in content.claims
        if claim.effect_size is not None and not claim.translatable
    )
    if not items:
        return ""
    return (
        "<p>Only claims with an effect size in SD, measured against a comparison group, are in "
        f"the list. These have a number, but not one to translate:</p><ul>{items}</ul>"
    )


class ResearchClaimsScreen(WorkbookScreen):
    """Workbook 3's screen: five steps in tabs, every judgement and the verdict saved at once."""

    def __init__(self, store: WorkStore, content: ClaimsContent) -> None:
        self.content = content
        super().__init__(store, progress_total=steps_done(Work(), content)[1])
        self.checker = ClaimChecker(content, answers_for=self._answers_for, save=self._judge)
        self.summary = HTML()
        examples = [(c.short, c.effect_size) for c in content.claims if c.translatable]
        self.translator = EffectTranslator(examples, translator_notes_html(content))
        self.forest = HTML(layout=widgets.Layout(min_height="200px"))
        self.forest_page = widgets.VBox(
            [
                HTML(
                    "<p>The claims with an effect size in standard deviations, side by side, smallest "
                    "to largest. Filled circles were seen in the primary source; open diamonds were "
                    "quoted secondhand.</p>"
                ),
                self.forest,
                HTML(forest_notes_html(content)),
            ]
        )
        self.rand_judgements = HTML()
        self.verdict = text_box(
            VERDICT_LABEL,
            rows=6,
            placeholder="Compared with what? How big? How sure? Like my school? Cause or link?",
        )
        seed_page = widgets.VBox(
            [
                HTML(seed_html(content)),
                self.rand_judgements,
                HTML("<h3>Your verdict</h3>"),
                self.verdict,
            ]
        )
        self.tabs = widgets.Tab(
            children=[self.checker, self.summary, self.translator, self.forest_page, seed_page]
        )
        self.tabs.titles = TITLES
        self.verdict.observe(
            lambda change: self.edit(lambda work: setattr(work.claims, "verdict", change["new"])),
            "value",
        )
        self.tabs.observe(self._tab_changed, "selected_index")
        self.finish([self.tabs])

    # --- saving -------------------------------------------------------------------------------
    def _answers_for(self, claim_id: str) -> dict[str, str]:
        return self.store.work.claims.judgements.get(claim_id, {})

    def _judge(self, claim_id: str, question_id: str, answer: str | None) -> None:
        def change(work: Work) -> None:
            answers = work.claims.judgements.setdefault(claim_id, {})
            if answer:
                answers[question_id] = answer
            else:
                answers.pop(question_id, None)
            if not answers:
                work.claims.judgements.pop(claim_id, None)

        if self.edit(change) is not None:
            self.show_judgements(self.store.work)

    # --- showing ------------------------------------------------------------------------------
    def _tab_changed(self, _=None) -> None:
        self.refresh_if_changed()
        self.translator.visible = self.tabs.selected_index == TRANSLATOR_TAB
        if self.tabs.selected_index == TRANSLATOR_TAB:
            self.translator.show()
        elif self.tabs.selected_index == FOREST_TAB and not self.forest.value:
            self.draw_forest()

    def draw_forest(self) -> None:
        rows = claims_charts.forest_rows(self.content)
        fig = claims_charts.forest_plot(rows)
        self.forest.value = figure_html(fig, claims_charts.forest_alt_text(rows))

    def show_judgements(self, work: Work) -> None:
        self.summary.value = summary_html(work, self.content)
        rand = [c for c in self.content.claims if c.id.startswith("rand-")]
        sure = self.content.question("sure")
        lines = []
        for claim in rand:
            answer = work.claims.judgements.get(claim.id, {}).get("sure")
            if claim_judged(work, self.content, claim.id) and answer:
                lines.append(f"<li>{escape(claim.short)}: {escape(sure.label(answer))}</li>")
        self.rand_judgements.value = (
            f"<h3>Your judgements of the RAND claims</h3><p>How sure you were:</p><ul>{''.join(lines)}</ul>"
            if lines
            else "<p><em>Judge the RAND claims in step 1 first: your judgements will appear here.</em></p>"
        )

    def show_answers(self, work: Work) -> None:
        self.checker.show(work.claims.judgements.get(self.checker.claim.id, {}))
        self.verdict.value = work.claims.verdict
        self.show_judgements(work)

    def progress(self, work: Work) -> tuple[int, str]:
        done, total = steps_done(work, self.content)
        return done, f"{done} of {total} steps done (claims judged, then your verdict)"


def research_claims(
    framework_path: str | os.PathLike | None = None, *, work_dir: str | os.PathLike | None = None
) -> ResearchClaimsScreen:
    """Build workbook 3's screen; answers autosave to ``my_work/`` beside the workbook."""
    store = WorkStore(load_framework(framework_path), work_dir)
    return ResearchClaimsScreen(store, load_claims())
