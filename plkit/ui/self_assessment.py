"""Workbook 2: the four-theme self-assessment, one theme per tab, saved as you go."""

from __future__ import annotations

import base64
import os
import threading

import ipywidgets as widgets

from plkit import analysis, charts
from plkit.content import Framework, Theme, load_framework
from plkit.store import WorkStore
from plkit.ui.common import HTML, chart_html, escape, text_box
from plkit.ui.rounds import ComparePanel, RoundsPanel
from plkit.ui.screen import WorkbookScreen, set_text
from plkit.work import Work

# Charts are drawn one at a time: the screen's first chart is drawn on a thread of its own (see
# SelfAssessmentScreen._draw_in_background), and matplotlib is not safe to use from two threads at once.
DRAWING = threading.RLock()
FIRST_CHART_AFTER_SECONDS = 2.0
PARTS = {"summary": "Summary", "rounds": "Rounds", "since": "Since last time"}  # the tabs after the themes


class ThemePage(widgets.VBox):
    """One theme: its practices to rate, notes and evidence, resources, reflections and chart."""

    def __init__(self, theme: Theme, framework: Framework) -> None:
        self.theme = theme
        self.progress = HTML()
        self.ratings: dict[str, widgets.ToggleButtons] = {}
        self.notes: dict[str, widgets.Textarea] = {}
        self.evidence: dict[str, widgets.Textarea] = {}
        self.reflections: dict[str, widgets.Textarea] = {}
        self.chart = HTML(layout=widgets.Layout(min_height="120px"))
        self.picture = charts.RatingsPicture()
        labels = [(option.label, option.id) for option in framework.scale]
        parts: list[widgets.Widget] = [
            HTML(
                f"<p>{escape(theme.intro)}</p><p><em>Source: {escape(theme.source)}</em></p>"
            ),
            self.progress,
        ]
        for number, approach in enumerate(theme.approaches, start=1):
            parts.append(
                HTML(
                    f'<div class="plkit-card"><h3>Approach {number}: {escape(approach.text)}</h3>'
                    "<p>Does this describe your school, district, or state?</p></div>"
                )
            )
            for practice in approach.practices:
                self.ratings[practice.id] = widgets.ToggleButtons(
                    options=labels,
                    value=None,
                    style={"button_width": "auto"},
                    tooltips=[f"{label}: {practice.text}" for label, _ in labels],
                )
                parts += [
                    HTML(f'<p class="plkit-practice">{escape(practice.text)}</p>'),
                    self.ratings[practice.id],
                ]
            self.notes[approach.id] = text_box(
                f"Notes on approach {number}", placeholder="What do you see now? What would change?"
            )
            self.evidence[approach.id] = text_box(
                f"Evidence for approach {number}",
                placeholder="What shows it: schedules, lesson plans, student work, policies…",
                rows=2,
            )
            parts += [self.notes[approach.id], self.evidence[approach.id]]
        if theme.resources:
            items = "".join(
                f"<li><strong>{escape(r.title)}</strong>: {escape(r.description)}</li>"
                for r in theme.resources
            )
            parts.append(HTML(f"<h3>Resources and examples</h3><ul>{items}</ul>"))
        if theme.prompts:
            parts.append(HTML("<h3>Reflect</h3>"))
            for prompt in theme.prompts:
                self.reflections[prompt.id] = text_box(prompt.text)
                parts.append(self.reflections[prompt.id])
        parts += [HTML(f"<h3>Your ratings in “{escape(theme.title)}”</h3>"), self.chart]
        super().__init__(parts)

    def show_progress(self, work: Work, framework: Framework) -> None:
        done = analysis.progress(work, framework, self.theme)
        self.progress.value = f"<p><strong>{done.text}</strong> in this theme.</p>"

    def draw_chart(self, work: Work, framework: Framework) -> None:
        counts = analysis.counts_by_approach(work, self.theme, framework)
        labels = {a.id: f"{i}. {a.text}" for i, a in enumerate(self.theme.approaches, start=1)}
        with DRAWING:  # the kept figure is redrawn: only its bars and numbers move
            png = self.picture.png(counts, labels, framework, self.theme.title)
        self.chart.value = png_html(png, chart_alt_text(counts, labels, framework))


def png_html(png: bytes, alt: str) -> str:
    """The chart as an <img> (as ``figure_html`` makes it), with its text for screen readers."""
    return chart_html(base64.b64encode(png).decode("ascii"), alt)


def chart_alt_text(
    counts: dict[str, dict[str, int]], labels: dict[str, str], framework: Framework
) -> str:
    names = {o.id: o.label for o in framework.scale} | {analysis.UNRATED: "not rated yet"}
    lines = []
    for key, numbers in counts.items():
        parts = ", ".join(f"{n} {names[r]}" for r, n in numbers.items() if n)
        lines.append(f"{labels[key]}: {parts}")
    return "Bar chart. " + "; ".join(lines)


class SummaryPage(widgets.VBox):
    """All four themes at once, a written summary, and the overall reflection."""

    def __init__(self, framework: Framework) -> None:
        self.chart = HTML(layout=widgets.Layout(min_height="120px"))
        self.picture = charts.RatingsPicture()
        self.text = HTML()
        self.reflections = {p.id: text_box(p.text) for p in framework.overall_prompts}
        super().__init__(
            [
                HTML("<h3>All four themes</h3>"),
                self.chart,
                self.text,
                HTML("<h3>Looking across the themes</h3>"),
                *self.reflections.values(),
            ]
        )

    def show(self, work: Work, framework: Framework) -> None:
        counts = analysis.counts_by_theme(work, framework)
        labels = {t.id: t.title for t in framework.themes}
        with DRAWING:
            png = self.picture.png(counts, labels, framework, "Your ratings, theme by theme")
        self.chart.value = png_html(png, chart_alt_text(counts, labels, framework))
        self.text.value = summary_html(work, framework)


def summary_html(work: Work, framework: Framework) -> str:
    summary = analysis.summarize(work, framework)
    headings = {
        "now": "Strengths: what we do now",
        "different": "Gaps: what would be different from our current approach",
        "not-sure": "Open questions: what we are not sure about yet",
    }
    blocks = []
    for option in framework.scale:
        items = summary.by_rating[option.id]
        heading = headings.get(option.id, option.label)
        if items:
            lis = "".join(
                f"<li>{escape(p.text)} <em>({escape(t.title)})</em></li>" for t, p in items
            )
            blocks.append(f"<h3>{escape(heading)} ({len(items)})</h3><ul>{lis}</ul>")
        else:
            blocks.append(f"<h3>{escape(heading)} (0)</h3><p>None yet.</p>")
    if summary.unrated:
        blocks.append(f"<p>{len(summary.unrated)} practices are not rated yet.</p>")
    return "".join(blocks)


class SelfAssessmentScreen(WorkbookScreen):
    """The whole workbook screen, bound to a ``WorkStore`` that saves every change."""

    def __init__(self, store: WorkStore) -> None:
        self.framework = store.framework
        super().__init__(store, progress_total=len(self.framework.practices))
        # A theme's page is built when its tab is first chosen (or ``pages`` is read), so the
        # first screen sends the browser the controls of one theme, not of all four.
        self._built: dict[int, ThemePage] = {}
        self._holders = [widgets.VBox() for _ in self.framework.themes]
        # In a kernel the first chart is drawn once the screen is on its way to the browser.
        self._draw_soon = _in_kernel()
        # The Summary, Rounds and Since last time tabs are built when first needed, too.
        self._parts: dict[str, widgets.Widget] = {}
        self._part_holders = {name: widgets.VBox() for name in PARTS}
        self.tabs = widgets.Tab(children=[*self._holders, *self._part_holders.values()])
        self.tabs.titles = [*(t.title for t in self.framework.themes), *PARTS.values()]
        self.page(0)
        self.finish([self.tabs])
        self.tabs.observe(self._tab_changed, "selected_index")

    @property
    def pages(self) -> list[ThemePage]:
        """Every theme's page (the ones not built yet are built now)."""
        return [self.page(index) for index in range(len(self._holders))]

    def page(self, index: int) -> ThemePage:
        """Theme ``index``'s page, built with the saved answers in it when first asked for."""
        with self._lock:
            if index not in self._built:
                page = ThemePage(self.framework.themes[index], self.framework)
                self._show_page(page, self.store.work)
                self._connect(page)
                self._built[index] = page
                self._holders[index].children = (page,)
            return self._built[index]

    @property
    def summary(self) -> SummaryPage:
        """The Summary tab's page (built now if not yet)."""
        return self._part("summary")

    @property
    def summary_download(self):
        """"Prepare my summary to print", at the foot of the Summary tab."""
        return self.summary.children[-1]

    @property
    def rounds(self) -> RoundsPanel:
        """The Rounds tab: keep, rename and remove rounds (built now if not yet)."""
        return self._part("rounds")

    @property
    def since(self) -> ComparePanel:
        """The Since last time tab (built now if not yet)."""
        return self._part("since")

    def _part(self, name: str) -> widgets.Widget:
        with self._lock:
            if name not in self._parts:
                self._parts[name] = self._build_part(name, self.store.work)
                self._part_holders[name].children = (self._parts[name],)
            return self._parts[name]

    def _build_part(self, name: str, work: Work) -> widgets.Widget:
        """The Summary, Rounds or Since last time tab, showing ``work``."""
        if name == "rounds":
            rounds = RoundsPanel(self.framework, self._edit_rounds, lambda: self.store.work)
            rounds.show(work)
            return rounds
        if name == "since":
            since = ComparePanel(self.framework)
            since.show(work, draw=False)
            return since
        from plkit.ui.summary_download import SummaryDownload  # "Prepare my summary to print"

        summary = SummaryPage(self.framework)
        summary.children = (*summary.children, SummaryDownload(self.store))
        for prompt_id, box in summary.reflections.items():
            box.value = work.self_assessment.reflections.get(prompt_id, "")
            self._save_text_on_change(box, "reflections", prompt_id)
        return summary

    def _connect(self, page: ThemePage) -> None:
        for practice_id, toggle in page.ratings.items():
            toggle.observe(
                lambda change, pid=practice_id, page=page: self._rate(page, pid, change["new"]),
                "value",
            )
        for kind in ("notes", "evidence", "reflections"):
            for item_id, box in getattr(page, kind).items():
                self._save_text_on_change(box, kind, item_id)

    def _save_text_on_change(self, box: widgets.Textarea, kind: str, item_id: str) -> None:
        def save(change) -> None:
            self.edit(lambda work: set_text(getattr(work.self_assessment, kind), item_id, change["new"]))

        box.observe(save, "value")

    def _rate(self, page: ThemePage, practice_id: str, rating: str | None) -> None:
        def change(work: Work) -> None:
            if rating:
                work.self_assessment.ratings[practice_id] = rating
            else:
                work.self_assessment.ratings.pop(practice_id, None)

        work = self.edit(change)
        if work is not None:
            page.show_progress(work, self.framework)
            page.draw_chart(work, self.framework)

    def _edit_rounds(self, change) -> Work | None:
        work = self.edit(change)
        if work is not None:
            self.since.show(work, draw=self.tabs.selected_index == self._index("since"))
        return work

    def _index(self, part: str) -> int:
        return len(self._holders) + list(PARTS).index(part)

    def _tab_changed(self, change) -> None:
        self.refresh_if_changed()
        self._draw_selected()

    def _draw_selected(self) -> None:
        index = self.tabs.selected_index
        work = self.store.work
        if index is None:
            return
        if index < len(self._holders) and self._draw_soon:
            self._draw_soon = False
            self._draw_in_background(self.page(index))
        elif index < len(self._holders):
            self.page(index).draw_chart(work, self.framework)
        elif index == self._index("rounds"):
            self.rounds.show(work)
        elif index == self._index("since"):
            self.since.show(work)
        else:
            self.summary.show(work, self.framework)

    def _show_page(self, page: ThemePage, work: Work) -> None:
        """Put the saved answers into one theme page's controls."""
        section = work.self_assessment
        for practice_id, toggle in page.ratings.items():
            toggle.value = section.ratings.get(practice_id)
        for kind in ("notes", "evidence", "reflections"):
            for item_id, box in getattr(page, kind).items():
                box.value = getattr(section, kind).get(item_id, "")
        page.show_progress(work, self.framework)

    def progress(self, work: Work) -> tuple[int, str]:
        done = analysis.progress(work, self.framework)
        return done.rated, done.text

    def _draw_in_background(self, page: ThemePage) -> None:
        """Draw the page's chart on a thread, so the screen goes to the browser at once.

        Importing matplotlib and drawing the first chart take about a second; the chart sits
        below the practices, and the teacher can start rating meanwhile. A rating drawn before
        it waits for it (``DRAWING``), and it draws the answers saved when it starts drawing.
        """
        def draw() -> None:
            with DRAWING:
                page.draw_chart(self.store.work, self.framework)

        # Not at once: the page first fetches every control's state from this kernel (the app view
        # asks only once the notebook has run), and drawing meanwhile would hold those answers up.
        timer = threading.Timer(FIRST_CHART_AFTER_SECONDS, draw)
        timer.name, timer.daemon = "plkit-first-chart", True
        timer.start()

    def show_answers(self, work: Work) -> None:
        for page in self._built.values():
            self._show_page(page, work)
        section = work.self_assessment
        if "summary" in self._parts:
            for prompt_id, box in self.summary.reflections.items():
                box.value = section.reflections.get(prompt_id, "")
        if "rounds" in self._parts:
            self.rounds.show(work)
        if "since" in self._parts:
            self.since.show(work, draw=False)
        self._draw_selected()


def _in_kernel() -> bool:
    """Whether this runs in a Jupyter kernel, where a browser waits for the screen."""
    from IPython import get_ipython

    return getattr(get_ipython(), "kernel", None) is not None


def self_assessment(
    framework_path: str | os.PathLike | None = None, *, work_dir: str | os.PathLike | None = None
) -> SelfAssessmentScreen:
    """Build the self-assessment screen; answers autosave to ``my_work/`` beside the workbook."""
    framework = load_framework(framework_path)
    return SelfAssessmentScreen(WorkStore(framework, work_dir))
