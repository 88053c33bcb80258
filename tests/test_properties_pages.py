"""Properties: any work the screens can make, with the shipped framework or a district's own full of
hostile text, draws every chart and makes every page; the pages escape it, the Markdown shows it
as typed and makes no link, image, heading or HTML of it."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st
from matplotlib.text import Text
from page_checks import Page, assert_markdown_shows, assert_safe_page, normal
from strategies import text, works

from plkit import analysis, charts, consensus
from plkit.consensus import team_line
from plkit.content import data_dir, load_framework
from plkit.errors import ContentError
from plkit.group import read_group
from plkit.model import NO_AGREEMENT
from plkit.report import (
    PLAN_HEADING,
    TEAM_PLAN_HEADING,
    group_html,
    group_markdown,
    plan_html,
    plan_markdown,
)
from plkit.roles import compare_roles
from plkit.work import work_bytes

pytestmark = [
    pytest.mark.properties,
    # A failing example holding 20,000-character answers is printed whole: Hypothesis warns about
    # the size, and that warning (an error under `filterwarnings = error`) would hide the failure.
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
]
SHIPPED = load_framework()  # not the fixture: a failing example would print all of it

SHIPPED_ROWS = list(csv.DictReader(io.StringIO((data_dir() / "framework.csv").read_text(encoding="utf-8"))))
SHOWN_TYPES = ("framework", "scale", "theme", "approach", "practice", "resource", "prompt")
# A chart takes a tenth to half a second to draw: fewer examples for the tests that draw many.
FEWER = max(5, settings.default.max_examples // 4)
FEWEST = max(5, settings.default.max_examples // 6)


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # the loader refuses these


def framework_text() -> st.SearchStrategy[str]:
    """A text a district could put in its framework (a spreadsheet cell, kept short)."""
    return text(200).map(lambda t: CONTROL.sub("", t)).filter(str.strip)


@st.composite
def district_csv(draw) -> str:
    """The shipped framework with any of its texts (titles, ratings, practices…) replaced."""
    rows = [dict(row) for row in SHIPPED_ROWS]
    for row in rows:
        if row["type"] in SHOWN_TYPES and draw(st.booleans()):
            row["text"] = draw(framework_text())
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def load_district(csv_text: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "district.csv"
        path.write_text(csv_text, encoding="utf-8")
        try:
            return load_framework(path)
        except ContentError:  # what the loader refuses is its own properties' business
            reject()


def some_framework(data):
    """The shipped framework, or a district's own full of hostile text."""
    csv_text = data.draw(st.one_of(st.none(), district_csv()), label="district framework")
    return SHIPPED if csv_text is None else load_district(csv_text)


def drawn_as_typed(fig) -> bool:
    return not any(t.get_parse_math() for t in fig.findobj(Text))


@settings(max_examples=FEWER)
@given(data=st.data())
def test_every_chart_draws_any_text(data):
    """The participant's charts (the group's heat map is drawn in the group report's property)."""
    framework = some_framework(data)
    work = data.draw(works(framework), label="work")
    theme = data.draw(st.sampled_from(framework.themes), label="theme")
    figures = [
        charts.timeline(work.action_plan.priorities),
        charts.stacked_ratings(analysis.counts_by_theme(work, framework),
                               {t.id: t.title for t in framework.themes}, framework, framework.title),
        charts.stacked_ratings(analysis.counts_by_approach(work, theme, framework),
                               {a.id: a.text for a in theme.approaches}, framework, theme.title),
    ]
    for fig in figures:
        assert charts.to_png(fig).startswith(b"\x89PNG")
        assert drawn_as_typed(fig)


def _plan_texts(work) -> list[str]:
    participant = work.participant
    if work.is_team:  # the team's plan: the team's name and who agreed
        texts = [t for t in (participant.team.strip(), team_line(work)) if t]
    else:
        texts = [t for t in (participant.name.strip(), participant.team) if t.strip()]
    for priority in work.action_plan.priorities:
        texts += [priority.title] + [t for t in (priority.goal, *(s.text for s in priority.steps), priority.people,
                                                 priority.evidence, priority.support) if t.strip()]
    return texts


@given(data=st.data())
def test_every_plan_page_shows_any_text(data):
    framework = some_framework(data)
    work = data.draw(works(framework), label="work")
    page = plan_html(work, framework)
    shown = _plan_texts(work)
    assert_safe_page(page, shown)
    titles = [normal(f"Priority {i}: {p.title}") for i, p in enumerate(work.action_plan.priorities, 1)]
    heading = TEAM_PLAN_HEADING if work.is_team else PLAN_HEADING
    assert Page(page).headings == [heading, *titles]
    assert_markdown_shows(plan_markdown(work, framework), shown + titles, headings=1 + len(titles))


def _group_texts(group, framework, names: bool) -> list[str]:
    """What the group report must show: priorities, notes, and with their notes, names if asked."""
    texts = []
    for member in group.members:
        for priority in member.work.action_plan.priorities:
            origin = framework.practices.get(priority.practice)
            texts.append(origin.text if origin else priority.title.strip())
        for kind, answers in (("Notes", member.work.self_assessment.notes),
                              ("Evidence", member.work.self_assessment.evidence)):
            notes = [f"{kind}: {t.strip()}" for t in answers.values() if t.strip()]
            texts += notes + ([member.label] if names and notes else [])
    return texts


@settings(max_examples=FEWEST)
@given(data=st.data(), names=st.booleans())
def test_every_group_report_shows_any_text(data, names):
    framework = some_framework(data)
    members = data.draw(st.lists(works(framework, team=False), min_size=1, max_size=4), label="works")
    group = read_group([(f"{i}.json", work_bytes(w)) for i, w in enumerate(members)], framework, names=names)
    assert len(group) == len(members), group.skipped
    shown = _group_texts(group, framework, names)
    page = group_html(group, framework, names=names)
    assert_safe_page(page, shown + [t.title for t in framework.themes])
    assert page.count('<img src="data:image/png;base64,') == 2
    markdown = group_markdown(group, framework, names=names)
    notes = {approach for m in group.members
             for part in (m.work.self_assessment.notes, m.work.self_assessment.evidence)
             for approach, t in part.items() if t.strip()}
    everything = shown + [t.title for t in framework.themes] + [p.text for p in framework.practices.values()]
    assert_markdown_shows(markdown, everything, headings=_headings(group, framework, notes))


def _headings(group, framework, notes, team=None) -> int:
    """The group report's headings: seven always, and the team's, the roles' and the notes' when there."""
    roles = 1 if compare_roles(group, framework).roles.comparable else 0
    agreed = 0 if team is None else 1 + (1 if consensus.open_questions(team, framework) else 0)
    return 7 + roles + agreed + (1 + len(notes) if notes else 0)


def _team_texts(team, framework, names: bool) -> list[str]:
    """What the team's agreed picture must show: the team, who agreed, each recorded answer's
    practice and reasons, and for each open question the evidence and who finds it."""
    who = team_line(team) if names else team_line(replace(team, team=replace(team.team, names_shown=False)))
    texts = [t for t in (team.participant.team.strip(), who) if t]
    for item in consensus.agreed_practices(team, framework):
        texts += [item.practice.text] + [t.strip() for t in (item.agreement.reasons,) if t.strip()]
        if item.agreement.rating == NO_AGREEMENT:
            texts += [t.strip() for t in (item.agreement.evidence_needed, item.agreement.who_finds) if t.strip()]
    return texts


@settings(max_examples=FEWEST)
@given(data=st.data(), names=st.booleans())
def test_every_group_report_with_a_team_file_shows_any_text(data, names):
    """The team's agreed picture: any team file the screens could make, with any text, in the
    HTML report (escaped) and the Markdown (shown as typed, no link, image or HTML made of it)."""
    framework = some_framework(data)
    members = data.draw(st.lists(works(framework, team=False), min_size=1, max_size=3), label="works")
    team = data.draw(works(framework, team=True), label="team file")
    group = read_group([(f"{i}.json", work_bytes(w)) for i, w in enumerate(members)], framework, names=names)
    shown = _team_texts(team, framework, names)
    page = group_html(group, framework, names=names, team=team)
    assert_safe_page(page, shown)
    headings = Page(page).headings
    assert "The team's agreed picture" in headings
    assert ("No agreement yet: evidence to find" in headings) == bool(consensus.open_questions(team, framework))
    progress = consensus.progress(team, framework)
    if progress.to_go:
        assert f"Still to agree: {progress.to_go} practice" in page
    markdown = group_markdown(group, framework, names=names, team=team)
    notes = {approach for m in group.members
             for part in (m.work.self_assessment.notes, m.work.self_assessment.evidence)
             for approach, t in part.items() if t.strip()}
    assert_markdown_shows(markdown, shown, headings=_headings(group, framework, notes, team))

