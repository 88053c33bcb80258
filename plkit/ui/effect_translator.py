"""Workbook 3, step 3: put an effect size into percentiles, the WWC index and EEF months."""

from __future__ import annotations

import ipywidgets as widgets

from plkit import claims_charts
from plkit.effect_sizes import d_to_r, eef_band, improvement_index, r_to_d, u3
from plkit.ui.common import HTML, escape, figure_html, row

D_MIN, D_MAX, D_START = -0.5, 1.5, 0.25

CAVEAT = (
    "<p><strong>Read months with care.</strong> Of these translations, months of learning is the least "
    "reliable: Baird &amp; Pane (2019, <em>Educational Researcher</em> 48(4)) rank “years of learning” "
    "the least accurate and percentile gains the best, because how much students grow in a year "
    "differs by age, subject and test. And most real effects are small: Kraft (2023, "
    "<em>Educational Researcher</em>, doi 10.3102/0013189X231155154) found that 36% of effect sizes "
    "from randomized trials of education interventions with standardized achievement outcomes are "
    "below 0.05 SD.</p>"
)


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st…"""
    suffix = (
        "th" if 11 <= number % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def translation_html(d: float, r: float | None = None) -> str:
    """What an effect of ``d`` means in three translations (``r``: the correlation it came from)."""
    band = eef_band(d)
    index = round(improvement_index(d))
    origin = ""
    if r is not None:
        origin = (
            f" (from r = {r:.2f}, converted with d = 2r / √(1 − r²) for illustration: "
            "a correlation is a link, not an effect)"
        )
    edges = f"{band.low:.2f} to {band.high:.2f}"
    months = (
        f"{escape(band.text)} (the EEF table's band for effect sizes {edges})"
        if not band.beyond
        else escape(band.text)
    )
    return (
        f'<div class="plkit-card" role="status"><h3>d = {d:.2f}{escape(origin)}</h3><ul>'
        f"<li><strong>Percentile (Cohen's U3): {u3(d):.1f}.</strong> The average student who got it "
        f"would score above {u3(d):.1f}% of the comparison group.</li>"
        f"<li><strong>WWC improvement index: {index:+d}.</strong> An average comparison student "
        f"would move from the 50th to about the {ordinal(50 + index)} percentile. (The What Works "
        "Clearinghouse's own example: d = 0.25 gives 10.)</li>"
        f"<li><strong>EEF months of progress:</strong> {months}.</li>"
        f"</ul></div>{CAVEAT}"
    )


class EffectTranslator(widgets.VBox):
    """A slider for d, a box for r, the three translations and two overlapping curves."""

    def __init__(self, examples: list[tuple[str, float]], left_out: str = "") -> None:
        """``examples``: (a claim's short name, its effect size in SD); ``left_out``: HTML saying
        which claims with a number are not among them, and why."""
        self.visible = False  # the chart is drawn only while its tab is shown
        self._syncing = False
        self.current_d = D_START
        self.current_r: float | None = None
        self.examples = dict(examples)  # a claim's short name -> its effect size
        self.d = widgets.FloatSlider(
            value=D_START,
            min=D_MIN,
            max=D_MAX,
            step=0.01,
            description="Effect size d",
            readout_format=".2f",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto", max_width="40em"),  # stretches to the screen, margins included
        )
        self.r = widgets.FloatText(
            value=round(d_to_r(D_START), 3),
            step=0.01,
            description="Correlation r",
            style={"description_width": "initial"},
        )
        self.example = widgets.Dropdown(
            options=[
                ("Choose a claim…", ""),
                *((f"{label}: {d:.2f}", label) for label, d in examples),
            ],
            value="",
            description="Or a claim's effect",
            style={"description_width": "initial"},
        )
        self.left_out = HTML(left_out)
        self.message = HTML()
        self.result = HTML()
        self.chart = HTML(layout=widgets.Layout(min_height="300px"))
        self.d.observe(lambda change: self._d_changed(change["new"]), "value")
        self.r.observe(lambda change: self._r_changed(change["new"]), "value")
        self.example.observe(lambda change: self._example(change["new"]), "value")
        super().__init__(
            [
                HTML(
                    "<p>Research often reports an <strong>effect size</strong>: the difference between two "
                    "groups in standard deviations (SD). Move the slider to see what a size means for "
                    "students, or start from a correlation <em>r</em>.</p>"
                    '<p class="plkit-practice"><strong>Effect size d</strong> (from −0.5 to 1.5 SD):</p>'
                ),
                self.d,
                HTML(
                    '<p class="plkit-practice"><strong>Or type a correlation r</strong> '
                    "(between −1 and 1; it is converted to d):</p>"
                ),
                row([self.r, self.example]),
                self.left_out,
                self.message,
                self.result,
                self.chart,
            ]
        )
        self.show_result()

    def _d_changed(self, d: float) -> None:
        if self._syncing:
            return
        self.current_d, self.current_r = d, None
        self._sync(lambda: setattr(self.r, "value", round(d_to_r(d), 3)))
        self.message.value = ""
        self.update()

    def _r_changed(self, r: float) -> None:
        if self._syncing:
            return
        if not -1 < r < 1:
            self.message.value = (
                '<p role="alert" class="plkit-problem">A correlation r lies between '
                "−1 and 1 (not including them). Try 0.3, for example.</p>"
            )
            return
        d = r_to_d(r)
        self.current_d, self.current_r = d, r
        self.message.value = (
            ""
            if D_MIN <= d <= D_MAX
            else (
                f'<p role="status">r = {r:.2f} gives d = {d:.2f}, beyond this slider ({D_MIN} to {D_MAX}); '
                "the numbers below use it anyway.</p>"
            )
        )
        self._sync(lambda: setattr(self.d, "value", min(max(round(d, 2), D_MIN), D_MAX)))
        self.update()

    def _example(self, label: str) -> None:
        if label:
            d = self.examples[label]
            self.d.value = d
            self._d_changed(d)  # also when the slider already stood there

    def _sync(self, change) -> None:
        self._syncing = True
        try:
            change()
        finally:
            self._syncing = False

    def update(self) -> None:
        self.show_result()
        if self.visible:
            self.draw()

    def show_result(self) -> None:
        self.result.value = translation_html(self.current_d, self.current_r)

    def draw(self) -> None:
        d = self.current_d
        fig = claims_charts.effect_curves(d)
        self.chart.value = figure_html(fig, claims_charts.curves_alt_text(d))

    def show(self) -> None:
        """Called when the tab is shown: draw the chart for the current value."""
        self.visible = True
        self.draw()
