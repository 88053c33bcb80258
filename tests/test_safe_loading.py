"""Loading never loses newer work (issue 12, item 5): the kit says when a file is older than the
work on screen or someone else's, Undo right after a load or a start over brings the work back
byte for byte, and earlier copies are listed and brought back (only this kind of file's)."""

import time
from datetime import datetime, timezone

import pytest

from plkit.model import TEAM
from plkit.store import WorkStore, load_warnings
from plkit.ui import self_assessment
from plkit.ui.save_bar import SaveBar
from plkit.work import WORK_FILE_NAME, Work, read_work, write_work

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)
OLDER_MESSAGE = ("This file was saved on 12 March 2026 at 10:05, before the work on screen (saved today at "
                 "14:20). Loading it replaces newer answers.")


def work(name="", saved_at="", team="", kind="personal") -> Work:
    made = Work(framework="air-whwwpl", kind=kind, saved_at=saved_at)
    made.participant.name, made.participant.team = name, team
    return made


# --- the checks, with hand-made times and names -------------------------------------------------


def test_an_older_file_is_said_plainly_with_both_times():
    current = work(saved_at="2026-11-23T14:20:00+00:00")
    older = work(saved_at="2026-03-12T10:05:00+00:00")
    assert load_warnings(current, older, NOW) == [OLDER_MESSAGE]


def test_both_on_other_days_say_their_dates():
    current = work(saved_at="2026-11-20T09:00:00+00:00")
    older = work(saved_at="2026-11-19T17:45:00+00:00")
    assert load_warnings(current, older, NOW) == [
        "This file was saved on 19 November 2026 at 17:45, before the work on screen (saved on 20 November "
        "2026 at 09:00). Loading it replaces newer answers."]


@pytest.mark.parametrize(("on_screen", "in_file"), [
    ("2026-11-23T14:20:00+00:00", "2026-11-23T14:20:00+00:00"),  # the same time
    ("2026-11-23T14:20:00+00:00", "2026-11-23T14:21:00+00:00"),  # the file is newer
    ("2026-11-23T14:20:00+00:00", "2026-11-23T10:05:00-05:00"),  # 15:05 in London: newer, though "10:05"
    ("", "2026-03-12T10:05:00+00:00"),  # nothing saved on screen
    ("2026-11-23T14:20:00+00:00", ""),  # the file does not say
    ("2026-11-23T14:20:00+00:00", "last Tuesday"),  # not a time
])
def test_no_older_warning_unless_both_times_are_known_and_the_file_is_older(on_screen, in_file):
    assert load_warnings(work(saved_at=on_screen), work(saved_at=in_file), NOW) == []


def test_a_time_in_another_zone_is_compared_as_the_same_moment():
    current = work(saved_at="2026-11-23T14:20:00+00:00")
    older = work(saved_at="2026-11-23T09:05:00-05:00")  # 14:05 in London
    assert load_warnings(current, older, NOW) == [
        "This file was saved today at 14:05, before the work on screen (saved today at 14:20). "
        "Loading it replaces newer answers."]


def test_someone_elses_file_is_said_with_both_names():
    assert load_warnings(work("Boris V"), work("Ana Quill"), NOW) == [
        "This file is someone else's work (Ana Quill), not yours (Boris V)."]


@pytest.mark.parametrize(("on_screen", "in_file"), [
    ("Ana Quill", "Ana Quill"), ("Ana Quill", "  ana   QUILL "), ("", "Ana Quill"), ("Ana Quill", " "),
])
def test_the_same_name_or_a_missing_one_is_not_someone_elses(on_screen, in_file):
    assert load_warnings(work(on_screen), work(in_file), NOW) == []


def test_a_team_file_compares_team_names_not_peoples():
    current = work(name="Facilitator", team="Blue", kind=TEAM)
    assert load_warnings(current, work(name="Someone", team="Green", kind=TEAM), NOW) == [
        "This file is another team's work (Green), not this team's (Blue)."]
    assert load_warnings(current, work(name="Someone", team="blue", kind=TEAM), NOW) == []


def test_older_and_someone_elses_are_both_said_older_first():
    current = work("Boris V", "2026-11-23T14:20:00+00:00")
    assert load_warnings(current, work("Ana Quill", "2026-03-12T10:05:00+00:00"), NOW) == [
        OLDER_MESSAGE, "This file is someone else's work (Ana Quill), not yours (Boris V)."]


# --- the save bar, headless --------------------------------------------------------------------


@pytest.fixture
def utc(monkeypatch):
    """Local time is UTC while the test runs (the save bar says times in local time)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def upload(bar: SaveBar, content: bytes, name="plkit-work.json") -> None:
    bar.upload.value = ({"name": name, "type": "application/json", "size": len(content),
                         "last_modified": datetime.now(timezone.utc), "content": memoryview(content)},)


class Bar:
    """A save bar on its own, counting how often it asks the screen to show the work again."""

    def __init__(self, framework, folder, kind="personal") -> None:
        self.store = WorkStore(framework, folder, kind=kind)
        self.shown = 0
        self.bar = SaveBar(self.store, on_replace=self._shown)

    def _shown(self) -> None:
        self.shown += 1

    def edit(self, change) -> bytes:
        self.store.edit(change)
        self.bar.saved()
        return self.store.path.read_bytes()


def file_of(tmp_path, name="Ana <b>Quill</b>", saved_at="2026-03-12T10:05:00+00:00", rating="different") -> bytes:
    """A downloaded work file, as ``write_work`` keeps the time it was saved."""
    other = work(name, saved_at)
    other.self_assessment.ratings["how.voice.choices"] = rating
    return write_work(other, tmp_path / "download.json").read_bytes()


def test_the_warnings_show_before_anything_is_replaced(tmp_path, framework, utc):
    made = Bar(framework, tmp_path / "mine")
    before = made.edit(lambda w: (setattr(w.participant, "name", "Boris V"),
                                  w.self_assessment.ratings.update({"what.goals.materials": "now"})))
    saved_at = datetime.fromisoformat(made.store.work.saved_at)
    upload(made.bar, file_of(tmp_path))
    message = made.bar.message.value
    assert (f"before the work on screen (saved today at {saved_at:%H:%M}). Loading it replaces newer answers."
            in message)
    assert "This file was saved on 12 March 2026 at 10:05" in message
    assert "This file is someone else&#x27;s work (Ana &lt;b&gt;Quill&lt;/b&gt;), not yours (Boris V)." in message
    assert "<b>" not in message and message.count('class="plkit-problem"') == 2
    assert made.bar.choices.children == (made.bar.use_file, made.bar.keep_current)
    assert made.bar.use_file.description == "Use this file"
    assert made.bar.keep_current.description == "Keep my current work"
    assert made.store.path.read_bytes() == before and made.shown == 0
    made.bar.keep_current.click()
    assert made.store.path.read_bytes() == before


def test_a_newer_file_of_ones_own_loads_without_a_warning(tmp_path, framework):
    made = Bar(framework, tmp_path / "mine")
    made.edit(lambda w: setattr(w.participant, "name", "Ana Quill"))
    upload(made.bar, file_of(tmp_path, name="Ana Quill", saved_at="2099-01-01T00:00:00+00:00"))
    assert "plkit-problem" not in made.bar.message.value
    assert "Use it in place of your current work?" in made.bar.message.value


def test_nothing_saved_yet_means_nothing_to_warn_about(tmp_path, framework):
    made = Bar(framework, tmp_path / "mine")
    upload(made.bar, file_of(tmp_path))
    assert "plkit-problem" not in made.bar.message.value


def test_undo_right_after_a_load_brings_back_the_exact_file(tmp_path, framework):
    mine = work("Boris V", "2026-11-20T09:00:00+00:00")  # saved days ago: that time comes back too
    mine.self_assessment.ratings["what.goals.materials"] = "now"
    before = write_work(mine, tmp_path / "mine" / WORK_FILE_NAME).read_bytes()
    made = Bar(framework, tmp_path / "mine")
    upload(made.bar, file_of(tmp_path))
    made.bar.use_file.click()
    loaded = made.store.path.read_bytes()
    assert read_work(loaded).self_assessment.ratings == {"how.voice.choices": "different"}
    assert made.bar.choices.children == (made.bar.undo,)
    assert made.bar.undo.description == "Undo: bring back the work I had"
    made.bar.undo.click()
    assert made.store.path.read_bytes() == before  # byte for byte
    assert made.store.work == read_work(before)
    assert made.shown == 2  # after the load, and after the undo
    assert made.bar.choices.children == ()
    assert "Your previous work is back, exactly as it was." in made.bar.message.value
    # the loaded work is not lost either: it is the newest earlier copy
    assert made.store.backups()[0].path.read_bytes() == loaded


def test_undo_after_start_over_brings_back_the_exact_file(tmp_path, framework):
    made = Bar(framework, tmp_path / "mine")
    before = made.edit(lambda w: w.self_assessment.notes.update({"how.voice": "Council <script>"}))
    made.bar.start_over.click()
    assert "A copy of your work is kept first: Undo, or Earlier copies of my work (below)" in made.bar.message.value
    made.bar.confirm_reset.click()
    assert made.store.work.self_assessment.notes == {}
    assert made.bar.choices.children == (made.bar.undo,)
    made.bar.undo.click()
    assert made.store.path.read_bytes() == before
    assert made.store.work.self_assessment.notes == {"how.voice": "Council <script>"}


def test_undo_is_offered_only_right_after(tmp_path, framework):
    made = Bar(framework, tmp_path / "mine")
    made.edit(lambda w: w.self_assessment.ratings.update({"what.goals.materials": "now"}))
    upload(made.bar, file_of(tmp_path))
    made.bar.use_file.click()
    made.edit(lambda w: setattr(w.participant, "name", "Ana"))  # a change after the load
    assert made.bar.choices.children == ()
    assert made.bar.undo_copy is None


def test_undo_with_a_copy_gone_damaged_says_so_and_changes_nothing(tmp_path, framework):
    made = Bar(framework, tmp_path / "mine")
    made.edit(lambda w: w.self_assessment.ratings.update({"what.goals.materials": "now"}))
    upload(made.bar, file_of(tmp_path))
    made.bar.use_file.click()
    made.bar.undo_copy.write_bytes(b"{damaged")
    loaded = made.store.path.read_bytes()
    made.bar.undo.click()
    assert "could not be brought back" in made.bar.message.value and "plkit-problem" in made.bar.message.value
    assert made.store.path.read_bytes() == loaded


# --- earlier copies --------------------------------------------------------------------------------


def test_earlier_copies_are_listed_newest_first_and_brought_back_after_asking(tmp_path, framework, utc):
    made = Bar(framework, tmp_path / "mine")
    first = made.edit(lambda w: setattr(w.participant, "name", "First <i>copy</i>"))
    made.bar.start_over.click()
    made.bar.confirm_reset.click()
    second = made.edit(lambda w: setattr(w.participant, "name", "Second"))
    upload(made.bar, file_of(tmp_path, name="Loaded"))
    made.bar.use_file.click()
    current = made.store.path.read_bytes()
    (tmp_path / "mine" / "backups" / "before-20200101-000000-000000-plkit-work.json").write_bytes(b"{x")
    earlier = made.bar.earlier
    assert earlier.titles == ("Earlier copies of my work",) and earlier.selected_index is None
    assert earlier.choice.description == "Copy kept on"
    earlier.selected_index = 0  # opening the section lists the copies
    labels = [label for label, _ in earlier.choice.options]
    assert [label.split(" · ")[1] for label in labels] == ["Second", "First <i>copy</i>", "cannot be read"]
    assert labels[2] == "1 January 2020 at 00:00 · cannot be read"
    assert "It holds: Second; 0 scenes sorted" in earlier.holds.value
    earlier.choice.value = 2
    assert "cannot be read" in earlier.holds.value and earlier.bring_back.disabled
    earlier.choice.value = 1
    assert "First &lt;i&gt;copy&lt;/i&gt;" in earlier.holds.value and not earlier.bring_back.disabled
    earlier.bring_back.click()
    assert earlier.choices.children == (earlier.confirm, earlier.cancel)
    assert "A copy of your current work is kept first" in earlier.message.value
    assert made.store.path.read_bytes() == current  # asked, nothing changed yet
    earlier.cancel.click()
    assert made.store.path.read_bytes() == current
    earlier.bring_back.click()
    earlier.confirm.click()
    assert made.store.path.read_bytes() == first
    assert made.store.work.participant.name == "First <i>copy</i>"
    assert "is back, exactly as it was kept" in made.bar.message.value
    # the work it replaced is now the newest copy, and Undo brings it back
    assert earlier.choice.options[0][0].endswith("· Loaded")
    assert made.bar.choices.children == (made.bar.undo,)
    made.bar.undo.click()
    assert made.store.path.read_bytes() == current
    assert second != current


def test_the_team_files_list_never_shows_personal_copies(tmp_path, framework):
    personal = Bar(framework, tmp_path)
    personal.edit(lambda w: setattr(w.participant, "name", "Ana"))
    personal.bar.start_over.click()
    personal.bar.confirm_reset.click()
    team = Bar(framework, tmp_path, kind=TEAM)
    team.bar.earlier.selected_index = 0
    assert team.bar.earlier.titles == ("Earlier copies of the team file",)
    assert team.bar.earlier.choice.options == () and team.bar.earlier.bring_back.disabled
    assert "No earlier copies of the team file yet" in team.bar.earlier.intro.value
    team.edit(lambda w: setattr(w.participant, "team", "Blue"))
    team.bar.start_over.click()
    team.bar.confirm_reset.click()
    assert [label.split(" · ")[1] for label, _ in team.bar.earlier.choice.options] == ["Blue"]


# --- in Workbook 2 ---------------------------------------------------------------------------------


def test_workbook_2_loading_an_older_file_warns_and_undo_restores_the_newer_work(tmp_path, utc):
    screen = self_assessment(work_dir=tmp_path / "mine")
    screen.details.name.value = "Ana Quill"
    for practice in ("what.goals.materials", "how.voice.choices", "how.flexible.peers"):
        page = next(p for p in screen.pages if practice in p.ratings)
        page.ratings[practice].value = "now"
    newer = screen.store.path.read_bytes()
    bar = screen.save_bar
    upload(bar, file_of(tmp_path, name="Ana Quill"))
    assert "This file was saved on 12 March 2026 at 10:05, before the work on screen" in bar.message.value
    assert "someone else" not in bar.message.value
    bar.use_file.click()
    assert screen.pages[1].ratings["how.voice.choices"].value == "different"
    assert screen.pages[0].ratings["what.goals.materials"].value is None
    bar.undo.click()
    assert screen.store.path.read_bytes() == newer
    assert screen.pages[0].ratings["what.goals.materials"].value == "now"
    assert screen.pages[1].ratings["how.voice.choices"].value == "now"
    assert "3 of 29 practices rated" in screen.progress_text.value
