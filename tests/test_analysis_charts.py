"""Progress, counts, summaries and charts of one participant's ratings."""

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.figure import Figure

from plkit import analysis, charts
from plkit.model import Priority
from plkit.work import Work


def rated(**ratings) -> Work:
    work = Work()
    work.self_assessment.ratings.update({k.replace("__", "."): v for k, v in ratings.items()})
    return work


def test_progress_overall_and_per_theme(framework):
    work = rated(
        what__goals__materials="now", how__voice__choices="different", how__voice__facilitators=""
    )
    assert analysis.progress(work, framework).text == "2 of 29 practices rated"
    how = framework.themes[1]
    assert analysis.progress(work, framework, how) == analysis.Progress(1, 12)
    assert not analysis.progress(work, framework).complete


def test_counts_by_theme_and_approach(framework):
    work = rated(
        what__goals__materials="now",
        what__goals__profiles="now",
        what__competencies__targets="not-sure",
    )
    by_theme = analysis.counts_by_theme(work, framework)
    assert by_theme["what"] == {"now": 2, "different": 0, "not-sure": 1, "unrated": 3}
    assert by_theme["how"]["unrated"] == 12
    by_approach = analysis.counts_by_approach(work, framework.themes[0], framework)
    assert by_approach["what.goals"] == {"now": 2, "different": 0, "not-sure": 0, "unrated": 1}


def test_summary_groups_practices_by_rating_in_framework_order(framework):
    work = rated(
        how__voice__choices="different",
        what__goals__materials="different",
        what__goals__profiles="now",
    )
    summary = analysis.summarize(work, framework)
    assert [p.id for _, p in summary.by_rating["different"]] == [
        "what.goals.materials",
        "how.voice.choices",
    ]
    assert [t.id for t, _ in summary.by_rating["now"]] == ["what"]
    assert len(summary.unrated) == 26


def test_chart_draws_one_bar_per_row_and_rating(framework):
    work = rated(what__goals__materials="now", what__goals__profiles="different")
    counts = analysis.counts_by_approach(work, framework.themes[0], framework)
    labels = {a.id: a.text for a in framework.themes[0].approaches}
    fig = charts.stacked_ratings(counts, labels, framework, "What students learn")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.patches) == 2 * 4  # two approaches x (three ratings + not rated)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "We do this now",
        "This is different",
        "Not sure yet",
        "Not rated yet",
    ]
    assert charts.to_png(fig).startswith(b"\x89PNG")


def test_chart_draws_on_a_given_axes(framework):
    base = Figure()
    ax = base.add_subplot()
    counts = analysis.counts_by_theme(Work(), framework)
    fig = charts.stacked_ratings(
        counts, {t.id: t.title for t in framework.themes}, framework, "All", ax=ax
    )
    assert fig is base
    assert ax.get_legend() is not None


def test_rating_styles_differ_in_colour_and_hatch(framework):
    styles = charts.rating_styles(framework)
    colours = [s["color"] for s in styles.values()]
    hatches = [s["hatch"] for k, s in styles.items() if k != analysis.UNRATED]
    assert len(set(colours)) == len(colours)
    assert len(set(hatches)) == len(hatches)


# --- text drawn as it is, and any date ---------------------------------------------------------

MATHS = ["Raise $$ for laptops", "$x^2$ costs", "\\frac{1}{2} of $\\frac$", "$", "_hidden label"]


def drawn_texts(fig) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text)]


def test_timeline_draws_maths_markup_as_typed():
    """Issue 10: "Raise $$ for laptops" as a priority broke Workbook 4 for good (maths parser)."""
    priorities = [Priority(title=t, start="2026-09-01", end="2027-01-31") for t in MATHS]
    fig = charts.timeline(priorities)
    assert charts.to_png(fig).startswith(b"\x89PNG")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [f"{i}. {t}" for i, t in enumerate(MATHS, 1)]
    from matplotlib.text import Text

    assert not any(t.get_parse_math() for t in fig.findobj(Text))


def test_rating_charts_draw_framework_text_as_typed(framework):
    labels = {t.id: MATHS[i] for i, t in enumerate(framework.themes)}
    counts = analysis.counts_by_theme(rated(what__goals__materials="now"), framework)
    scale = tuple(replace(option, label=f"${option.label}$") for option in framework.scale)
    odd = replace(framework, scale=scale)
    fig = charts.stacked_ratings(counts, labels, odd, "$$ theme by theme")
    assert charts.to_png(fig).startswith(b"\x89PNG")
    texts = drawn_texts(fig)
    assert "$$ theme by theme" in texts and "$We do this now$" in texts and "_hidden label" not in texts
    assert "Raise $$ for laptops" in texts
    table = {pid: dict.fromkeys((*odd.rating_ids, analysis.UNRATED), 1) for pid in odd.practices}
    practice_labels = dict.fromkeys(odd.practices, "Raise $$ for laptops")
    heatmap = charts.agreement_heatmap(table, practice_labels, odd)
    assert charts.to_png(heatmap).startswith(b"\x89PNG")
    assert "$We do this\nnow$" in drawn_texts(heatmap)


def test_rows_with_the_same_name_stay_apart(framework):
    counts = {"a": {"now": 2}, "b": {"now": 1}}
    fig = charts.stacked_ratings(counts, {"a": "Same", "b": "Same"}, framework, "Twins")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Same", "Same"]
    assert sorted(round(p.get_width()) for p in ax.patches if p.get_width()) == [1, 2]


def test_legend_keeps_a_label_starting_with_an_underscore(framework):
    scale = (replace(framework.scale[0], label="_first"), *framework.scale[1:])
    fig = charts.stacked_ratings({"a": {}}, {"a": "A"}, replace(framework, scale=scale), "All")
    assert [t.get_text() for t in fig.legends[0].get_texts()][0] == "_first"


@pytest.mark.parametrize("start, end", [
    ("2026-09-01", "9999-12-31"),  # issue 10: ValueError in the timeline
    ("0001-01-01", "0001-01-01"),
    ("0001-01-01", "9999-12-31"),
    ("9999-12-31", "9999-12-31"),
    ("2026-09-01", "2026-08-01"),  # the end before the start
])
def test_timeline_draws_any_date(start, end):
    fig = charts.timeline([Priority(title="x", start=start, end=end), Priority(title="y")])
    assert charts.to_png(fig).startswith(b"\x89PNG")
    assert any(text.startswith(date.fromisoformat(start).strftime("%d %b")) for text in drawn_texts(fig))


def test_timeline_names_dates_it_cannot_read():
    fig = charts.timeline([Priority(title="x", start="someday", end="2026-01-01")])
    assert charts.to_png(fig).startswith(b"\x89PNG") and "dates not set yet" in drawn_texts(fig)


@pytest.mark.parametrize("first, last, shown", [
    ("2026-09-01", "2026-09-03", ["01 Sep", "02 Sep", "03 Sep"]),
    ("2026-09-01", "2027-01-31", ["Sep 2026", "Oct 2026", "Nov 2026", "Dec 2026", "Jan 2027"]),
    ("2026-09-01", "2031-06-30", ["2027", "2028", "2029", "2030", "2031"]),
    ("0001-01-01", "9999-12-31", ["2000", "4000", "6000", "8000"]),
])
def test_date_ticks(first, last, shown):
    days, labels = charts.date_ticks(date.fromisoformat(first).toordinal(), date.fromisoformat(last).toordinal())
    assert labels == shown and len(days) == len(labels)
    assert days == sorted(days) and all(1 <= d <= date.max.toordinal() for d in days)


@given(st.dates(), st.dates(), st.integers(-400, 400))
def test_date_ticks_are_few_and_on_real_days(first, last, pad):
    low, high = sorted((first.toordinal(), last.toordinal()))
    days, labels = charts.date_ticks(low - pad, high + pad)
    assert len(days) == len(labels) <= 8
    assert all(max(low - pad, 1) <= d <= min(high + pad, date.max.toordinal()) for d in days)


def ten_ratings(framework, label=lambda i: f"Rating {i}"):
    from plkit.content import RatingOption

    return replace(framework, scale=tuple(RatingOption(f"r{i}", label(i), "", "test") for i in range(10)))


def test_a_long_scale_keeps_every_rating_apart(framework):
    styles = charts.rating_styles(ten_ratings(framework))
    assert len({(s["color"], s["hatch"]) for s in styles.values()}) == 11


@pytest.mark.parametrize("text", ["a" * 200, "word " * 60, "😀" * 200, "日本語" * 60, "Raise $$ for laptops"])
def test_long_framework_text_draws_without_a_warning(framework, text):
    """A 200-character word once squeezed the chart to nothing (a layout warning, an error here)."""
    odd = ten_ratings(framework, lambda i: text if i % 3 == 0 else f"Rating {i}")
    counts = analysis.counts_by_theme(Work(), odd)
    charts.to_png(charts.stacked_ratings(counts, dict.fromkeys(counts, text), odd, text))
    table = {pid: dict.fromkeys((*odd.rating_ids, analysis.UNRATED), 1) for pid in odd.practices}
    charts.to_png(charts.agreement_heatmap(table, dict.fromkeys(odd.practices, text), odd))
