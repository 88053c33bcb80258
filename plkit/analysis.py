"""Pure functions over a participant's answers: progress, counts, summaries."""

from __future__ import annotations

from dataclasses import dataclass

from plkit.content import Framework, Practice, Theme
from plkit.work import Work

UNRATED = "unrated"


@dataclass(frozen=True)
class Progress:
    rated: int
    total: int

    @property
    def text(self) -> str:
        return f"{self.rated} of {self.total} practices rated"

    @property
    def complete(self) -> bool:
        return self.rated == self.total


def progress(work: Work, framework: Framework, theme: Theme | None = None) -> Progress:
    """How many practices (of one theme, or of all) have a rating."""
    practices = theme.practices if theme else tuple(framework.practices.values())
    ratings = work.self_assessment.ratings
    return Progress(sum(1 for p in practices if ratings.get(p.id)), len(practices))


def rating_counts(
    work: Work, practices: tuple[Practice, ...], framework: Framework
) -> dict[str, int]:
    """Count each rating (and ``unrated``) over ``practices``, in scale order."""
    counts = dict.fromkeys((*framework.rating_ids, UNRATED), 0)
    for practice in practices:
        counts[work.self_assessment.ratings.get(practice.id) or UNRATED] += 1
    return counts


def counts_by_approach(work: Work, theme: Theme, framework: Framework) -> dict[str, dict[str, int]]:
    return {a.id: rating_counts(work, a.practices, framework) for a in theme.approaches}


def counts_by_theme(work: Work, framework: Framework) -> dict[str, dict[str, int]]:
    return {t.id: rating_counts(work, t.practices, framework) for t in framework.themes}


@dataclass(frozen=True)
class Summary:
    """Practices grouped by rating, each list in framework order as (theme, practice) pairs."""

    by_rating: dict[str, list[tuple[Theme, Practice]]]
    unrated: list[tuple[Theme, Practice]]


def summarize(work: Work, framework: Framework) -> Summary:
    by_rating: dict[str, list[tuple[Theme, Practice]]] = {r: [] for r in framework.rating_ids}
    unrated = []
    for theme in framework.themes:
        for practice in theme.practices:
            rating = work.self_assessment.ratings.get(practice.id)
            by_rating.get(rating, unrated).append((theme, practice))
    return Summary(by_rating, unrated)
