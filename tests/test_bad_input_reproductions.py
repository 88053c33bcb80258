"""Every reproduction in issue 10 about work files and the screens, each held by a named test.

(Frameworks, folders and the command line have theirs in test_content, test_group and test_cli;
charts and pages in test_report.)
"""

from __future__ import annotations

import errno
from datetime import date

import pytest

from plkit import PlkitError, read_work, write_work
from plkit.cli import main as plkit
from plkit.content import data_dir
from plkit.ui import action_plan, self_assessment, understanding
from plkit.validation import MAX_TEXT
from plkit.work import WORK_FILE_NAME, Work

V1_STRING_SECTION = b'{"format": "plkit-work", "version": 1, "self_assessment": "oops", "participant": []}'


def test_20001_characters_in_a_notes_box_are_refused_kept_on_screen_and_the_file_still_opens(tmp_path):
    screen = self_assessment(work_dir=tmp_path)
    approach = next(iter(screen.pages[0].notes))
    box = screen.pages[0].notes[approach]
    box.value = "A first note."
    pasted = "x" * (MAX_TEXT + 1)
    box.value = pasted
    assert "Not saved" in screen.save_bar.message.value
    assert "20,001 characters" in screen.save_bar.message.value
    assert "20,000" in screen.save_bar.message.value
    assert box.value == pasted, "what was typed stays on screen, never silently cut"
    assert "Too long to save: 20,001 characters (at most 20,000)" in box.description, "said beside the box"
    assert read_work(tmp_path / WORK_FILE_NAME).self_assessment.notes[approach] == "A first note."
    again = self_assessment(work_dir=tmp_path)  # the next open: nothing is "damaged"
    assert again.store.problem == ""
    assert again.pages[0].notes[approach].value == "A first note."
    box.value = "Shorter now."  # once shortened, it saves and the message goes
    assert "Not saved" not in screen.save_bar.message.value
    assert box.description == "Notes on approach 1"
    assert read_work(tmp_path / WORK_FILE_NAME).self_assessment.notes[approach] == "Shorter now."


def test_each_box_shows_its_limit(tmp_path):
    screen = self_assessment(work_dir=tmp_path)
    assert "20,000 characters" in next(iter(screen.pages[0].notes.values())).placeholder
    assert "200 characters" in screen.details.name.placeholder
    assert "200 characters" in screen.details.name.tooltip


def test_a_name_longer_than_its_box_is_refused(tmp_path):
    screen = self_assessment(work_dir=tmp_path)
    screen.details.name.value = "N" * 201
    assert "holds at most 200" in screen.save_bar.message.value
    assert not (tmp_path / WORK_FILE_NAME).exists()


def test_a_lone_surrogate_typed_is_refused_and_every_later_save_still_works(tmp_path):
    screen = self_assessment(work_dir=tmp_path)
    screen.details.name.value = "Ana \ud800"
    assert "not valid text" in screen.save_bar.message.value
    screen.details.team.value = "Grade 7"
    work = read_work(tmp_path / WORK_FILE_NAME)
    assert (work.participant.name, work.participant.team) == ("", "Grade 7")
    screen.save_bar.refresh()  # the download link is built from the saved work
    assert "Download my work" in screen.save_bar.download.value


@pytest.mark.parametrize(
    "raw",
    [
        V1_STRING_SECTION,
        b'{"format": "plkit-work", "version": 1, "self_assessment": [1, 2]}',
        b'{"format": "plkit-work", "version": 1, "self_assessment": 12}',
        b'{"format": "plkit-work", "version": 1, "self_assessment": false}',
        b'{"format": "plkit-work", "version": 4, "claims": {"verdict": ' + b"7" * 4301 + b"}}",
        b'{"format": "plkit-work", "version": 4, "participant": {"name": "\\ud800"}}',
        b'{"format": "plkit-work", "version": 4, "self_assessment": {"notes": {"x": "\\udfff"}}}',
        b'{"format": "plkit-work", "version": 4, "saved_at": "0001-01-01T00:00:00+05:00"}',
        b'{"format": "plkit-work", "version": 4, "saved_at": "9999-12-31T23:59:59-05:00"}',
        b'{"format": "plkit-work", "version": 4, "action_plan": {"priorities": [{"title": "A", "end": "9999-12-31"}]}}',
    ],
    ids=["v1 string", "v1 list", "v1 number", "v1 bool", "4301 digits", "surrogate name",
         "surrogate note", "year 1", "year 9999", "end 9999-12-31"],
)
def test_a_bad_file_gets_a_plain_message_and_stays_unchanged(raw, tmp_path, framework):
    with pytest.raises(PlkitError) as caught:
        read_work(raw, framework)
    assert "work file" in caught.value.message
    saved = tmp_path / WORK_FILE_NAME
    saved.write_bytes(raw)
    screen = self_assessment(work_dir=tmp_path)  # the workbook that opens it
    assert "could not be opened" in screen.save_bar.message.value
    kept = list((tmp_path / "backups").iterdir())
    assert [p.read_bytes() for p in kept] == [raw], "kept aside, byte for byte"


def test_one_bad_file_does_not_stop_validate_or_the_group(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_bytes(V1_STRING_SECTION)
    assert plkit(["validate", str(bad)]) == 1
    assert "Problem:" in capsys.readouterr().err
    folder = tmp_path / "g"
    folder.mkdir()
    for path in sorted((data_dir() / "demo").glob("synthetic-000*.json")):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "bad.json").write_bytes(V1_STRING_SECTION)
    out = tmp_path / "r.html"
    assert plkit(["group", str(folder), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "9 participants" in said and "skipped bad.json" in said
    assert out.exists()


def test_an_unknown_scene_tag_does_not_stop_workbook_1(tmp_path, framework):
    work = Work(framework=framework.id)
    work.understanding.vignettes = {"stations": ["agency", "a-tag-from-another-kit"]}
    write_work(work, tmp_path / WORK_FILE_NAME)
    screen = understanding(work_dir=tmp_path)
    assert screen.store.problem == ""
    ticked = [tag for tag, box in screen.sorter.tags.items() if box.value]
    assert ticked == ["agency"]


def test_a_plan_date_out_of_range_is_refused_and_the_timeline_still_draws(tmp_path):
    screen = action_plan(work_dir=tmp_path)
    screen.own_title.value = "Raise funds for laptops"
    screen.add_own.click()
    card = screen.cards[0]
    card.start.value = date(2026, 9, 1)
    card.end.value = date(9999, 12, 31)
    assert "between 2000 and 2100" in card.problem.value
    saved = read_work(tmp_path / WORK_FILE_NAME).action_plan.priorities[0]
    assert (saved.start, saved.end) == ("2026-09-01", "")


def test_a_save_that_cannot_be_written_says_so_and_loses_nothing_already_saved(tmp_path, monkeypatch):
    screen = self_assessment(work_dir=tmp_path)
    screen.details.team.value = "Grade 7"
    before = (tmp_path / WORK_FILE_NAME).read_bytes()

    def disk_full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("plkit.work.os.replace", disk_full)
    screen.details.name.value = "Ana"
    assert "could not be saved (No space left on device)" in screen.save_bar.message.value
    assert (tmp_path / WORK_FILE_NAME).read_bytes() == before
    assert not list(tmp_path.glob(".plkit-*.tmp"))
    monkeypatch.undo()
    screen.details.name.value = "Ana B"
    assert read_work(tmp_path / WORK_FILE_NAME).participant.name == "Ana B"


def test_a_pipe_or_a_device_is_refused_without_waiting_or_reading_without_end(tmp_path, framework):
    import os

    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "zero.json").symlink_to("/dev/zero")
    for name in ("pipe.json", "zero.json"):
        with pytest.raises(PlkitError, match="not an ordinary file"):
            read_work(tmp_path / name, framework)


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from plkit import files
    from plkit import work as work_module

    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(work_module.MAX_BYTES + 1)  # sparse: no disk used
    reads, real_read = [], files.os.read

    def spy(fd, size):
        reads.append(size)
        return real_read(fd, size)

    monkeypatch.setattr(files.os, "read", spy)
    with pytest.raises(PlkitError, match="too large"):
        read_work(big)
    assert reads == [], "nothing was read"
