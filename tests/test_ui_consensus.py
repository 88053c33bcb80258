"""Headless tests of step 3 of the dashboard, "Agree as a team": the team file, practice by practice."""

import json
from datetime import datetime, timezone

import pytest

from plkit.content import data_dir
from plkit.model import NO_AGREEMENT, TEAM, Work
from plkit.store import wrong_kind
from plkit.ui.common import escape
from plkit.ui.dashboard import Dashboard
from plkit.work import read_work, write_work

SCRIPT = "<script>alert(1)</script>"
# The demo group's most split practices, in the order the team goes through them (checked by hand
# against the files: 9/10/10 with 1 not rated is the closest to an even split, and so on).
FIRST_FIVE = ["when-where.anytime.collaboration", "how.flexible.schedules", "how.guidance.plans",
              "how.voice.choices", "assessed.authentic.data"]


def raw_counts(practice_id: str) -> dict[str, int]:
    """The demo group's counts for one practice, read straight from the JSON files (not through plkit)."""
    counts = {"now": 0, "different": 0, "not-sure": 0, "unrated": 0}
    for path in sorted((data_dir() / "demo").glob("*.json")):
        try:
            data = json.loads(path.read_text("utf-8"))
        except ValueError:
            continue  # the demo's broken file
        counts[data["self_assessment"]["ratings"].get(practice_id, "unrated")] += 1
    return counts


def upload(save_bar, name, data):
    save_bar.upload.value = ({"name": name, "type": "application/json", "size": len(data),
                              "last_modified": datetime.now(timezone.utc), "content": memoryview(data)},)


def shown(widget) -> bool:
    return widget.layout.display != "none"


@pytest.fixture
def board(tmp_path, framework):
    board = Dashboard(framework, tmp_path)
    board.demo.click()
    return board


def team_file(tmp_path, framework) -> Work:
    return read_work(tmp_path / "plkit-team.json", framework)


def answer(screen, rating, reasons="", evidence="", who=""):
    screen.answer.value = rating
    screen.reasons.value = reasons
    screen.evidence_needed.value = evidence
    screen.who_finds.value = who


def test_the_counts_used_here_are_the_demo_groups():
    assert raw_counts("when-where.anytime.collaboration") == {"now": 9, "different": 10, "not-sure": 10, "unrated": 1}
    assert raw_counts("what.goals.materials") == {"now": 27, "different": 0, "not-sure": 3, "unrated": 0}


def test_the_first_practice_is_the_most_split_with_its_counts_roles_and_notes(board):
    screen = board.consensus
    assert screen.current == FIRST_FIVE[0]
    assert screen.position.value == "<span>Practice 1 of 29</span>"
    card = screen.card.value
    assert "We do this now: 9 · This is different: 10 · Not sure yet: 10 · Not rated: 1" in card
    assert "How split: 0.98" in card  # 1 - 10/29 = 0.655, over 1 - 1/3: 0.983
    assert "Teachers (18):" in card and "School leaders (5): mostly We do this now (3 of 5)" in card
    assert "district or state staff (2)" in card  # the merge note
    assert "<strong>Participant 7</strong>: Notes:" in card
    assert not shown(screen.agree_majority) and screen.majority_line.value == ""
    assert not shown(screen.open_question) and not shown(screen.reopen)
    assert screen.answer.value is None and screen.answer.options[-1] == ("No agreement yet", NO_AGREEMENT)


def test_record_five_practices_and_find_them_after_a_restart(tmp_path, framework, board):
    screen = board.consensus
    screen.team_name.value = "Lincoln MS"
    ratings = ["different", "now", "not-sure", "different"]
    for pid, rating in zip(FIRST_FIVE[:4], ratings, strict=True):
        assert screen.current == pid
        answer(screen, rating, reasons=f"Because of {pid}.")
        screen.record.click()
        assert screen.record_problem.value == ""
    assert screen.current == FIRST_FIVE[4]
    screen.answer.value = NO_AGREEMENT
    assert shown(screen.open_question)
    answer(screen, NO_AGREEMENT, evidence="Last term's assessment calendar", who="Ms Rivera")
    screen.record.click()
    assert screen.current not in FIRST_FIVE
    progress = "4 of 29 agreed, 1 with no agreement yet"
    assert "Open: the team file of Lincoln MS" in screen.open_line.value and progress in screen.open_line.value

    work = team_file(tmp_path, framework)
    assert work.kind == TEAM and work.participant.team == "Lincoln MS"
    assert list(work.team.consensus) == FIRST_FIVE
    for pid in FIRST_FIVE:
        agreement = work.team.consensus[pid]
        assert agreement.agreed_at and agreement.split == raw_counts(pid)
    assert work.self_assessment.ratings == dict(zip(FIRST_FIVE[:4], ratings, strict=True))
    open_question = work.team.consensus[FIRST_FIVE[4]]
    assert (open_question.rating, open_question.evidence_needed, open_question.who_finds) == (
        NO_AGREEMENT, "Last term's assessment calendar", "Ms Rivera")
    assert work.team.members == 30 and not work.team.names_shown
    assert all(member.startswith("file-") for member in work.team.combined)

    again = Dashboard(framework, tmp_path)  # a reload, or a restarted kernel
    assert len(again.group) == 30 and "The group you collected before is back: 31 files." in again.status.value
    restored = again.consensus
    assert restored.team_name.value == "Lincoln MS" and progress in restored.open_line.value
    assert restored.current == screen.current
    restored.show_filter.value = "agreed"
    labels = [label for label, _ in restored.practice.options]
    assert len(labels) == 5 and all(label.startswith("✓ ") for label in labels)
    assert restored.current == FIRST_FIVE[0] and restored.answer.disabled and restored.reasons.disabled
    assert "Recorded: This is different." in restored.recorded_line.value
    assert not shown(restored.record) and shown(restored.reopen)


@pytest.mark.parametrize(("rating", "reasons", "evidence", "who", "message"), [
    (None, "We talked.", "", "", "Choose the team's answer first."),
    ("now", "  ", "", "", "Write the team's reasons in a sentence or two."),
    (NO_AGREEMENT, "", "", "Ms Rivera", "Write what evidence would settle it, so the team knows what to look for."),
    (NO_AGREEMENT, "", "Walkthrough notes", "", "Write who will find that evidence."),
])
def test_an_incomplete_answer_is_refused_and_nothing_recorded(tmp_path, framework, board, rating, reasons,
                                                              evidence, who, message):
    screen = board.consensus
    answer(screen, rating, reasons, evidence, who)
    screen.record.click()
    assert escape(message) in screen.record_problem.value and 'class="plkit-problem"' in screen.record_problem.value
    assert screen.current == FIRST_FIVE[0], "it stays on the practice"
    assert "0 of 29 agreed" in screen.open_line.value
    saved = team_file(tmp_path, framework).team.consensus[FIRST_FIVE[0]]
    assert saved.agreed_at == "" and saved.split == {}
    assert saved.reasons == reasons and saved.evidence_needed == evidence, "what was typed is kept as a draft"


def test_a_recorded_answer_can_be_reopened_and_recorded_again(tmp_path, framework, board):
    screen = board.consensus
    answer(screen, "now", reasons="Most classes do.")
    screen.record.click()
    screen.show_filter.value = "agreed"
    assert screen.current == FIRST_FIVE[0] and screen.answer.disabled
    screen.reopen.click()
    assert screen.show_filter.value == "all" and screen.current == FIRST_FIVE[0]
    assert not screen.answer.disabled and screen.answer.value == "now" and screen.reasons.value == "Most classes do."
    work = team_file(tmp_path, framework)
    assert work.team.consensus[FIRST_FIVE[0]].agreed_at == "" and work.self_assessment.ratings == {}
    assert "0 of 29 agreed" in screen.open_line.value
    screen.answer.value = "different"
    screen.record.click()
    assert team_file(tmp_path, framework).self_assessment.ratings == {FIRST_FIVE[0]: "different"}


def test_agree_with_the_majority_on_one_practice(tmp_path, framework, board):
    screen = board.consensus
    screen.practice.value = "what.goals.materials"  # 27 of 30 "We do this now", 3 "Not sure yet"
    assert screen.majority_line.value == "<p>Nearly everyone rated this We do this now (27 of 30).</p>"
    assert shown(screen.agree_majority)
    screen.agree_majority.click()
    agreement = team_file(tmp_path, framework).team.consensus["what.goals.materials"]
    assert agreement.rating == "now" and agreement.agreed_at
    assert agreement.reasons == "Agreed with the majority: 27 of 30 rated it We do this now."
    assert agreement.split == raw_counts("what.goals.materials")
    assert screen.current != "what.goals.materials"
    assert "1 of 29 agreed" in screen.open_line.value


def test_agree_with_the_majority_for_a_theme_asks_first(tmp_path, framework, board):
    screen = board.consensus
    screen.theme.value = "how"
    # In "How students learn", 28 of 30, 28 of 30 and 29 of 30 gave the same rating: at least 4 in 5.
    assert "Still to agree in this theme: 3 practices" in screen.theme_majority.value
    assert screen.agree_all.description == "Agree with the majority on all 3"
    screen.agree_all.click()
    assert screen.confirm_row.children == (screen.confirm_text, screen.confirm_all, screen.cancel_all)
    assert "rating for all 3 practices where nearly everyone gave the same rating?" in screen.confirm_text.value
    assert screen.confirm_all.description == "Yes, agree on all 3"
    screen.cancel_all.click()
    assert screen.confirm_row.children == () and "Nothing recorded." in screen.message.value
    assert not (tmp_path / "plkit-team.json").exists()
    screen.agree_all.click()
    screen.confirm_all.click()
    work = team_file(tmp_path, framework)
    assert work.self_assessment.ratings == {"how.guidance.responsibility": "different",
                                            "how.technology.devices": "now",
                                            "how.flexible.opportunities": "now"}
    assert work.team.consensus["how.flexible.opportunities"].split == raw_counts("how.flexible.opportunities")
    assert escape("Recorded the majority's rating for 3 practices.") in screen.message.value
    assert not shown(screen.agree_all)
    screen.theme.value = ""
    assert screen.agree_all.description == "Agree with the majority on all 5", "8 in every theme, 3 done"


def test_what_is_typed_survives_a_rebuild(tmp_path, framework, board):
    screen = board.consensus
    answer(screen, NO_AGREEMENT, reasons="Half of us", evidence="Timetables", who="Sam")
    again = Dashboard(framework, tmp_path).consensus
    assert again.current == FIRST_FIVE[0]
    assert (again.answer.value, again.reasons.value, again.evidence_needed.value, again.who_finds.value) == (
        NO_AGREEMENT, "Half of us", "Timetables", "Sam")
    assert shown(again.open_question) and not again.answer.disabled


def test_hostile_text_is_shown_escaped(tmp_path, framework):
    pid = "when-where.anytime.collaboration"
    folder = tmp_path / "collected"
    for number in range(3):
        work = Work()
        work.participant.name = SCRIPT
        work.self_assessment.ratings[pid] = ("now", "different", "not-sure")[number]
        work.self_assessment.notes[framework.practices[pid].approach_id] = f"{SCRIPT} note {number}"
        write_work(work, folder / f"{number}.json")
    board = Dashboard(framework, tmp_path / "work")
    board.names.value = True
    board.folder.value = str(folder)
    board.read_folder.click()
    screen = board.consensus
    screen.team_name.value = SCRIPT
    assert screen.current == pid
    assert f"<strong>{escape(SCRIPT)}</strong>: Notes: {escape(SCRIPT)} note 0" in screen.card.value
    answer(screen, "now", reasons=SCRIPT)
    screen.record.click()
    screen.show_filter.value = "agreed"
    assert f"Reasons: {escape(SCRIPT)}" in screen.recorded_line.value
    assert f"Open: the team file of {escape(SCRIPT)}" in screen.open_line.value
    board.clear.click()
    board.confirm_clear.click()  # no group: the recorded answers are listed instead
    assert f"We do this now. {escape(SCRIPT)}" in screen.recorded_list.value
    for widget in (screen.card, screen.recorded_line, screen.open_line, screen.recorded_list, screen.message):
        assert "<script" not in widget.value


def test_with_no_group_the_team_files_answers_are_listed(tmp_path, framework, board):
    screen = board.consensus
    answer(screen, "different", reasons="Only some teams do.")
    screen.record.click()
    board.clear.click()
    board.confirm_clear.click()
    assert "Collect the group's work files above first" in screen.no_group.value
    assert not shown(screen.working) and shown(screen.recorded_list)
    listed = screen.recorded_list.value
    assert "The team's recorded answers (1)" in listed and "This is different. Only some teams do." in listed
    assert "The group then: We do this now: 9 · This is different: 10 · Not sure yet: 10 · Not rated: 1" in listed
    assert "(how split: 0.98)" in listed

    elsewhere = Dashboard(framework, tmp_path / "other computer").consensus
    assert "No answers are recorded in this team file yet." in elsewhere.recorded_list.value
    upload(elsewhere.save_bar, "plkit-team.json", (tmp_path / "plkit-team.json").read_bytes())
    elsewhere.save_bar.use_file.click()
    assert "The team's recorded answers (1)" in elsewhere.recorded_list.value
    assert "1 of 29 agreed" in elsewhere.open_line.value


def test_a_personal_work_file_is_refused_by_the_team_save_bar(tmp_path, framework, board):
    screen = board.consensus
    answer(screen, "now", reasons="Yes.")
    screen.record.click()
    before = (tmp_path / "plkit-team.json").read_bytes()
    personal = (data_dir() / "demo" / "synthetic-0001.json").read_bytes()
    upload(screen.save_bar, "synthetic-0001.json", personal)
    expected = wrong_kind(read_work(personal, framework), TEAM)
    assert expected and escape(expected) in screen.save_bar.message.value
    assert screen.save_bar.choices.children == ()
    assert (tmp_path / "plkit-team.json").read_bytes() == before
    assert "1 of 29 agreed" in screen.open_line.value


def test_the_group_report_includes_the_teams_agreed_answers(tmp_path, framework, board):
    import base64
    import re

    screen = board.consensus
    board.prepare.click()
    assert "with the team’s agreed answers" not in board.downloads.value  # no team file begun yet
    screen.team_name.value = "Lincoln <MS>"
    answer(screen, "different", reasons="Only in <some> rooms.")
    screen.record.click()
    board.prepare.click()
    assert "anonymous; with the team’s agreed answers" in board.downloads.value
    pages = dict(re.findall(r'download="(group-report\.(?:html|md))" href="data:[^;]+;base64,([^"]+)"',
                            board.downloads.value))
    page, text = (base64.b64decode(pages[name]).decode() for name in ("group-report.html", "group-report.md"))
    assert "Lincoln &lt;MS&gt;" in page and "Only in &lt;some&gt; rooms." in page
    assert "Lincoln &lt;MS&gt;" in text and "1 of 29 agreed" in text
