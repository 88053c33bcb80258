"""Workbook 3's charts: the claims side by side (a forest plot) and two overlapping score curves.

Functions take data, draw on an optional ``ax``, and return the ``Figure``; nothing touches
pyplot's global state. White backgrounds keep them readable on light and dark themes.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING

from plkit.claims import ClaimsContent
from plkit.effect_sizes import u3

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BLUE, ORANGE, VERMILION, GREY, INK = "#0072B2", "#E69F00", "#D55E00", "#999999", "#222222"
MARKERS = {  # evidence -> how its point is drawn (shape and fill tell them apart in grey too)
    "primary": {
        "marker": "o",
        "color": BLUE,
        "markerfacecolor": BLUE,
        "label": "Seen in the primary source",
    },
    "secondary": {
        "marker": "D",
        "color": VERMILION,
        "markerfacecolor": "white",
        "label": "Quoted secondhand",
    },
}


@dataclass(frozen=True)
class ForestRow:
    label: str
    effect: float | None
    low: float | None
    high: float | None
    interval: str  # "" when no interval is known
    evidence: str

    @property
    def centre(self) -> float:
        if self.effect is not None:
            return self.effect
        return ((self.low or 0.0) + (self.high or 0.0)) / 2

    @property
    def value_text(self) -> str:
        parts = [] if self.effect is None else [f"{self.effect:.2f}"]
        if self.low is not None and self.high is not None:
            parts.append(f"{self.low:.2f} to {self.high:.2f}")
        return " (".join(parts) + (")" if len(parts) == 2 else "")


def forest_rows(content: ClaimsContent) -> list[ForestRow]:
    """Claims with an effect size in SD against a comparison group (a number or a range),
    smallest first. Growth against national norms, correlations and months are left out."""
    rows = [
        ForestRow(c.short, c.effect_size, c.ci_low, c.ci_high, c.interval, c.evidence)
        for c in content.claims
        if c.is_effect
    ]
    return sorted(rows, key=lambda r: r.centre)


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), facecolor="white")


def forest_plot(rows: list[ForestRow], ax: Axes | None = None) -> Figure:
    """One line per claim: its effect (point), interval or range (line), and value; zero marked."""
    own = ax is None
    if own:
        fig = _figure(8.0, 1.4 + 0.42 * max(len(rows), 1))
        fig.subplots_adjust(
            left=0.36,
            right=0.97,
            top=1 - 0.5 / fig.get_figheight(),
            bottom=1.05 / fig.get_figheight(),
        )
        ax = fig.add_subplot()
    fig = ax.figure
    ax.set_facecolor("white")
    ax.axvline(0, color=INK, linewidth=1)
    used: dict[str, object] = {}
    for y, row in enumerate(rows):
        style = MARKERS.get(row.evidence, MARKERS["primary"])
        if row.low is not None and row.high is not None:
            dashed = not row.interval.lower().startswith("95")
            (line,) = ax.plot(
                [row.low, row.high],
                [y, y],
                color=GREY if dashed else INK,
                linewidth=3 if dashed else 1.6,
                linestyle="--" if dashed else "-",
                solid_capstyle="butt",
            )
            used.setdefault(f"~{row.interval or 'interval'}", line)
            if row.effect is None:  # a range with no point: its ends carry the evidence marker
                (ends,) = ax.plot(
                    [row.low, row.high],
                    [y, y],
                    linestyle="none",
                    markersize=5,
                    marker=style["marker"],
                    color=style["color"],
                    markerfacecolor=style["markerfacecolor"],
                )
                used.setdefault(style["label"], ends)
        if row.effect is not None:
            (point,) = ax.plot(
                [row.effect],
                [y],
                linestyle="none",
                markersize=8,
                markeredgewidth=1.6,
                marker=style["marker"],
                color=style["color"],
                markerfacecolor=style["markerfacecolor"],
            )
            used[style["label"]] = point
        right = max(v for v in (row.effect, row.high) if v is not None)
        ax.text(right + 0.03, y, row.value_text, va="center", fontsize=9, color=INK)
    values = [v for r in rows for v in (r.effect, r.low, r.high) if v is not None] or [0.0]
    ax.set_xlim(min(0.0, min(values)) - 0.1, max(values) + 0.45)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    # Labels come from the content files: drawn as they are, never as maths markup ($...$).
    ax.set_yticks(
        range(len(rows)), [textwrap.fill(r.label, 34) for r in rows], fontsize=9, parse_math=False
    )
    ax.set_xlabel("Effect size, in standard deviations (SD); 0 = no difference", fontsize=9)
    ax.set_title("Claims with an effect size, smallest to largest", loc="left", fontsize=11)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    if used:
        order = sorted(
            used, key=lambda key: (key.startswith("~"), key != MARKERS["primary"]["label"])
        )
        handles = [used[key] for key in order]
        labels = [key.lstrip("~")[0].upper() + key.lstrip("~")[1:] for key in order]
        if own:
            fig.legend(
                handles, labels, loc="lower center", ncols=len(handles), fontsize=9, frameon=False
            )
        else:
            ax.legend(handles, labels, fontsize=8)
    return fig


def forest_alt_text(rows: list[ForestRow]) -> str:
    parts = [
        f"{r.label}: {r.value_text}" + (f" ({r.interval})" if r.interval else "") for r in rows
    ]
    return "Forest plot of effect sizes in SD, smallest to largest. " + "; ".join(parts) + "."


def effect_curves(d: float, ax: Axes | None = None) -> Figure:
    """The comparison group's scores and the same curve shifted by ``d``, with U3 shaded.

    The curves are labelled directly (no legend box): quicker to read, and to draw.
    """
    if ax is None:
        fig = _figure(7.0, 2.9)
        fig.subplots_adjust(left=0.03, right=0.98, top=0.86, bottom=0.2)
        ax = fig.add_subplot()
    fig = ax.figure
    normal = NormalDist()
    start, stop, steps = -3.5 + min(d, 0.0), 3.5 + max(d, 0.0), 160
    xs = [start + (stop - start) * i / steps for i in range(steps + 1)]
    comparison = [normal.pdf(x) for x in xs]
    treated = [normal.pdf(x - d) for x in xs]
    ax.fill_between(
        xs, comparison, where=[x <= d for x in xs], color=ORANGE, alpha=0.45, linewidth=0
    )
    ax.plot(xs, comparison, color=INK, linewidth=1.6, linestyle="--")
    ax.plot(xs, treated, color=BLUE, linewidth=2.2)
    ax.axvline(d, color=BLUE, linewidth=1, linestyle=":")
    # The label of the curve further left goes on the left, the other on the right.
    left, right = (("Comparison group", 0.0, INK), ("Group that got it", d, BLUE))[
        :: 1 if d >= 0 else -1
    ]
    height = normal.pdf(1.2) + 0.03
    ax.text(left[1] - 1.2, height, left[0], ha="right", fontsize=9, color=left[2])
    ax.text(right[1] + 1.2, height, right[0], ha="left", fontsize=9, color=right[2])
    ax.text(
        d - 0.12,
        0.05,
        f"{u3(d):.1f}% of the\ncomparison group",
        ha="right",
        fontsize=8.5,
        color=INK,
    )
    ax.set_yticks([])
    ax.set_ylim(0, 0.46)
    ax.set_xlabel("Scores, in standard deviations of the comparison group", fontsize=9)
    ax.set_title(
        f"d = {d:.2f}: the average student who got it scores above {u3(d):.0f}% of the comparison group",
        loc="left",
        fontsize=10,
    )
    ax.spines[["top", "right", "left"]].set_visible(False)
    return fig


def curves_alt_text(d: float) -> str:
    return (
        f"Two bell curves of scores. The comparison group is centred on 0; the group that got it is "
        f"shifted by d = {d:.2f}. The average student who got it scores above {u3(d):.1f}% of the "
        "comparison group (shaded)."
    )
