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
