"""Progress, counts, summaries and charts of one participant's ratings."""

from matplotlib.figure import Figure

from plkit import analysis, charts
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
