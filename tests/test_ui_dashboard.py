"""Headless tests of the facilitator dashboard."""

import re
from datetime import datetime, timezone

from folder_cases import MINIMAL, ascii_failures, no_hang

from plkit import read_work
from plkit.consensus import sync_ratings
from plkit.content import load_framework
from plkit.model import TEAM, Agreement, Round, Work
from plkit.ui import dashboard
from plkit.work import write_work

HOSTILE = "<img src=x onerror=alert(1)>"


def upload(board, files):
    board.upload.value = tuple(
        {"name": name, "type": "application/json", "size": len(data),
         "last_modified": datetime.now(timezone.utc), "content": memoryview(data)}
        for name, data in files)


def work_bytes(tmp_path, name, **ratings):
    work = Work()
    work.participant.name = name
    work.self_assessment.ratings.update(ratings)
    work.self_assessment.notes["how.voice"] = "Student council meets monthly"
    return write_work(work, tmp_path / f"{name}.json").read_bytes()


def test_starts_empty(tmp_path):
    board = dashboard(work_dir=tmp_path)
    assert "No work files yet" in board.status.value
    assert "No disagreements" in board.queue.value
    board.prepare.click()
    assert "Add some work files first" in board.downloads.value


def test_upload_many_with_a_bad_one(tmp_path):
    board = dashboard(work_dir=tmp_path)
    upload(board, [("ana.json", work_bytes(tmp_path, "Anastasia Quill", **{"how.voice.choices": "now"})),
                   ("bo.json", work_bytes(tmp_path, "Bo", **{"how.voice.choices": "different"})),
                   ("oops.json", b"{not json")])
    assert "<strong>2 participants</strong> read; files left out: 1" in board.status.value
    assert "oops.json" not in board.status.value and "File 1" in board.status.value
    assert "Students manage their own learning choices" in board.queue.value
    assert "Participant 1" in board.notes.value and "Anastasia" not in board.notes.value
    board.names.value = True
    assert "Anastasia Quill" in board.notes.value and "oops.json" in board.status.value


def test_hostile_names_and_notes_are_escaped(tmp_path):
    board = dashboard(work_dir=tmp_path)
    upload(board, [("x.json", work_bytes(tmp_path, HOSTILE, **{"how.voice.choices": "now"}))])
    board.names.value = True
    for html in (board.notes.value, board.status.value, board.queue.value):
        assert "<img" not in html
    assert "&lt;img src=x" in board.notes.value


def test_demo_group_views_and_report(tmp_path):
    board = dashboard(work_dir=tmp_path)
    board.demo.click()
    assert "<strong>30 participants</strong>" in board.status.value
    assert board.queue.value.count("<li>") == 10
    assert "Chosen by 6 people" in board.priorities.value
    board.tabs.selected_index = 2
    assert 'alt="Heat map' in board.heatmap.value
    board.tabs.selected_index = 3
    assert "What students learn:" in board.themes.value
    board.prepare.click()
    assert "group-report.html" in board.downloads.value and "anonymous" in board.downloads.value
    board.clear.click()
    board.confirm_clear.click()
    assert "No work files yet" in board.status.value


def test_folder_of_files(tmp_path):
    board = dashboard(work_dir=tmp_path)
    folder = tmp_path / "collected"
    folder.mkdir()
    (folder / "a.json").write_bytes(work_bytes(tmp_path, "A", **{"what.goals.materials": "now"}))
    board.folder.value = str(folder)
    board.read_folder.click()
    assert "<strong>1 participant</strong> read" in board.status.value
    board.folder.value = str(tmp_path / "missing")
    board.read_folder.click()
    assert "There is no folder called" in board.status.value


def test_same_file_twice_counts_once_and_same_name_is_kept(tmp_path):
    board = dashboard(work_dir=tmp_path)
    first = work_bytes(tmp_path, "A", **{"what.goals.materials": "now"})
    other = work_bytes(tmp_path, "B", **{"what.goals.materials": "different"})
    upload(board, [("plkit-work-2026-11-22.json", first)])
    upload(board, [("plkit-work-2026-11-22.json", first), ("plkit-work-2026-11-22.json", other)])
    assert len(board.group) == 2
    assert "already added; it counts once" in board.status.value


def test_demo_files_are_flagged(tmp_path):
    board = dashboard(work_dir=tmp_path)
    board.demo.click()
    status = board.status.value
    assert "<strong>30 participants</strong> read; files left out: 1." in status
    assert "All 30 participants are the synthetic demo group." in status
    assert "One file left out comes with the demo group" in status
    assert "31 of these files" not in status


def test_the_demo_sentence_counts_as_the_status_line_does(tmp_path):
    """Beside "32 participants read", the demo group's share is counted in participants too
    (it said "31 of these files" beside "30 participants": the damaged example counted as one)."""
    board = dashboard(work_dir=tmp_path)
    board.demo.click()
    upload(board, [("ana.json", work_bytes(tmp_path, "Ana", **{"how.voice.choices": "now"})),
                   ("bo.json", work_bytes(tmp_path, "Bo", **{"how.voice.choices": "different"})),
                   ("oops.json", b"{not json")])
    status = board.status.value
    read, left_out = (int(n) for n in re.search(r"<strong>(\d+) participants</strong> read; files left out: (\d+)",
                                                status).groups())
    assert (read, left_out) == (32, 2)
    assert f"30 of the {read} participants are the synthetic demo group." in status
    assert "One file left out comes with the demo group" in status
    board.names.value = True  # the same with names shown
    assert "30 of the 32 participants are the synthetic demo group." in board.status.value


def test_no_demo_sentence_without_demo_files(tmp_path):
    board = dashboard(work_dir=tmp_path)
    upload(board, [("ana.json", work_bytes(tmp_path, "Ana", **{"how.voice.choices": "now"}))])
    assert "demo" not in board.status.value


def test_each_priority_is_named_then_how_many_chose_it(tmp_path):
    """The tally read ".: chosen by 6": a practice's own full stop, then a colon. Each priority's
    name stands on its own line now, and how many chose it below, in words."""
    board = dashboard(work_dir=tmp_path)
    board.demo.click()
    html = board.priorities.value
    assert ".:" not in html and ": chosen" not in html
    items = re.findall(r"<li>(.*?)</li>", html)
    assert len(items) == 24
    for item in items:
        assert re.fullmatch(r"<strong>[^<>]*\w[^<>]*</strong><br>Chosen by \d+ (person|people) · .+", item), item
    assert items[0].startswith("<strong>The school has outside partners") and "Chosen by 6 people" in items[0]
    assert "<strong>Family learning nights</strong><br>Chosen by 1 person" in html


# --- issue 10: a folder's pipes, devices and files past the limit are listed, never dropped ----

def test_read_the_folder_lists_every_file_left_out(tmp_path):
    """Issue 10: past 5,000 files the dashboard dropped the rest ("files left out: 0"); a pipe hung it."""
    import os

    from plkit.group import MAX_GROUP_FILES, TOO_MANY

    folder = tmp_path / "collected"
    folder.mkdir()
    for number in range(MAX_GROUP_FILES + 1):
        (folder / f"w-{number:05}.json").write_bytes(MINIMAL)
    os.mkfifo(folder / "pipe.json")
    (folder / "zero.json").symlink_to("/dev/zero")
    board = dashboard(work_dir=tmp_path)
    board.names.value = True
    board.folder.value = str(folder)
    with no_hang():
        board.read_folder.click()
    assert f"<strong>{MAX_GROUP_FILES:,} participants</strong> read; files left out: 3." in board.status.value
    assert "pipe.json: Not read: it is not an ordinary file" in board.status.value
    assert f"w-{MAX_GROUP_FILES:05}.json: {TOO_MANY}" in board.status.value
    assert f"zero.json: {TOO_MANY}" in board.status.value
    assert len(board.group.members) + len(board.group.skipped) == MAX_GROUP_FILES + 3
    board.clear.click()
    board.confirm_clear.click()
    assert "No work files yet" in board.status.value


def test_a_long_list_of_files_left_out_is_shortened_on_screen_not_in_the_report(tmp_path):
    folder = tmp_path / "collected"
    folder.mkdir()
    for number in range(150):
        (folder / f"bad-{number:03}.json").write_bytes(b"{")
    board = dashboard(work_dir=tmp_path)
    board.folder.value = str(folder)
    board.read_folder.click()
    assert "files left out: 150." in board.status.value
    assert "… and 50 more, each listed in the group report." in board.status.value
    assert len(board.group.skipped) == 150


@ascii_failures()
def test_odd_file_names_are_shown_safely(tmp_path):
    import os

    folder = tmp_path / "collected"
    folder.mkdir()
    folder.joinpath(os.fsdecode(b"caf\xe9\x1b[31m<b>x.json")).write_bytes(b"{")
    board = dashboard(work_dir=tmp_path)
    board.names.value = True
    board.folder.value = str(folder)
    board.read_folder.click()
    assert "caf\ufffd[31m&lt;b&gt;x.json" in board.status.value
    upload(board, [("\x00<i>up.json", b"{")])
    assert "&lt;i&gt;up.json" in board.status.value and "\x00" not in board.status.value


def test_a_folder_path_that_is_a_file_or_holds_odd_characters(tmp_path):
    board = dashboard(work_dir=tmp_path)
    (tmp_path / "a.json").write_bytes(MINIMAL)
    for value in (str(tmp_path / "a.json"), "\x00<b>", "x" * 5000):
        board.folder.value = value
        board.read_folder.click()
        assert "There is no folder called" in board.status.value and "<b>" not in board.status.value


# --- issue 11: the collected group survives a reload; roles side by side ------------------------

def test_the_collected_group_comes_back_after_a_reload_until_cleared(tmp_path):
    board = dashboard(work_dir=tmp_path)
    board.demo.click()
    copies = sorted(p.name for p in (tmp_path / "group").glob("0*.json"))
    assert len(copies) == 31 and copies[0] == "0001-synthetic-0001.json"
    again = dashboard(work_dir=tmp_path)
    assert len(again.group) == 30 and again.sources == board.sources
    assert "The group you collected before is back: 31 files." in again.status.value
    again.clear.click()
    assert "Clear the group?" in again.status.value and len(again.group) == 30, "it asks first"
    assert again.clear_choices.children == (again.confirm_clear, again.cancel_clear)
    again.cancel_clear.click()
    assert "Nothing was cleared." in again.status.value and len(list((tmp_path / "group").glob("0*.json"))) == 31
    again.clear.click()
    again.confirm_clear.click()
    assert "No work files yet" in again.status.value and again.clear_choices.children == ()
    assert list((tmp_path / "group").glob("*.json")) == []
    assert "No work files yet" in dashboard(work_dir=tmp_path).status.value


def test_an_uploaded_file_comes_back_under_its_own_name(tmp_path):
    board = dashboard(work_dir=tmp_path)
    data = work_bytes(tmp_path, "Ana", **{"how.voice.choices": "now"})
    upload(board, [("Ana's work <1>.json", data)])
    assert (tmp_path / "group" / "0001-Ana-s-work-1.json").read_bytes() == data
    again = dashboard(work_dir=tmp_path)
    assert again.sources == {"Ana's work <1>.json": data}
    upload(again, [("more.json", data + b" ")])
    assert (tmp_path / "group" / "0002-more.json").exists()


def test_a_group_that_cannot_be_kept_is_still_shown_with_a_plain_message(tmp_path):
    (tmp_path / "group").write_text("not a folder")
    board = dashboard(work_dir=tmp_path)
    board.demo.click()
    assert "<strong>30 participants</strong> read" in board.status.value
    assert "The files were not kept in" in board.status.value and "after a reload, add them again" in board.status.value


def test_roles_side_by_side_for_the_demo_group(tmp_path):
    board = dashboard(work_dir=tmp_path)
    board.demo.click()
    assert board.tabs.titles[6:8] == ("Roles", "Between roles")
    board.tabs.selected_index = 6
    roles = board.roles.value
    assert "Teachers (18), School leaders (5), Coaches and specialists (4), Other roles (3)." in roles
    assert "district or state staff (2)" in roles  # merged, and said so
    # 4 theme tables (4 role groups each) and one of every practice (29)
    assert roles.count("<table") == 5 and roles.count("<th scope='row'") == 16 + 29
    by_practice = roles.split("Every practice, by role")[1]
    assert by_practice.count("<td") == 29 * 4 and "mostly We do this now (" in by_practice
    # "What students learn" (6 practices), school leaders: 5 people x 6 = 30 ratings or blanks.
    leaders = roles.split("School leaders (5)</th>")[1].split("</tr>")[0]
    assert sum(int(n) for n in re.findall(r">(\d+) \(\d+%\)<", leaders)) == 30
    teachers = roles.split("Teachers (18)</th>")[1].split("</tr>")[0]  # 108 ratings or blanks
    counts = [int(n) for n in re.findall(r">(\d+) \(\d+%\)<", teachers)]
    shares = [int(n) for n in re.findall(r"\((\d+)%\)<", teachers)]
    assert sum(counts) == 108 and shares == [round(100 * n / 108) for n in counts]
    between = board.between_roles.value
    assert between.count("<li>") == 10 and "Difference" in between


def test_roles_are_not_compared_when_only_one_group_is_large_enough(tmp_path):
    board = dashboard(work_dir=tmp_path)
    files = []
    for number, role in enumerate(["teacher"] * 5 + ["school leader"] * 2):
        work = Work()
        work.participant.role = role
        work.self_assessment.ratings["how.voice.choices"] = "now"
        files.append((f"{number}.json", write_work(work, tmp_path / f"{number}.json").read_bytes()))
    upload(board, files)
    board.tabs.selected_index = 6
    for html in (board.roles.value, board.between_roles.value):
        assert "Fewer than two role groups of 3 or more people: roles are not compared" in html
        assert "school leaders (2)" in html and "<table" not in html
    assert "By role" not in board.consensus.card.value


# --- rounds of the team file -------------------------------------------------------------------


def record(screen, pid, rating, reasons):
    screen.show_filter.value = "all"
    screen.practice.value = pid
    if screen.reopen.layout.display != "none":
        screen.reopen.click()
    screen.answer.value = rating
    screen.reasons.value = reasons
    screen.record.click()
    assert screen.record_problem.value == ""


def test_the_team_keeps_rounds_and_compares_two_times(tmp_path):
    board = dashboard(work_dir=tmp_path)
    team = board.team_rounds
    assert "No round of the team's answers kept yet" in team.compare.intro.value
    assert team.compare.controls.layout.display == "none"
    board.demo.click()
    screen = board.consensus
    record(screen, "what.goals.materials", "different", "Only in grade 6.")
    record(screen, "how.voice.choices", "now", "Choice boards everywhere.")
    team.rounds.name.value = "Fall 2026"
    team.rounds.keep.click()
    saved = read_work(tmp_path / "plkit-team.json", board.framework).self_assessment.rounds
    assert [(r.name, r.ratings) for r in saved] == [
        ("Fall 2026", {"what.goals.materials": "different", "how.voice.choices": "now"})]
    assert "Fall 2026" in team.rounds.listing.value and "2 of 29" in team.rounds.listing.value
    assert team.compare.then.value == "Fall 2026" and team.compare.now.value == ""
    assert "No rating moved" in team.compare.moves.value
    # months later: two answers change, one is new; the comparison follows as they are recorded
    record(screen, "what.goals.materials", "now", "All grades now.")
    record(screen, "how.voice.choices", "different", "Fewer choices this year.")
    record(screen, "how.flexible.peers", "not-sure", "We need to look.")
    moves = team.compare.moves.value
    assert "3 practices moved" in moves and moves.count("<li>") == 3
    assert "This is different → We do this now" in moves
    assert "We do this now → This is different" in moves
    assert "Not rated → Not sure yet" in moves
    assert '<img src="data:image/png;base64,' in team.compare.chart.value
    # keep that as a second round, then compare the two rounds
    team.rounds.name.value = "Spring 2027"
    team.rounds.keep.click()
    assert [value for _, value in team.compare.now.options] == ["", "Spring 2027", "Fall 2026"]
    assert team.compare.now.options[0][0] == "The answers now"
    team.compare.then.value = "Fall 2026"
    team.compare.now.value = "Spring 2027"
    assert "between “Fall 2026” and “Spring 2027”" in team.compare.moves.value
    assert team.compare.moves.value.count("<li>") == 3
    team.compare.now.value = ""
    assert "No rating moved" not in team.compare.moves.value
    team.compare.then.value = "Spring 2027"
    assert "No rating moved between “Spring 2027” and now" in team.compare.moves.value


def test_a_team_file_with_rounds_is_compared_after_a_reload_and_its_names_are_escaped(tmp_path):
    framework = load_framework()
    work = Work(kind=TEAM)
    work.participant.team = "Lincoln"
    work.team.consensus["what.goals.materials"] = Agreement(rating="now", reasons="x", agreed_at="2027-03-01T10:00")
    sync_ratings(work, framework)
    work.self_assessment.rounds = [Round(name=HOSTILE, kept_on="2026-09-14",
                                         ratings={"what.goals.materials": "different"},
                                         notes={"what.goals": HOSTILE + " notes"})]
    work.self_assessment.notes = {"what.goals": "<b>now</b>"}
    write_work(work, tmp_path / "plkit-team.json")
    board = dashboard(work_dir=tmp_path)
    team = board.team_rounds
    assert team.compare.then.value == HOSTILE
    shown = team.compare.intro.value + team.compare.moves.value + team.rounds.listing.value
    assert HOSTILE not in shown and "<b>now</b>" not in shown
    assert "&lt;img src=x onerror=alert(1)&gt; notes" in team.compare.moves.value
    assert "This is different → We do this now" in team.compare.moves.value
    team.rounds.remove.click()
    assert HOSTILE not in team.rounds.confirm_text.value
    team.rounds.cancel_remove.click()
    assert len(team.store.work.self_assessment.rounds) == 1


def test_the_team_rounds_are_built_when_first_opened(tmp_path):
    board = dashboard(work_dir=tmp_path)
    assert board._team_rounds is None and board.rounds_section.children[0].children == ()
    board.rounds_section.selected_index = 0  # the facilitator opens "Rounds of the team's answers"
    assert board.rounds_section.children[0].children == (board.team_rounds,)
    assert "No round of the team's answers kept yet" in board.team_rounds.compare.intro.value


def test_texts_and_buttons_share_one_style_so_a_screen_has_fewer_widgets(tmp_path):
    board = dashboard(work_dir=tmp_path)
    styles = {id(w.style) for w in (board.status, board.completion, board.queue)}
    buttons = {id(w.style) for w in (board.demo, board.clear, board.prepare)}
    assert len(styles) == 1 and len(buttons) == 1
