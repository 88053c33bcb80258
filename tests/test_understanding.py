"""Workbook 1's content and the checks of a participant's answers."""

import re

import pytest
from content_edits import copy_content, edit_once

from plkit import ContentError
from plkit.understanding import (
    FAQ_COUNT,
    activities_done,
    check_vignette,
    load_understanding,
    myth_score,
    vignette_score,
)
from plkit.work import Work


@pytest.fixture(scope="module")
def content():
    return load_understanding()


def test_all_twelve_faq_questions_and_four_attributes(content):
    assert [item.number for item in content.faq] == list(range(1, FAQ_COUNT + 1))
    assert [a.id for a in content.attributes] == [
        "student-centered", "agency", "competency-based", "deeper-learning"]
    assert all(a.summary and a.example for a in content.attributes)


def test_every_item_has_an_id_a_source_and_an_explanation(content):
    items = [*content.attributes, *content.faq, *content.vignettes, *content.myths, *content.prompts]
    ids = [item.id for item in items]
    assert len(ids) == len(set(ids))
    assert all(item.source for item in items)
    assert all(f"question {item.number}" in item.source for item in content.faq)
    assert all("AIR" in a.source for a in content.attributes)
    assert len(content.vignettes) >= 10 and all(v.explanation for v in content.vignettes)
    assert len(content.myths) >= 8 and all(m.explanation for m in content.myths)
    assert {m.answer for m in content.myths} == {"myth", "fact"}
    assert all(m.faq in cited_questions(m.source) for m in content.myths)


def cited_questions(source: str) -> set[int]:
    """The FAQ question numbers a source cites ("..., questions 1 and 7" -> {1, 7})."""
    found = re.search(r"questions? ([\d, and]+)$", source)
    return {int(n) for n in re.findall(r"\d+", found.group(1))} if found else set()


# --- research corrections (issue 10): the FAQ said as it is said ------------------------------


def faq_summary(content, number):
    return next(item.summary for item in content.faq if item.number == number)


def test_faq_5_teachers_describe_the_shift_as_the_best_work_of_their_careers(content):
    summary = faq_summary(content, 5)
    assert "they describe the change as the best work of their careers" in summary
    assert "many call" not in summary and "many " not in summary.split("Teachers making")[1]


def test_faq_6_keeps_largely_positive_and_whose_reports_they_are(content):
    summary = faq_summary(content, 6)
    assert '"largely positive impact"' in summary and "after two years" in summary
    assert all(word in summary for word in ("engagement", "attendance", "teacher retention"))
    assert "teachers' and schools' own reports, not findings of the study" in summary


def test_myths_cite_every_faq_question_they_draw_on(content):
    myths = {m.id: m for m in content.myths}
    assert cited_questions(myths["lower-bar"].source) == {1, 7}
    assert cited_questions(myths["teachers-alone"].source) == {7, 8}
    for myth_id in ("lower-bar", "teachers-alone"):
        named = {int(n) for n in re.findall(r"question (\d+)", myths[myth_id].explanation)}
        assert named == cited_questions(myths[myth_id].source), myth_id
    assert cited_questions("..., question 12") == {12}


def test_stations_explanation_claims_nothing_the_scene_does_not_show(content):
    scene = next(v for v in content.vignettes if v.id == "stations")
    assert "The scene does not show" in scene.explanation
    for unseen in ("not yet", "does not depend", "every day to change"):
        assert unseen not in scene.explanation, unseen
    assert "exit tickets" in scene.scene and "exit tickets" in scene.explanation


def test_role_lens_points_to_the_role_questions(content):
    assert [i.number for i in content.faq_for("teacher")] == [2, 3, 4, 7, 8]
    assert 9 in [i.number for i in content.faq_for("school-leader")]
    assert 10 in [i.number for i in content.faq_for("district")]


def test_vignettes_cover_every_attribute_and_traditional(content):
    shown = set().union(*(v.answer for v in content.vignettes))
    assert shown == set(content.tags)


def test_check_vignette(content):
    scene = next(v for v in content.vignettes if v.id == "reading-goals")  # agency; student-centered ok
    assert check_vignette(scene, ["agency"]).correct
    assert check_vignette(scene, ["agency", "student-centered"]).correct
    wrong = check_vignette(scene, ["competency-based"])
    assert not wrong.correct
    assert wrong.missed == {"agency"} and wrong.extra == {"competency-based"}


def test_scores_and_activities(content):
    work = Work()
    work.understanding.vignettes = {"stations": ["student-centered"], "same-chapter": ["agency"]}
    work.understanding.myths = {"only-gifted": "myth", "whole-class-still": "myth"}
    work.understanding.reflections = {"question": "How do we grade?"}
    assert vignette_score(work, content).text == "1 of 2 answered correctly (10 still to do)"
    assert (myth_score(work, content).right, myth_score(work, content).answered) == (1, 2)
    assert activities_done(work, content) == (5, 24)


def _copy(tmp_path):
    return copy_content(tmp_path, "understanding")


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("myths.csv", 'students.,myth,"It is designed', 'students.,maybe,"It is designed', "column C (answer)"),
        ("myths.csv", '",4,"Alliance', '",40,"Alliance', "column E (faq)"),
        ("vignettes.csv", "stations,", "stations-x,", None),
        ("vignettes.csv", '",student-centered,,"The groups', '",student-centred,,"The groups', "column C (answer)"),
        ("faq.csv", 'classroom?,teacher,"Whole-class', 'classroom?,teachers,"Whole-class', "column D (roles)"),
        ("attributes.csv", "agency,Student agency,", "agency,,", "column B (name)"),
    ],
)
def test_malformed_content_names_file_row_and_column(tmp_path, file, old, new, expected):
    folder = _copy(tmp_path)
    edit_once(folder / file, old, new)
    if expected is None:
        assert load_understanding(folder).vignettes[0].id == "stations-x"
        return
    with pytest.raises(ContentError) as caught:
        load_understanding(folder)
    assert caught.value.message.startswith(f"{file}, row ")
    assert expected in caught.value.message
