"""Headless tests of the self-assessment screen: set values, click buttons, check file and screen."""

import base64
import json
import re
import time
from datetime import datetime, timezone

import pytest

from plkit import read_work, write_work
from plkit.ui import self_assessment
from plkit.work import WORK_FILE_NAME, Work


@pytest.fixture
def screen(tmp_path):
    return self_assessment(work_dir=tmp_path)


def saved(screen) -> Work:
    return read_work(screen.store.path, screen.framework)


def upload(screen, content: bytes, name="plkit-work.json"):
    screen.save_bar.upload.value = (
        {
            "name": name,
            "type": "application/json",
            "size": len(content),
            "last_modified": datetime.now(timezone.utc),
            "content": memoryview(content),
        },
    )


def test_starts_empty_with_progress(screen):
    assert "0 of 29 practices rated" in screen.progress_text.value
    assert screen.tabs.titles == (
        "What students learn",
        "How students learn",
        "When and where students learn",
        "How learning is assessed and recognized",
        "Summary",
        "Rounds",
        "Since last time",
    )
    assert "Nothing saved yet" in screen.save_bar.status.value


def test_every_rating_control_saves_and_counts(screen):
    practice_ids = []
    for page in screen.pages:
        for practice_id, toggle in page.ratings.items():
            assert [label for label, _ in toggle.options] == [
                "We do this now",
                "This is different",
                "Not sure yet",
            ]
            toggle.value = "different"
            practice_ids.append(practice_id)
    assert "29 of 29 practices rated" in screen.progress_text.value
    assert screen.progress_bar.value == 29
    assert saved(screen).self_assessment.ratings == dict.fromkeys(practice_ids, "different")
    assert "6 of 6 practices rated" in screen.pages[0].progress.value
    assert re.search(r"Saved at \d\d:\d\d", screen.save_bar.status.value)


def test_clearing_a_rating_removes_it(screen):
    toggle = screen.pages[1].ratings["how.voice.choices"]
    toggle.value = "now"
    toggle.value = None
    assert saved(screen).self_assessment.ratings == {}
    assert "0 of 12 practices rated" in screen.pages[1].progress.value


def test_theme_chart_is_redrawn_with_text_alternative(screen):
    page = screen.pages[0]
    page.ratings["what.goals.materials"].value = "not-sure"
    assert '<img src="data:image/png;base64,' in page.chart.value
    alt = re.search(r'alt="([^"]*)"', page.chart.value).group(1)
    assert "1 Not sure yet" in alt and "3 not rated yet" in alt


def test_notes_evidence_and_reflections_save(screen):
    page = screen.pages[2]
    page.notes["when-where.anytime"].value = "Internships in grade 12"
    page.evidence["when-where.anytime"].value = "Partnership list"
    page.reflections["when-where.policy"].value = "Seat time rules"
    screen.summary.reflections["overall.shifts"].value = "Pacing"
    section = saved(screen).self_assessment
    assert section.notes == {"when-where.anytime": "Internships in grade 12"}
    assert section.evidence == {"when-where.anytime": "Partnership list"}
    assert section.reflections == {
        "when-where.policy": "Seat time rules",
        "overall.shifts": "Pacing",
    }
    page.notes["when-where.anytime"].value = "   "
    assert saved(screen).self_assessment.notes == {}


def test_every_text_box_has_a_visible_label(screen):
    boxes = [screen.details.name, screen.details.team, *screen.summary.reflections.values()]
    for page in screen.pages:
        boxes += [*page.notes.values(), *page.evidence.values(), *page.reflections.values()]
    assert all(box.description.strip() for box in boxes)
    prompts = {p.id: p.text for p in screen.framework.prompts.values()}
    assert screen.pages[0].reflections["what.visible"].description == prompts["what.visible"]


def test_participant_details_save(screen):
    screen.details.name.value = "Ana Lima"
    screen.details.role.value = "school leader"
    screen.details.team.value = "Lincoln Middle"
    participant = saved(screen).participant
    assert (participant.name, participant.role, participant.team) == (
        "Ana Lima",
        "school leader",
        "Lincoln Middle",
    )


def test_answers_come_back_in_a_new_screen(tmp_path):
    first = self_assessment(work_dir=tmp_path)
    first.pages[3].ratings["assessed.authentic.timing"].value = "now"
    first.pages[3].notes["assessed.authentic"].value = "Retakes allowed"
    first.details.name.value = "Bo"
    second = self_assessment(work_dir=tmp_path)
    assert second.pages[3].ratings["assessed.authentic.timing"].value == "now"
    assert second.pages[3].notes["assessed.authentic"].value == "Retakes allowed"
    assert second.details.name.value == "Bo"
    assert "1 of 29 practices rated" in second.progress_text.value


def test_summary_tab_lists_strengths_gaps_and_questions_escaped(screen):
    screen.pages[0].ratings["what.goals.materials"].value = "now"
    screen.pages[1].ratings["how.voice.choices"].value = "different"
    screen.pages[1].ratings["how.flexible.peers"].value = "not-sure"
    screen.tabs.selected_index = 4
    text = screen.summary.text.value
    assert "Strengths: what we do now (1)" in text and "Teachers adapt curriculum materials" in text
    assert "Gaps: what would be different from our current approach (1)" in text
    assert "Open questions: what we are not sure about yet (1)" in text
    assert "26 practices are not rated yet" in text
    assert "data:image/png;base64," in screen.summary.chart.value


def test_download_link_holds_the_current_work(screen):
    screen.details.name.value = "Zoë <b>Smith</b>"
    screen.pages[0].ratings["what.goals.materials"].value = "now"
    link = screen.save_bar.download.value
    assert 'download="plkit-work-zo-b-smith-b-' in link
    data = base64.b64decode(re.search(r"base64,([^\"]+)", link).group(1))
    work = read_work(data, screen.framework)
    assert work.self_assessment.ratings == {"what.goals.materials": "now"}
    assert work.participant.name == "Zoë <b>Smith</b>"


def test_load_my_work_asks_then_replaces(tmp_path):
    other = Work()
    other.participant.name = "Kim <script>alert(1)</script>"
    other.self_assessment.ratings["how.voice.choices"] = "now"
    content = write_work(other, tmp_path / "other.json").read_bytes()
    screen = self_assessment(work_dir=tmp_path / "mine")
    screen.pages[0].ratings["what.goals.materials"].value = "different"
    before = screen.store.path.read_bytes()
    upload(screen, content)
    bar = screen.save_bar
    assert "holds: Kim &lt;script&gt;" in bar.message.value and "<script>" not in bar.message.value
    assert "1 of 29 practices rated" in bar.message.value
    assert screen.store.path.read_bytes() == before  # nothing replaced yet
    assert bar.choices.children == (bar.use_file, bar.keep_current)
    bar.use_file.click()
    assert screen.pages[1].ratings["how.voice.choices"].value == "now"
    assert screen.pages[0].ratings["what.goals.materials"].value is None
    assert screen.details.name.value.startswith("Kim")
    assert saved(screen).self_assessment.ratings == {"how.voice.choices": "now"}
    assert "Loaded" in bar.message.value
    backups = list((tmp_path / "mine" / "backups").iterdir())
    assert [b.read_bytes() for b in backups] == [before]


def test_load_can_be_cancelled(tmp_path):
    content = write_work(Work(), tmp_path / "other.json").read_bytes()
    screen = self_assessment(work_dir=tmp_path / "mine")
    screen.pages[0].ratings["what.goals.materials"].value = "different"
    before = screen.store.path.read_bytes()
    upload(screen, content)
    screen.save_bar.keep_current.click()
    assert screen.store.path.read_bytes() == before
    assert screen.save_bar.choices.children == ()
    assert "Nothing changed" in screen.save_bar.message.value


@pytest.mark.parametrize(
    "content",
    [b"", b"<html>", b'{"format": "plkit-work", "version": 7}', b'{"cells": [], "nbformat": 4}'],
)
def test_bad_upload_shows_why_and_changes_nothing(tmp_path, content):
    screen = self_assessment(work_dir=tmp_path)
    screen.pages[0].ratings["what.goals.materials"].value = "different"
    before = screen.store.path.read_bytes()
    upload(screen, content, name="<img src=x onerror=alert(1)>.json")
    message = screen.save_bar.message.value
    assert "was not loaded, and your work is unchanged" in message
    assert "<img" not in message and "&lt;img" in message
    assert screen.save_bar.choices.children == ()
    assert screen.store.path.read_bytes() == before
    assert screen.pages[0].ratings["what.goals.materials"].value == "different"


def test_start_over_asks_first_and_keeps_a_backup(tmp_path):
    screen = self_assessment(work_dir=tmp_path)
    screen.pages[0].ratings["what.goals.materials"].value = "different"
    before = screen.store.path.read_bytes()
    bar = screen.save_bar
    bar.start_over.click()
    assert bar.choices.children == (bar.confirm_reset, bar.cancel_reset)
    assert screen.store.path.read_bytes() == before
    bar.cancel_reset.click()
    assert screen.store.path.read_bytes() == before
    bar.start_over.click()
    bar.confirm_reset.click()
    assert screen.pages[0].ratings["what.goals.materials"].value is None
    assert "0 of 29 practices rated" in screen.progress_text.value
    assert saved(screen).self_assessment.ratings == {}
    assert [b.read_bytes() for b in (tmp_path / "backups").iterdir()] == [before]


def test_a_damaged_saved_file_is_reported_on_screen(tmp_path):
    (tmp_path / WORK_FILE_NAME).write_text("{oops")
    screen = self_assessment(work_dir=tmp_path)
    assert "could not be opened" in screen.save_bar.message.value
    assert "plkit-problem" in screen.save_bar.message.value


def test_changes_made_in_another_workbook_show_when_switching_tabs(tmp_path):
    screen = self_assessment(work_dir=tmp_path)
    other = self_assessment(work_dir=tmp_path)
    other.pages[1].ratings["how.voice.choices"].value = "not-sure"
    time.sleep(0.01)
    screen.tabs.selected_index = 1
    assert screen.pages[1].ratings["how.voice.choices"].value == "not-sure"
    screen.pages[0].ratings["what.goals.materials"].value = "now"
    assert json.loads(screen.store.path.read_text())["self_assessment"]["ratings"] == {
        "how.voice.choices": "not-sure",
        "what.goals.materials": "now",
    }


# --- rounds, and Since last time ---------------------------------------------------------------

ROUNDS_TAB, SINCE_TAB = 5, 6


def rate(screen, **ratings):
    for page in screen.pages:
        for practice_id, toggle in page.ratings.items():
            key = practice_id.replace(".", "_").replace("-", "_")
            if key in ratings:
                toggle.value = ratings[key]


def keep(screen, name):
    screen.rounds.name.value = name
    screen.rounds.keep.click()


def test_since_last_time_says_how_to_keep_a_round_when_there_is_none(screen):
    screen.tabs.selected_index = SINCE_TAB
    assert "No round kept yet" in screen.since.intro.value
    assert "Keep this as a round" in screen.since.intro.value
    assert screen.since.chart.value == "" and screen.since.moves.value == ""
    screen.tabs.selected_index = ROUNDS_TAB
    assert "No rounds kept yet" in screen.rounds.listing.value
    assert screen.rounds.change_area.layout.display == "none"
    assert screen.rounds.name.placeholder == "e.g. Fall 2026"


def test_keep_a_round_change_three_ratings_and_see_exactly_those_moves(screen):
    rate(screen, what_goals_materials="different", how_voice_choices="now", how_flexible_peers="not-sure",
         assessed_authentic_data="now")
    screen.pages[0].notes["what.goals"].value = "Only in grade 6."
    screen.tabs.selected_index = ROUNDS_TAB
    keep(screen, "Fall 2026")
    kept = saved(screen).self_assessment.rounds
    assert [(r.name, len(r.ratings)) for r in kept] == [("Fall 2026", 4)]
    assert "Kept as the round “Fall 2026”" in screen.rounds.message.value
    assert screen.rounds.name.value == ""
    assert "Fall 2026" in screen.rounds.listing.value and "4 of 29" in screen.rounds.listing.value
    # the next round starts from this one: nothing was cleared
    assert screen.pages[0].ratings["what.goals.materials"].value == "different"
    assert "4 of 29 practices rated" in screen.progress_text.value
    # change three ratings (and one note)
    screen.pages[0].ratings["what.goals.materials"].value = "now"
    screen.pages[1].ratings["how.voice.choices"].value = "different"
    screen.pages[2].ratings["when-where.anytime.policies"].value = "not-sure"
    screen.pages[0].notes["what.goals"].value = "All grades now."
    screen.tabs.selected_index = SINCE_TAB
    since = screen.since
    assert since.then.value == "Fall 2026"
    moves = since.moves.value
    assert ("3 practices moved</strong> between “Fall 2026” and now: 1 to “We do this now”, "
            "1 away from “We do this now”, 1 rated for the first time.") in moves
    assert moves.count("<li>") == 3
    assert "This is different → We do this now" in moves
    assert "We do this now → This is different" in moves
    assert "Not rated → Not sure yet" in moves
    assert "Only in grade 6." in moves and "All grades now." in moves
    assert re.findall(r"<h3>([^<]*)</h3>", moves) == [
        "What students learn", "How students learn", "When and where students learn"]
    assert '<img src="data:image/png;base64,' in since.chart.value
    alt = re.search(r'alt="([^"]*)"', since.chart.value).group(1)
    assert "What students learn: Fall 2026: 1 This is different, 5 not rated; Now: 1 We do this now, 5 not rated" in alt
    assert ("When and where students learn: Fall 2026: 5 not rated; Now: 1 Not sure yet, 4 not rated") in alt


def test_the_latest_round_is_chosen_and_an_earlier_one_can_be(screen):
    rate(screen, what_goals_materials="different")
    keep(screen, "Fall 2026")
    screen.pages[0].ratings["what.goals.materials"].value = "not-sure"
    keep(screen, "Spring 2027")
    screen.pages[0].ratings["what.goals.materials"].value = "now"
    screen.tabs.selected_index = SINCE_TAB
    assert [value for _, value in screen.since.then.options] == ["Spring 2027", "Fall 2026"]
    assert screen.since.then.value == "Spring 2027"
    assert "Not sure yet → We do this now" in screen.since.moves.value
    screen.since.then.value = "Fall 2026"
    assert "This is different → We do this now" in screen.since.moves.value


def test_a_round_needs_a_name_of_its_own(screen):
    rate(screen, what_goals_materials="now")
    keep(screen, "  ")
    assert "Give the round a name first" in screen.rounds.message.value
    keep(screen, "Fall 2026")
    keep(screen, "FALL 2026")
    assert "There is already a round called “Fall 2026”" in screen.rounds.message.value
    assert "plkit-problem" in screen.rounds.message.value
    assert [r.name for r in saved(screen).self_assessment.rounds] == ["Fall 2026"]


def test_rename_a_round(screen):
    rate(screen, what_goals_materials="now")
    keep(screen, "Fall 2026")
    keep(screen, "Winter")
    panel = screen.rounds
    panel.chosen.value = "Fall 2026"
    panel.new_name.value = "Winter"
    panel.rename.click()
    assert "already a round called “Winter”" in panel.message.value
    panel.new_name.value = "Autumn 2026"
    panel.rename.click()
    assert [r.name for r in saved(screen).self_assessment.rounds] == ["Autumn 2026", "Winter"]
    assert panel.chosen.value == "Autumn 2026"
    assert "Renamed “Fall 2026” to “Autumn 2026”" in panel.message.value
    assert "Autumn 2026" in panel.listing.value and "Fall 2026" not in panel.listing.value
    assert "Autumn 2026" in [value for _, value in screen.since.then.options]


def test_removing_a_round_asks_first(screen):
    rate(screen, what_goals_materials="now")
    keep(screen, "Fall 2026")
    keep(screen, "Spring 2027")
    panel = screen.rounds
    panel.chosen.value = "Fall 2026"
    before = screen.store.path.read_bytes()
    panel.remove.click()
    assert panel.confirm_row.children == (panel.confirm_text, panel.confirm_remove, panel.cancel_remove)
    assert "Remove the round “Fall 2026”?" in panel.confirm_text.value
    assert panel.confirm_remove.description == "Yes, remove it"
    assert screen.store.path.read_bytes() == before  # nothing removed yet
    panel.cancel_remove.click()
    assert panel.confirm_row.children == ()
    assert "Nothing was removed" in panel.message.value
    assert screen.store.path.read_bytes() == before
    panel.remove.click()
    panel.confirm_remove.click()
    work = saved(screen)
    assert [r.name for r in work.self_assessment.rounds] == ["Spring 2027"]
    assert work.self_assessment.ratings == {"what.goals.materials": "now"}
    assert "Removed the round “Fall 2026”" in panel.message.value
    assert [value for _, value in panel.chosen.options] == ["Spring 2027"]


def test_hostile_round_names_and_notes_stay_text(screen):
    hostile = '<img src=x onerror=alert(1)> & "quotes"'
    rate(screen, what_goals_materials="different")
    screen.pages[0].notes["what.goals"].value = hostile
    keep(screen, hostile[:40])
    screen.pages[0].ratings["what.goals.materials"].value = "now"
    screen.pages[0].notes["what.goals"].value = "<script>alert(2)</script>"
    screen.rounds.remove.click()
    screen.tabs.selected_index = SINCE_TAB
    shown = [screen.rounds.listing.value, screen.rounds.message.value, screen.rounds.confirm_text.value,
             screen.since.intro.value, screen.since.moves.value]
    for value in shown:
        assert "<img src=x" not in value and "<script>" not in value
    assert "&lt;img src=x onerror=alert(1)&gt;" in screen.rounds.listing.value
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in screen.since.moves.value
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;" in screen.since.moves.value


def test_rounds_come_back_in_a_new_screen(tmp_path):
    first = self_assessment(work_dir=tmp_path)
    rate(first, what_goals_materials="different")
    keep(first, "Fall 2026")
    second = self_assessment(work_dir=tmp_path)
    assert "Fall 2026" in second.rounds.listing.value
    assert second.since.then.value == "Fall 2026"
    second.pages[0].ratings["what.goals.materials"].value = "now"
    second.tabs.selected_index = SINCE_TAB
    assert "1 practice moved" in second.since.moves.value


def test_keeping_with_nothing_rated_or_too_many_rounds_says_why(screen):
    keep(screen, "Fall 2026")
    assert "Nothing to keep yet" in screen.rounds.message.value
    rate(screen, what_goals_materials="now")
    for number in range(20):
        keep(screen, f"Round {number}")
    keep(screen, "One more")
    assert "already keeps 20 rounds" in screen.rounds.message.value
    assert len(saved(screen).self_assessment.rounds) == 20


# --- the save bar's news goes once answering starts again (issue 13) ----------------------------

def _start_over(screen) -> None:
    screen.save_bar.start_over.click()
    screen.save_bar.confirm_reset.click()


def test_the_start_over_message_goes_at_the_first_answer_and_stays_gone(screen):
    bar = screen.save_bar
    rate(screen, what_goals_materials="now")
    _start_over(screen)
    assert "You are starting over with a blank workbook" in bar.message.value
    assert bar.choices.children == (bar.undo,)
    screen.pages[0].ratings["what.goals.materials"].value = "different"  # the first answer again
    assert bar.message.value == "" and bar.choices.children == ()
    assert "Saved at" in bar.status.value
    for page in screen.pages:  # every one of the 29 practices rated
        for toggle in page.ratings.values():
            toggle.value = "now"
    assert "29 of 29" in screen.progress_text.value and bar.message.value == ""


def test_news_of_a_load_an_undo_or_a_cancel_goes_at_the_next_answer(tmp_path):
    screen = self_assessment(work_dir=tmp_path / "mine")
    bar = screen.save_bar
    other = write_work(Work(), tmp_path / "other.json").read_bytes()
    rate(screen, what_goals_materials="now")
    upload(screen, other)
    rate(screen, what_goals_materials="different")  # answering while the question waits: it stays
    assert "Use it in place" in bar.message.value
    bar.use_file.click()
    assert "Loaded" in bar.message.value
    rate(screen, how_voice_choices="now")
    assert bar.message.value == ""
    upload(screen, other)
    bar.use_file.click()
    bar.undo.click()
    assert "is back, exactly as it was" in bar.message.value
    rate(screen, how_voice_choices="different")
    assert bar.message.value == ""
    upload(screen, other)
    bar.keep_current.click()
    assert "Nothing changed" in bar.message.value
    rate(screen, how_voice_choices="not-sure")
    assert bar.message.value == ""


def test_a_problem_found_at_start_stays_while_answering(tmp_path):
    (tmp_path / WORK_FILE_NAME).write_text("{oops")
    screen = self_assessment(work_dir=tmp_path)
    rate(screen, what_goals_materials="now")
    assert "could not be opened" in screen.save_bar.message.value
