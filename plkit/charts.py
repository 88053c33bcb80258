"""Charts of a participant's ratings. Functions take data, draw on an optional ``ax``,
and return the ``Figure``; nothing touches pyplot's global state.

Text from participants and frameworks is drawn as it is: never read as matplotlib's maths
markup (``$...$``), which would show "Raise $$ for laptops" wrongly or fail to draw at all.
"""

from __future__ import annotations

import contextlib
import io
import textwrap
import unicodedata
import warnings
from datetime import date
from math import ceil, floor
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
PNG_DPI = 96
BAR_ZORDER = 2.6  # bars above the axes' lines and ticks (2.5), their numbers (3) above the bars


def rating_styles(framework: Framework) -> dict[str, dict[str, str]]:
    """Colour, hatch and label for each rating, in scale order, then 'not rated yet'."""
    styles = {
        option.id: {
            "color": PALETTE[i % len(PALETTE)],
            # past six ratings the colours come round again, each with another hatch
            "hatch": HATCHES[(i + i // len(PALETTE)) % len(HATCHES)],
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


def _literal(artist) -> None:
    """Draw every text of ``artist`` (a figure, axes or legend) as it is, never as maths markup."""
    from matplotlib.text import Text

    for text in artist.findobj(Text):
        text.set_parse_math(False)


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
    places = range(len(rows))  # by position, not by name: two rows may share a name
    left = [0] * len(rows)
    handles = []
    for rating, style in styles.items():
        values = [counts[r].get(rating, 0) for r in rows]
        bars = ax.barh(
            places,
            values,
            left=left,
            color=style["color"],
            hatch=style["hatch"],
            edgecolor="#333333",
            linewidth=0.6,
            zorder=BAR_ZORDER,
        )
        handles.append(bars)
        _bar_numbers(ax, bars, values, style)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(places, [_wrap(labels[r]) for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("Number of practices")
    ax.set_xlim(0, max(left + [1]) * 1.03)  # a little room after the longest bar
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(_wrap(title, 48, 2), loc="left", fontsize=11)
    ax.tick_params(axis="y", labelsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    _scale_legend(fig, ax, handles, styles, own_figure)
    return fig


def _bar_numbers(ax: Axes, bars, values: list[int], style: dict[str, str]) -> None:
    """Each bar's count written on it (none on an empty bar), in ink that reads on its colour."""
    ink = "white" if style["color"] in DARK_COLOURS else "black"
    for bar, value in zip(bars, values, strict=True):
        if value:
            ax.text(
                bar.get_x() + bar.get_width() / 2,
                bar.get_y() + bar.get_height() / 2,
                str(value),
                ha="center",
                va="center",
                color=ink,
                fontsize=9,
                bbox={"facecolor": style["color"], "edgecolor": "none", "pad": 3},
                parse_math=False,
            )


class RatingsPicture:
    """The PNG of one ``stacked_ratings`` chart on screen, redrawn fast when only counts change.

    A rating click changes the counts but not the rows, their totals, the labels or the scale, so
    the axes, ticks, title and legend stay as they were. The figure is kept, with its layout and a
    rendered copy of everything but the bars and their numbers; a redraw pastes that copy and
    draws only the bars and numbers on it (about a tenth of the time of a new chart). The
    picture is the same, pixel for pixel, as a new chart's (the bars and numbers are drawn above
    everything else in both).
    """

    def __init__(self) -> None:
        self._figure: Figure | None = None
        self._shape: tuple | None = None
        self._background = None

    def png(self, counts: dict[str, dict[str, int]], labels: dict[str, str], framework: Framework,
            title: str) -> bytes:
        """The chart of ``counts`` as PNG bytes."""
        shape = (
            title,
            tuple((row, labels[row], sum(counts[row].values())) for row in counts),
            tuple((key, style["label"]) for key, style in rating_styles(framework).items()),
        )
        with _drawing_literally():
            if self._figure is None or shape != self._shape:
                self._start(stacked_ratings(counts, labels, framework, title))
                self._shape = shape
            else:
                _restack(self._figure.axes[0], counts, framework)
            return self._render()

    def _start(self, figure: Figure) -> None:
        """Lay the new figure out once, and keep a rendering of its still parts."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        figure.set_dpi(PNG_DPI)
        FigureCanvasAgg(figure)
        _literal(figure)
        figure.draw_without_rendering()  # the constrained layout, worked out once
        figure.set_layout_engine("none")  # and kept
        moving = _moving_parts(figure.axes[0])
        for artist in moving:
            artist.set_visible(False)
        figure.canvas.draw()
        self._background = figure.canvas.copy_from_bbox(figure.bbox)
        for artist in moving:
            artist.set_visible(True)
        self._figure = figure

    def _render(self) -> bytes:
        import matplotlib as mpl

        figure = self._figure
        figure.canvas.restore_region(self._background)
        ax = figure.axes[0]
        for artist in sorted(_moving_parts(ax), key=lambda a: a.get_zorder()):
            ax.draw_artist(artist)
        buffer = io.BytesIO()
        mpl.image.imsave(buffer, figure.canvas.buffer_rgba(), format="png", origin="upper",
                         dpi=figure.dpi)
        return buffer.getvalue()


def _moving_parts(ax: Axes) -> list:
    """What a rating changes in a ``stacked_ratings`` chart: the bars and the numbers on them."""
    return [bar for bars in ax.containers for bar in bars] + list(ax.texts)


def _restack(ax: Axes, counts: dict[str, dict[str, int]], framework: Framework) -> None:
    """Move the bars of a ``stacked_ratings`` chart to new counts (same rows and totals), and
    write their numbers afresh."""
    for text in list(ax.texts):
        text.remove()
    rows = list(counts)
    left = [0] * len(rows)
    for bars, (rating, style) in zip(ax.containers, rating_styles(framework).items(), strict=True):
        values = [counts[r].get(rating, 0) for r in rows]
        for bar, start, value in zip(bars, left, values, strict=True):
            bar.set_x(start)
            bar.set_width(value)
        _bar_numbers(ax, bars, values, style)
        left = [a + b for a, b in zip(left, values, strict=True)]


def _columns(character: str) -> int:
    """How many columns a character takes: two for wide ones (Chinese, Japanese, emoji)."""
    return 2 if unicodedata.east_asian_width(character) in "WF" else 1


def _wrap(label: str, width: int = 44, lines: int = 3) -> str:
    """A label in lines of at most ``width`` columns (long words cut), at most ``lines`` of them."""
    parts = []
    for part in textwrap.wrap(label, width):
        while part:  # a line of wide characters is cut again, by columns
            used = taken = 0
            while taken < len(part) and used + _columns(part[taken]) <= width:
                used += _columns(part[taken])
                taken += 1
            taken = max(taken, 1)
            parts.append(part[:taken])
            part = part[taken:]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1].rstrip(".,;") + "…"
    return "\n".join(parts)


def to_png(fig: Figure) -> bytes:
    """The figure as PNG bytes, every text in it drawn as it is (no maths markup)."""
    buffer = io.BytesIO()
    _literal(fig)
    with _drawing_literally():
        fig.savefig(buffer, format="png", dpi=PNG_DPI)
    return buffer.getvalue()


@contextlib.contextmanager
def _drawing_literally():
    """Draw every text as it is, quietly."""
    import matplotlib as mpl

    # Any text made while drawing (a new tick label) takes its default from here.
    with mpl.rc_context({"text.parse_math": False}), warnings.catch_warnings():
        # A name in a script the chart font lacks (e.g. Chinese) draws as boxes; the text beside
        # the chart shows it properly, so the warning would only alarm the participant.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        yield


def _day(text: str) -> date | None:
    """The date in an ISO text, or None when there is none to read."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000, 24000)
DAY_STEPS = (1, 2, 7, 14)


def date_ticks(first: float, last: float, most: int = 8) -> tuple[list[int], list[str]]:
    """Ticks between two day numbers (``date.toordinal``): on days for a short span, else on the
    first of a month or year; at most ``most`` of them, and only on days a calendar has."""
    low = date.fromordinal(min(max(ceil(first), 1), date.max.toordinal()))
    high = date.fromordinal(max(min(floor(last), date.max.toordinal()), 1))
    if high < low:
        return [], []
    span = (high - low).days
    if span < 62:
        step = next((s for s in DAY_STEPS if span / s < most), 31)
        days = [date.fromordinal(d) for d in range(low.toordinal(), high.toordinal() + 1, step)]
        return [d.toordinal() for d in days], [f"{d:%d %b}" for d in days]
    months = (high.year - low.year) * 12 + high.month - low.month
    step = next(s for s in MONTH_STEPS if months / s < most)
    first_month = low.year * 12 + low.month - 1
    first_month = -(-first_month // step) * step  # the first whole step at or after ``low``
    days = []
    for month in range(first_month, high.year * 12 + high.month, step):
        year, index = divmod(month, 12)
        if year >= 1 and low <= (day := date(year, index + 1, 1)) <= high:
            days.append(day)
    shown = "%b %Y" if step < 12 else "%Y"
    return [d.toordinal() for d in days], [d.strftime(shown) for d in days]


# How a step's status shows on the timeline: the fill of its marker and a word-free sign beside
# its number, so it reads without colour (and in grey print).
STEP_MARKS = {
    "done": {"fillstyle": "full", "sign": "✓", "label": "Step done (filled, ✓)"},
    "under-way": {"fillstyle": "left", "sign": "", "label": "Step under way (half filled)"},
    "not-started": {"fillstyle": "none", "sign": "", "label": "Step not started (hollow)"},
}


def _step_marks(ax: Axes, row: int, priority, first: float, last: float) -> bool:
    """Each written step with a due date as a marker on its priority's row, numbered as on screen;
    steps due the same day stand one above the other. Whether any was drawn."""
    dated: dict[int, list[tuple[int, str]]] = {}
    for number, step in enumerate(priority.steps, start=1):
        if step.text.strip() and (day := _day(step.due)):
            dated.setdefault(day.toordinal(), []).append((number, step.status))
    for day, steps in dated.items():
        for place, (number, status) in enumerate(steps):
            mark = STEP_MARKS.get(status, STEP_MARKS["not-started"])
            y = row + (place - (len(steps) - 1) / 2) * min(0.2, 0.5 / len(steps))
            ax.plot([day], [y], marker="o", markersize=8, fillstyle=mark["fillstyle"], color="#111111",
                    markerfacecoloralt="white", markeredgewidth=1.4, linestyle="none", zorder=3,
                    gid=f"step-{status}")
            near_end = last > first and (day - first) / (last - first) > 0.85
            ax.annotate(f"{number}{mark['sign']}", (day, y), xytext=(-6 if near_end else 6, 0),
                        textcoords="offset points", ha="right" if near_end else "left", va="center",
                        fontsize=8, fontweight="bold", zorder=4,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.85})
    return bool(dated)


def timeline(priorities: list, ax: Axes | None = None, title: str = "My action plan: timeline") -> Figure:
    """A bar per priority from its start to its end date, its steps with due dates as markers
    (filled and ticked when done, hollow when not started), and how many steps are done.

    Days are plain numbers (``date.toordinal``), so any date from year 1 to 9999 draws."""
    from matplotlib.lines import Line2D

    from plkit.plan import progress_text, step_progress

    own_figure = ax is None
    fig, ax = _new_axes(ax, max(len(priorities), 1))
    names = [_wrap(f"{i}. {p.title}", 34, 2) for i, p in enumerate(priorities, start=1)]
    days = []
    for priority in priorities:
        start, end = _day(priority.start), _day(priority.end)
        if start and end:
            days += [start.toordinal(), start.toordinal() + max((end - start).days, 1)]
        days += [d.toordinal() for s in priority.steps if s.text.strip() and (d := _day(s.due))]
    first, last = (min(days), max(days)) if days else (0, 0)
    any_steps = False
    notes = []  # each dated bar's note, kept inside the frame once the figure is laid out
    for row, priority in enumerate(priorities):
        start, end = _day(priority.start), _day(priority.end)
        done = progress_text(*step_progress(priority))
        done = done[0].lower() + done[1:]  # "no steps written yet" runs on after the dates
        if start and end:
            length = max((end - start).days, 1)
            ax.barh(row, length, left=start.toordinal(), height=0.5,
                    color=PALETTE[row % len(PALETTE)], hatch=HATCHES[row % len(HATCHES)],
                    edgecolor="#333333", linewidth=0.6)
            note = f"{start:%d %b %Y} to {end:%d %b %Y} · {done}"
            # the note runs right from the start, or left from the end when the bar starts late
            late = last > first and (start.toordinal() - first) / (last - first) > 0.5
            notes.append(ax.annotate(note, ((start.toordinal() + length) if late else start.toordinal(), row + 0.42),
                                     fontsize=8, va="top", ha="right" if late else "left", in_layout=False))
        else:
            unset = ax.text(0.01, row + 0.42, "dates not set yet", transform=ax.get_yaxis_transform(),
                            va="top", fontsize=8, style="italic", color="#555555")
            ax.annotate(f" · {done}", (1, 0), xycoords=unset, va="bottom", fontsize=8, color="#333333")
        any_steps = _step_marks(ax, row, priority, first, last) or any_steps
    ax.set_yticks(range(len(priorities)), names, fontsize=9)
    ax.set_ylim(len(priorities) - 0.3, -0.7)
    if days:
        margin = max((last - first) * 0.06, 2)
        ax.set_xlim(first - margin, last + margin)
        ax.set_xticks(*date_ticks(first - margin, last + margin))
    else:
        ax.set_xticks([])
    ax.set_title(title, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    legend = None
    if any_steps:
        handles = [Line2D([], [], marker="o", markersize=8, fillstyle=m["fillstyle"], color="#111111",
                          markerfacecoloralt="white", markeredgewidth=1.4, linestyle="none")
                   for m in STEP_MARKS.values()]
        labels = [m["label"] for m in STEP_MARKS.values()]
        if own_figure:
            legend = fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=8, frameon=False)
        else:
            legend = ax.legend(handles, labels, fontsize=8)
    if own_figure:
        fig.set_figheight(1.5 + 0.8 * max(len(priorities), 1) + (0.3 if any_steps else 0))
    _literal(ax)
    if legend is not None:
        _literal(legend)
    if own_figure and notes:
        _keep_notes_inside(fig, ax, notes)
    return fig


def _keep_notes_inside(fig: Figure, ax: Axes, notes: list) -> None:
    """Lay the figure out, then bring back inside the chart's frame any note that would cross it
    (a long or wide-lettered title leaves a narrow frame, and a note runs on from its bar's start):
    in two lines if one is wider than the frame, flush with the edge it crossed. Before, its words
    were cut at the picture's edge."""
    fig.set_dpi(PNG_DPI)  # laid out as it will be drawn: the layout shifts a little with the dpi
    with _drawing_literally():
        fig.draw_without_rendering()
    frame = ax.get_window_extent()
    inset = 2 / frame.width  # two pixels between a note and the frame's edge, in the frame's width
    for note in notes:
        if note.get_window_extent().width > frame.width * (1 - 2 * inset):
            note.set_text(note.get_text().replace(" · ", "\n", 1))
        box = note.get_window_extent()
        if box.x1 > frame.x1 or box.x0 < frame.x0:  # flush with the edge crossed, wherever the frame ends up
            right = box.x1 > frame.x1
            # across: a share of the frame's width; down: the rows (the words stand where the point is)
            note.xycoords = note.anncoords = ax.get_yaxis_transform()
            note.xy = note.xyann = (1 - inset if right else inset, note.xy[1])
            note.set_horizontalalignment("right" if right else "left")


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
    _literal(ax)
    return fig


def then_and_now(
    counts_then: dict[str, dict[str, int]],
    counts_now: dict[str, dict[str, int]],
    titles: dict[str, str],
    framework: Framework,
    then_name: str,
    now_name: str = "Now",
    ax: Axes | None = None,
) -> Figure:
    """Two bars per theme, then above now, each split by rating (the same colours and hatches as
    every other chart), so a theme's change reads at a glance."""
    own_figure = ax is None
    themes = list(counts_now)
    fig, ax = _new_axes(ax, 2 * len(themes))
    styles = rating_styles(framework)
    places, names, rows = [], [], []
    for number, theme in enumerate(themes):
        for offset, (when, counts) in enumerate(((then_name, counts_then), (now_name, counts_now))):
            places.append(3 * number + offset)  # a gap between themes
            names.append(_wrap(f"{titles[theme]}: {when}" if offset == 0 else when, 40, 2))
            rows.append(counts.get(theme, {}))
    left = [0] * len(rows)
    handles = []
    for rating, style in styles.items():
        values = [row.get(rating, 0) for row in rows]
        bars = ax.barh(places, values, left=left, height=0.8, color=style["color"], hatch=style["hatch"],
                       edgecolor="#333333", linewidth=0.6)
        handles.append(bars)
        ink = "white" if style["color"] in DARK_COLOURS else "black"
        for bar, value in zip(bars, values, strict=True):
            if value:
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, str(value),
                        ha="center", va="center", color=ink, fontsize=9,
                        bbox={"facecolor": style["color"], "edgecolor": "none", "pad": 2})
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(places, names)
    ax.invert_yaxis()
    ax.set_xlabel("Number of practices")
    ax.set_xlim(0, max(left + [1]) * 1.03)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(_wrap(f"Theme by theme: {then_name} and {now_name.lower() if now_name == 'Now' else now_name}",
                       56, 2), loc="left", fontsize=11)
    ax.tick_params(axis="y", labelsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    if own_figure:
        fig.set_figheight(1.6 + 0.45 * len(rows))
    _scale_legend(fig, ax, handles, styles, own_figure)
    return fig


def _scale_legend(fig, ax, handles, styles: dict, own_figure: bool) -> None:
    """The rating scale's legend below the bars (in the axes when drawn into another figure); every
    text drawn literally."""
    # Labels given outright: a label starting with "_" would otherwise be left out.
    labels = [_wrap(style["label"], 20, 2) for style in styles.values()]
    if own_figure:  # room below the bars for the legend: one line for up to four ratings
        legend = fig.legend(handles, labels, loc="outside lower center",
                            ncols=len(styles) if len(styles) <= 4 else 3, fontsize=9, frameon=False)
    else:
        legend = ax.legend(handles, labels, fontsize=8)
    _literal(ax)
    _literal(legend)
