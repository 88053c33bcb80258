"""Workbook 2's first screen holds one theme's controls; the other tabs are built when first chosen,
with the saved answers in them, and save like the rest."""

from plkit import read_work
from plkit.ui import self_assessment


def built(screen) -> list[bool]:
    """Which theme tabs hold their page."""
    return [bool(screen.tabs.children[i].children) for i in range(len(screen.framework.themes))]


def test_only_the_first_theme_is_built_at_start(tmp_path):
    screen = self_assessment(work_dir=tmp_path)
    assert built(screen) == [True, False, False, False]
    assert screen.tabs.children[0].children[0].ratings  # the first theme's practices to rate


def test_a_theme_is_built_when_its_tab_is_chosen_with_saved_answers(tmp_path):
    first = self_assessment(work_dir=tmp_path)
    first.pages[2].ratings["when-where.anytime.policies"].value = "now"
    first.pages[2].notes["when-where.anytime"].value = "Internships"
    again = self_assessment(work_dir=tmp_path)
    assert built(again) == [True, False, False, False]
    again.tabs.selected_index = 2
    assert built(again) == [True, False, True, False]
    page = again.tabs.children[2].children[0]
    assert page.ratings["when-where.anytime.policies"].value == "now"
    assert page.notes["when-where.anytime"].value == "Internships"
    assert "1 of" in page.progress.value
    assert 'alt="Bar chart.' in page.chart.value and "1 We do this now" in page.chart.value
    page.ratings["when-where.anytime.policies"].value = "different"  # and it saves
    assert read_work(again.store.path, again.framework).self_assessment.ratings == {
        "when-where.anytime.policies": "different"}
    assert "1 This is different" in page.chart.value


def test_summary_rounds_and_since_are_built_when_chosen(tmp_path):
    first = self_assessment(work_dir=tmp_path)
    first.summary.reflections["overall.shifts"].value = "Pacing"
    again = self_assessment(work_dir=tmp_path)
    themes = len(again.framework.themes)
    assert [bool(tab.children) for tab in again.tabs.children[themes:]] == [False, False, False]
    again.tabs.selected_index = themes  # Summary
    assert again.tabs.children[themes].children[0].reflections["overall.shifts"].value == "Pacing"
    assert "practices are not rated yet" in again.summary.text.value
    again.tabs.selected_index = themes + 2  # Since last time
    assert [bool(tab.children) for tab in again.tabs.children[themes:]] == [True, False, True]
