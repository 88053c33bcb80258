"""How the hand-in service keeps hand-ins on disk: folder names any hub name fits in, folders of
the old naming, bytes kept per person and in all, files kept as the kit writes them, and what a
hand-in killed half-way leaves behind."""

from __future__ import annotations

import json
import os

import pytest

from plkit import handin_folder
from plkit.content import load_framework
from plkit.handin_folder import FULL, HandinFolder, HandinFull, folder_name
from plkit.model import Participant, Work
from plkit.work import work_bytes


def work_file(name: str, notes: str = "") -> bytes:
    """A work file; ``notes`` written as the notes of the first approaches, 15,000 characters each."""
    work = Work(participant=Participant(name=name), framework="air-whwwpl")
    approaches = list(load_framework().approaches)
    for number, start in enumerate(range(0, len(notes), 15_000)):
        work.self_assessment.notes[approaches[number]] = notes[start:start + 15_000]
    return work_bytes(work)


def files_under(root) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", ["y" * 300, "é" * 100, "名" * 200, "a" * 10_000])
def test_a_name_too_long_for_a_folder_still_hands_in_and_is_listed_and_read(tmp_path, framework, name):
    folder = HandinFolder(tmp_path, framework)
    folder.hand_in(name, work_file("Long"))
    folder.hand_in(name, work_file("Long, again"))
    [person] = list(tmp_path.iterdir())
    assert len(os.fsencode(person.name)) <= 64 and not person.name.startswith(".")
    assert [item["user"] for item in folder.listing()] == [name]
    assert folder.read(name) == work_file("Long, again")
    assert folder.handed_in_at(name) is not None
    assert len(list((person / "earlier").iterdir())) == 1


def test_names_that_differ_only_in_case_or_look_alike_get_folders_of_their_own(tmp_path, framework):
    names = ["ana", "Ana", "ana_", "аna", "ana.", "ana%2E", "..", ".", "a/b", "ａｎａ"]
    folder = HandinFolder(tmp_path, framework)
    for name in names:
        folder.hand_in(name, work_file(name))
    assert len({folder_name(name) for name in names}) == len(names)
    assert sorted(item["user"] for item in folder.listing()) == sorted(names)
    assert all(folder.read(name) == work_file(name) for name in names)


def test_a_folder_of_the_old_naming_is_read_then_moved_at_the_next_hand_in(tmp_path, framework):
    old = tmp_path / "ana%2Elee"  # how the service named "ana.lee" before
    (old / "earlier").mkdir(parents=True)
    (old / "current.json").write_bytes(work_file("Ana, before"))
    folder = HandinFolder(tmp_path, framework)
    assert [item["user"] for item in folder.listing()] == ["ana.lee"]
    assert folder.read("ana.lee") == work_file("Ana, before")
    folder.hand_in("ana.lee", work_file("Ana, after"))
    assert not old.exists()
    assert [item["user"] for item in folder.listing()] == ["ana.lee"]
    assert folder.read("ana.lee") == work_file("Ana, after")
    [kept] = (folder.person_folder("ana.lee") / "earlier").iterdir()
    assert kept.read_bytes() == work_file("Ana, before")


def test_a_padded_file_is_kept_as_the_kit_writes_it(tmp_path, framework):
    folder = HandinFolder(tmp_path, framework)
    padded = work_file("Ana").replace(b"{", b"{" + b" \n\t" * 2_600_000, 1)
    assert len(padded) > 7_800_000
    for _ in range(25):
        folder.hand_in("ana", padded)
    assert folder.read("ana") == work_file("Ana")
    assert folder.used_bytes() < 25 * 2 * len(work_file("Ana"))


def test_the_bytes_kept_for_one_person_are_bounded_the_newest_kept(tmp_path, framework, monkeypatch):
    size = len(work_file("Ana", "x" * 50_000))
    monkeypatch.setattr(handin_folder, "PERSON_BYTES", 4 * size)
    folder = HandinFolder(tmp_path, framework)
    for number in range(12):
        folder.hand_in("ana", work_file("Ana", f"{number:02d}" + "x" * 49_998))
        assert folder.used_bytes() <= 4 * size
    assert folder.read("ana") == work_file("Ana", "11" + "x" * 49_998)
    assert len(list((folder.person_folder("ana") / "earlier").iterdir())) == 2


def test_a_hand_in_past_the_total_is_refused_plainly_and_nothing_changes(tmp_path, framework):
    one = len(work_file("Ana"))
    folder = HandinFolder(tmp_path, framework, total_bytes=2 * one + 200)
    folder.hand_in("ana", work_file("Ana"))
    folder.hand_in("ben", work_file("Ben"))
    before = files_under(tmp_path)
    with pytest.raises(HandinFull) as refused:
        folder.hand_in("cleo", work_file("Cleo"))
    assert refused.value.message == FULL and "Download my work" in FULL
    assert files_under(tmp_path) == before
    folder.hand_in("ana", work_file("Ana, later"))  # one's own hand-in replaced: the earlier one gives way
    assert folder.read("ana") == work_file("Ana, later")
    assert folder.used_bytes() <= 2 * one + 200


def test_what_a_hand_in_killed_half_way_left_is_cleaned_up(tmp_path, framework):
    folder = HandinFolder(tmp_path, framework)
    folder.hand_in("ana", work_file("Ana"))
    folder.hand_in("ana", work_file("Ana, later"))
    person = folder.person_folder("ana")
    leftovers = [person / "earlier" / ".plkit-k1lled.tmp", person / ".plkit-half.tmp"]
    for leftover in leftovers:
        leftover.write_bytes(b"{half a file")
    folder.clean_all_temp_files()  # as the service does when it starts
    assert not any(leftover.exists() for leftover in leftovers)
    for leftover in leftovers:
        leftover.write_bytes(b"{half a file")
    folder.hand_in("ana", work_file("Ana, last"))  # and at the person's next hand-in
    assert not any(leftover.exists() for leftover in leftovers)


def test_the_name_file_cannot_claim_another_folder(tmp_path, framework):
    folder = HandinFolder(tmp_path, framework)
    folder.hand_in("ana", work_file("Ana"))
    person = folder.person_folder("ana")
    (person / "user.json").write_text(json.dumps({"user": "ben"}))
    assert folder.listing() == []
    assert folder.read("ben") is None
