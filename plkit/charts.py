"""Charts of a participant's ratings. Functions take data, draw on an optional ``ax``,
and return the ``Figure``; nothing touches pyplot's global state."""

from __future__ import annotations

import io
import textwrap
import warnings
from typing import TYPE_CHECKING

from plkit.analysis import UNRATED
from plkit.content import Framework

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Okabe-Ito colours, safe for colour-blind readers; hatching tells them apart in grey too.
PALETTE = ("#0072B2", "#E69F00", "#CC79A7", "#009E73", "#56B4E9", "#D55E00")
HATCHES = ("", "//", "..", "xx", "\\\\", "++")
UNRATED_COLOUR = "#E8E8E8"
DARK_COLOURS = ("#0072B2", "#009E73", "#D55E00")  # white numbers on these, black on the rest


def rating_styles(framework: Framework) -> dict[str, dict[str, str]]:
    """Colour, hatch and label for each rating, in scale order, then 'not rated yet'."""
    styles = {
        option.id: {
            "color": PALETTE[i % len(PALETTE)],
            "hatch": HATCHES[i % len(HATCHES)],
            "label": option.label,
        }
        for i, option in enumerate(framework.scale)
    }
    styles[UNRATED] = {"color": UNRATED_COLOUR, "hatch": "", "label": "Not rated yet"}
    return styles


def _new_axes(ax: Axes | None, rows: int) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    from matplotlib.figure import Figure

    # A white card: readable on JupyterLab's light and dark themes alike.
    fig = Figure(figsize=(7.5, 1.3 + 0.7 * rows), facecolor="white", layout="constrained")
    return fig, fig.add_subplot()


def stacked_ratings(
    counts: dict[str, dict[str, int]],
    labels: dict[str, str],
    framework: Framework,
    title: str,
    ax: Axes | None = None,
) -> Figure:
    """One horizontal bar per row (approach or theme), split by rating."""
    own_figure = ax is None
    fig, ax = _new_axes(ax, len(counts))
    styles = rating_styles(framework)
    rows = list(counts)
    names = [_wrap(labels[r]) for r in rows]
    left = [0] * len(rows)
    for rating, style in styles.items():
        values = [counts[r].get(rating, 0) for r in rows]
        bars = ax.barh(
            names,
            values,
            left=left,
            color=style["color"],
            hatch=style["hatch"],
            edgecolor="#333333",
            linewidth=0.6,
            label=style["label"],
        )
        for bar, value in zip(bars, values, strict=True):
            if value:
                ink = "white" if style["color"] in DARK_COLOURS else "black"
                ax.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    str(value),
                    ha="center",
                    va="center",
                    color=ink,
                    fontsize=9,
                    bbox={"facecolor": style["color"], "edgecolor": "none", "pad": 3},
                )
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("Number of practices")
    ax.set_xlim(0, max(left + [1]) * 1.03)  # a little room after the longest bar
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title, loc="left", fontsize=11)
    ax.tick_params(axis="y", labelsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    if own_figure:  # room below the bars for a one-line legend
        fig.legend(loc="outside lower center", ncols=len(styles), fontsize=9, frameon=False)
    else:
        ax.legend(fontsize=8)
    return fig


def _wrap(label: str, width: int = 44, lines: int = 3) -> str:
    parts = textwrap.wrap(label, width)
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1].rstrip(".,;") + "…"
    return "\n".join(parts)


def to_png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # A name in a script the chart font lacks (e.g. Chinese) draws as boxes; the text beside
        # the chart shows it properly, so the warning would only alarm the participant.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        fig.savefig(buffer, format="png", dpi=96)
    return buffer.getvalue()


def timeline(priorities: list, ax: Axes | None = None) -> Figure:
    """A bar per priority from its start to its end date; undated priorities are named as such."""
    from datetime import date

    import matplotlib.dates as mdates

    own_figure = ax is None
    fig, ax = _new_axes(ax, max(len(priorities), 1))
    names = [_wrap(f"{i}. {p.title}", 34, 2) for i, p in enumerate(priorities, start=1)]
    for row, priority in enumerate(priorities):
        if priority.start and priority.end:
            start, end = date.fromisoformat(priority.start), date.fromisoformat(priority.end)
            days = max((end - start).days, 1)
            ax.barh(row, days, left=mdates.date2num(start), height=0.5,
                    color=PALETTE[row % len(PALETTE)], hatch=HATCHES[row % len(HATCHES)],
                    edgecolor="#333333", linewidth=0.6)
            steps = [s for s in priority.first_steps.splitlines() if s.strip()]
            note = f"{start:%d %b %Y} to {end:%d %b %Y}" + (f" · {len(steps)} first steps" if steps else "")
            ax.annotate(note, (mdates.date2num(start), row + 0.42), fontsize=8, va="top")
        else:
            ax.text(0.01, row, "dates not set yet", transform=ax.get_yaxis_transform(),
                    va="center", fontsize=9, style="italic", color="#555555")
    ax.set_yticks(range(len(priorities)), names, fontsize=9)
    ax.set_ylim(len(priorities) - 0.4, -0.7)
    if any(p.start and p.end for p in priorities):
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=8))
    else:
        ax.set_xticks([])
    ax.set_title("My action plan: timeline", loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    if own_figure:
        fig.set_figheight(1.4 + 0.8 * max(len(priorities), 1))
    return fig


def agreement_heatmap(
    table: dict[str, dict[str, int]], labels: dict[str, str], framework: Framework, ax: Axes | None = None
) -> Figure:
    """Practices (rows) by ratings (columns); darker cells hold more of the group."""
    own_figure = ax is None
    fig, ax = _new_axes(ax, len(table))
    if own_figure:
        fig.set_size_inches(8.5, 1.2 + 0.36 * len(table))
    styles = rating_styles(framework)
    columns = list(styles)
    rows = list(table)
    shares = [[table[r][c] / max(sum(table[r].values()), 1) for c in columns] for r in rows]
    image = ax.imshow(shares, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for y, r in enumerate(rows):
        for x, c in enumerate(columns):
            ax.text(x, y, str(table[r][c]), ha="center", va="center", fontsize=8,
                    color="white" if shares[y][x] > 0.55 else "black")
    ax.set_xticks(range(len(columns)), [_wrap(styles[c]["label"], 12, 2) for c in columns], fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(rows)), [_wrap(labels[r], 60, 1) for r in rows], fontsize=8)
    ax.set_title("How the group rated each practice (number of people)", loc="left", fontsize=11)
    if own_figure:
        fig.colorbar(image, ax=ax, shrink=0.5, label="Share of the group")
    return fig
