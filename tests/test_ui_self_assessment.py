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
