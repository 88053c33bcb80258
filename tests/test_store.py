"""Autosave: every change saved, bad files kept aside, backups, and workbooks sharing one file."""

import json

import pytest

from plkit import PlkitError, read_work, write_work
from plkit.store import WorkStore
from plkit.work import WORK_FILE_NAME, Work


def test_nothing_is_written_until_a_change(tmp_path, framework):
    store = WorkStore(framework, tmp_path)
    assert store.work == Work(framework="air-whwwpl")
    assert not (tmp_path / WORK_FILE_NAME).exists()


def test_each_edit_is_saved_and_reloaded(tmp_path, framework):
    store = WorkStore(framework, tmp_path)
    store.edit(lambda w: w.self_assessment.ratings.update({"how.voice.choices": "now"}))
    again = WorkStore(framework, tmp_path)
    assert again.work.self_assessment.ratings == {"how.voice.choices": "now"}
    assert again.work.saved_at
    assert again.problem == ""


def test_env_variable_chooses_the_folder(tmp_path, framework, monkeypatch):
    monkeypatch.setenv("PLKIT_WORK_DIR", str(tmp_path / "elsewhere"))
    store = WorkStore(framework)
    assert store.path == tmp_path / "elsewhere" / WORK_FILE_NAME


def test_unreadable_saved_file_is_kept_aside_unchanged(tmp_path, framework):
    path = tmp_path / WORK_FILE_NAME
    path.write_bytes(b'{"format": "plkit-work", "version": 99}')
    store = WorkStore(framework, tmp_path)
    assert "newer plkit" in store.problem
    kept = list((tmp_path / "backups").iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == b'{"format": "plkit-work", "version": 99}'
    assert kept[0].name in store.problem
    assert store.work.self_assessment.ratings == {}


def test_two_workbooks_never_overwrite_each_other(tmp_path, framework):
    first, second = WorkStore(framework, tmp_path), WorkStore(framework, tmp_path)
    first.edit(lambda w: w.self_assessment.ratings.update({"how.voice.choices": "now"}))
    second.edit(lambda w: w.self_assessment.notes.update({"how.voice": "council"}))
    first.edit(lambda w: setattr(w.participant, "name", "Ana"))
    saved = read_work(tmp_path / WORK_FILE_NAME, framework)
    assert saved.self_assessment.ratings == {"how.voice.choices": "now"}
    assert saved.self_assessment.notes == {"how.voice": "council"}
    assert saved.participant.name == "Ana"


def test_bad_upload_changes_nothing(tmp_path, framework):
    store = WorkStore(framework, tmp_path)
    store.edit(lambda w: w.self_assessment.ratings.update({"how.voice.choices": "now"}))
    before = store.path.read_bytes()
    with pytest.raises(PlkitError):
        store.check_upload(b"not a work file")
    assert store.path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_replace_and_start_over_keep_a_backup(tmp_path, framework):
    store = WorkStore(framework, tmp_path)
    store.edit(lambda w: w.self_assessment.ratings.update({"how.voice.choices": "now"}))
    before = store.path.read_bytes()
    other = Work()
    other.self_assessment.ratings["what.goals.materials"] = "different"
    kept = store.replace(other)
    assert kept.read_bytes() == before
    assert read_work(store.path).self_assessment.ratings == {"what.goals.materials": "different"}
    kept_again = store.start_over()
    assert json.loads(kept_again.read_text())["self_assessment"]["ratings"] == {
        "what.goals.materials": "different"
    }
    assert read_work(store.path).self_assessment.ratings == {}
    assert len(list((tmp_path / "backups").iterdir())) == 2


def test_refresh_ignores_a_damaged_file_and_the_next_save_repairs_it(tmp_path, framework):
    store = WorkStore(framework, tmp_path)
    store.edit(lambda w: w.self_assessment.ratings.update({"how.voice.choices": "now"}))
    store.path.write_text("{broken")
    assert store.refresh() is False
    store.edit(lambda w: w.self_assessment.ratings.update({"how.voice.facilitators": "now"}))
    assert len(read_work(store.path).self_assessment.ratings) == 2


def test_saved_file_is_valid_for_the_framework(tmp_path, framework):
    store = WorkStore(framework, tmp_path)
    store.edit(lambda w: w.self_assessment.reflections.update({"overall.shifts": "Pacing"}))
    write_work(store.work, tmp_path / "copy.json")
    assert read_work(tmp_path / "copy.json", framework).framework == "air-whwwpl"


# --- earlier copies: listed newest first, brought back exactly ---------------------------------

def rated(store, practice, rating):
    store.edit(lambda w: w.self_assessment.ratings.update({practice: rating}))
    return store.path.read_bytes()


def test_backups_are_listed_newest_first_with_what_they_hold(tmp_path, framework):
    store = WorkStore(framework, tmp_path)
    assert store.backups() == []
    first = rated(store, "how.voice.choices", "now")
    kept_first = store.replace(Work())
    second = rated(store, "what.goals.materials", "different")
    kept_second = store.start_over()
    listed = store.backups()
    assert [b.path for b in listed] == [kept_second, kept_first]
    assert listed[0].when > listed[1].when
    assert [b.path.read_bytes() for b in listed] == [second, first]
    assert listed[0].work.self_assessment.ratings == {"what.goals.materials": "different"}
    assert listed[1].work.self_assessment.ratings == {"how.voice.choices": "now"}


def test_a_backup_is_brought_back_byte_for_byte_and_the_current_work_kept(tmp_path, framework):
    earlier = Work(saved_at="2026-03-12T10:05:00+00:00")  # saved long ago: its time comes back too
    earlier.self_assessment.ratings["how.voice.choices"] = "now"
    mine = write_work(earlier, tmp_path / WORK_FILE_NAME).read_bytes()
    store = WorkStore(framework, tmp_path)
    kept = store.replace(Work())
    loaded = store.path.read_bytes()
    kept_now = store.restore(kept)
    assert store.path.read_bytes() == mine
    assert kept_now.read_bytes() == loaded
    assert store.work.self_assessment.ratings == {"how.voice.choices": "now"}
    assert WorkStore(framework, tmp_path).work == store.work
    # the next change is made to the work brought back
    store.edit(lambda w: setattr(w.participant, "name", "Ana"))
    assert read_work(store.path).self_assessment.ratings == {"how.voice.choices": "now"}


def test_a_damaged_backup_is_listed_as_such_and_refused(tmp_path, framework):
    store = WorkStore(framework, tmp_path)
    mine = rated(store, "how.voice.choices", "now")
    kept = store.replace(Work())
    kept.write_bytes(b"{broken")
    current = store.path.read_bytes()
    [listed] = store.backups()
    assert listed.path == kept and listed.work is None
    with pytest.raises(PlkitError) as refused:
        store.restore(kept)
    assert "could not be brought back" in refused.value.message
    assert "Your work is unchanged" in refused.value.message
    assert store.path.read_bytes() == current != mine
    assert len(list((tmp_path / "backups").iterdir())) == 1  # no backup made for a refused restore


def test_a_copy_from_outside_the_backups_folder_is_refused(tmp_path, framework):
    store = WorkStore(framework, tmp_path)
    rated(store, "how.voice.choices", "now")
    stray = write_work(Work(), tmp_path / "before-20260101-000000-000000-plkit-work.json")
    with pytest.raises(PlkitError) as refused:
        store.restore(stray)
    assert "not one of the copies kept here" in refused.value.message


def test_the_team_store_never_lists_or_restores_personal_backups(tmp_path, framework):
    from plkit.model import TEAM

    personal = WorkStore(framework, tmp_path)
    rated(personal, "how.voice.choices", "now")
    personal_copy = personal.start_over()
    team = WorkStore(framework, tmp_path, kind=TEAM)
    assert team.backups() == []
    with pytest.raises(PlkitError):
        team.restore(personal_copy)
    team.edit(lambda w: setattr(w.participant, "team", "Blue"))
    team_copy = team.start_over()
    assert [b.path for b in team.backups()] == [team_copy]
    assert [b.path for b in personal.backups()] == [personal_copy]
    # a personal file that found its way under a team file's name reads as unreadable there
    team_copy.write_bytes(personal_copy.read_bytes())
    assert team.backups()[0].work is None
    with pytest.raises(PlkitError) as refused:
        team.restore(team_copy)
    assert "one person's work file" in refused.value.message
