"""A theme's chart redrawn in place after a rating is the very picture a new chart would be."""

import itertools

from plkit import analysis, charts
from plkit.work import Work

RATINGS = ["now", "different", "not-sure", None]


def theme_chart(framework, work, theme):
    counts = analysis.counts_by_approach(work, theme, framework)
    labels = {a.id: f"{i}. {a.text}" for i, a in enumerate(theme.approaches, start=1)}
    return counts, labels


def test_a_redrawn_chart_is_the_same_picture_as_a_new_one(framework):
    theme = framework.themes[1]
    practices = [p.id for a in theme.approaches for p in a.practices]
    picture = charts.RatingsPicture()
    work = Work()
    cycle = itertools.cycle(RATINGS)
    for step in range(6):  # ratings given, changed and taken back, several per redraw
        for practice in practices[step::3]:
            rating = next(cycle)
            if rating:
                work.self_assessment.ratings[practice] = rating
            else:
                work.self_assessment.ratings.pop(practice, None)
        counts, labels = theme_chart(framework, work, theme)
        redrawn = picture.png(counts, labels, framework, theme.title)
        new = charts.to_png(charts.stacked_ratings(counts, labels, framework, theme.title))
        assert redrawn == new, f"step {step}: the redrawn chart differs from a new one"


def test_another_theme_or_title_gets_a_new_chart(framework):
    picture = charts.RatingsPicture()
    work = Work()
    for theme in framework.themes[:2]:
        counts, labels = theme_chart(framework, work, theme)
        for title in (theme.title, "Another title"):
            drawn = picture.png(counts, labels, framework, title)
            assert drawn == charts.to_png(charts.stacked_ratings(counts, labels, framework, title))
