"""Headless tests of workbook 1's screen: every interaction saved, feedback shown, nothing lost."""

import pytest

from plkit import read_work
from plkit.ui import understanding


@pytest.fixture
def screen(tmp_path):
    return understanding(work_dir=tmp_path)


def saved(screen):
    return read_work(screen.store.path).understanding


def test_starts_with_progress_and_five_steps(screen):
    assert "0 of 24 activities done" in screen.progress_text.value
    assert len(screen.tabs.titles) == 5
    assert screen.attributes.value.count('class="plkit-card"') == 4
    assert "Student agency" in screen.attributes.value


def test_faq_explorer_shows_each_question(screen):
    faq = screen.faq
    assert len(faq.question.options) == 12
    for _, item_id in faq.question.options:
        faq.question.value = item_id
        number = int(item_id.split("-")[1])
        assert f"<h3>{number}. " in faq.answer.value and "Source: Alliance" in faq.answer.value


def test_role_lens_marks_the_role_questions(screen):
    faq = screen.faq
    faq.question.value = "faq-06"
    faq.lens.value = "school-leader"
    assert faq.question.value == "faq-06"  # the question being read stays open
    assert "questions <strong>4, 5, 8, 9, 11</strong>" in faq.pointer.value
    starred = [label for label, _ in faq.question.options if label.startswith("★")]
    assert [label.split(".")[0][2:] for label in starred] == ["4", "5", "8", "9", "11"]
    faq.lens.value = "everyone"
    assert not any(label.startswith("★") for label, _ in faq.question.options)


def test_lens_follows_the_role_given_in_about_you(tmp_path):
    first = understanding(work_dir=tmp_path)
    first.details.role.value = "district staff"
    assert understanding(work_dir=tmp_path).faq.lens.value == "district"


def test_sorting_a_scene_gives_feedback_and_score(screen):
    sorter = screen.sorter
    assert "Scene 1 of 12" in sorter.heading.value and sorter.previous.disabled
    sorter.tags["agency"].value = True
    sorter.check.click()
    assert "Not quite" in sorter.feedback.value and "it also shows Student-centered" in sorter.feedback.value
    assert "0 of 1 answered correctly" in sorter.score.value
    sorter.tags["agency"].value = False
    sorter.tags["student-centered"].value = True
    sorter.check.click()
    assert "<strong>Yes.</strong>" in sorter.feedback.value
    assert "1 of 1 answered correctly (11 still to do)" in sorter.score.value
    assert saved(screen).vignettes == {"stations": ["student-centered"]}
    assert "1 of 24 activities done" in screen.progress_text.value


def test_every_scene_can_be_sorted_with_next(screen):
    sorter = screen.sorter
    for index, vignette in enumerate(screen.content.vignettes):
        for tag in vignette.answer:
            sorter.tags[tag].value = True
        sorter.check.click()
        if index < len(screen.content.vignettes) - 1:
            sorter.next.click()
    assert sorter.next.disabled
    assert "12 of 12 answered correctly (0 still to do)" in sorter.score.value
    sorter.previous.click()
    assert "Scene 11 of 12" in sorter.heading.value
    assert "<strong>Yes.</strong>" in sorter.feedback.value  # the saved answer is shown again


@pytest.mark.parametrize(
    ("tags", "message"),
    [([], "Tick at least one"), (["traditional", "agency"], "either mostly traditional")],
)
def test_sorting_problems_are_explained_and_not_saved(screen, tags, message):
    for tag in tags:
        screen.sorter.tags[tag].value = True
    screen.sorter.check.click()
    assert message in screen.sorter.feedback.value
    assert not screen.store.path.exists()


def test_myth_or_fact_feedback_names_the_faq_question(screen):
    myths = screen.myths
    myths.answers["whole-class-still"].value = "myth"
    feedback = myths.feedback["whole-class-still"].value
    assert "Not quite: it is a fact." in feedback and "See FAQ question 2" in feedback
    myths.answers["only-gifted"].value = "myth"
    assert "Right: it is a myth." in myths.feedback["only-gifted"].value
    assert "1 of 2 answered correctly (8 still to do)" in myths.score.value
    assert saved(screen).myths == {"whole-class-still": "myth", "only-gifted": "myth"}


def test_reflections_survive_a_new_screen(tmp_path):
    first = understanding(work_dir=tmp_path)
    first.reflections["looks-like"].value = "Choice boards <in> Grade 4"
    first.myths.answers["one-right-way"].value = "myth"
    first.sorter.tags["traditional"].value = True
    first.sorter.check.click()
    second = understanding(work_dir=tmp_path)
    assert second.reflections["looks-like"].value == "Choice boards <in> Grade 4"
    assert second.myths.answers["one-right-way"].value == "myth"
    assert "Right" in second.myths.feedback["one-right-way"].value
    assert second.sorter.tags["traditional"].value
    assert "3 of 24 activities done" in second.progress_text.value


def test_workbooks_share_one_file(tmp_path):
    from plkit.ui import self_assessment

    one = understanding(work_dir=tmp_path)
    two = self_assessment(work_dir=tmp_path)
    one.myths.answers["only-gifted"].value = "myth"
    two.pages[0].ratings["what.goals.materials"].value = "now"
    one.reflections["question"].value = "How do we start?"
    work = read_work(tmp_path / "plkit-work.json")
    assert work.understanding.myths == {"only-gifted": "myth"}
    assert work.understanding.reflections == {"question": "How do we start?"}
    assert work.self_assessment.ratings == {"what.goals.materials": "now"}


def test_start_over_clears_workbook_1_too(tmp_path):
    screen = understanding(work_dir=tmp_path)
    screen.myths.answers["only-gifted"].value = "myth"
    screen.save_bar.start_over.click()
    screen.save_bar.confirm_reset.click()
    assert screen.myths.answers["only-gifted"].value is None
    assert screen.myths.feedback["only-gifted"].value == ""
    assert "0 of 24 activities done" in screen.progress_text.value


def test_later_steps_are_built_when_first_chosen_with_the_saved_answers(tmp_path):
    first = understanding(work_dir=tmp_path)
    myth = next(iter(first.myths.answers))
    first.myths.answers[myth].value = "myth"
    first.reflections[next(iter(first.reflections))].value = "Ask the students."

    again = understanding(work_dir=tmp_path)  # a reload: nothing past step 1 built yet
    assert [len(slot.children) for slot in again._slots] == [0, 0, 0, 0]
    again.tabs.selected_index = 3  # Myth or fact
    assert [len(slot.children) for slot in again._slots] == [0, 0, 1, 0]
    assert again._slots[2].children[0] is again.myths
    assert again.myths.answers[myth].value == "myth"
    assert "Your score: " in again.myths.score.value
    assert list(again.reflections.values())[0].value == "Ask the students."  # read: built too
    assert read_work(again.store.path).understanding.myths == {myth: "myth"}
