"""Properties of reading a group over generated folders: every entry named like a work file is
either a member or listed as skipped with its reason (a team file too); nothing hangs, nothing
raises, names are shown safely."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

import pytest
from folder_cases import MINIMAL, no_hang
from hypothesis import given, settings
from hypothesis import strategies as st

from plkit.content import data_dir, load_framework
from plkit.group import read_group
from plkit.model import TEAM, Participant, Team, Work
from plkit.work import MAX_BYTES

pytestmark = pytest.mark.properties

FRAMEWORK = load_framework()
DEMO = [path.read_bytes() for path in sorted((data_dir() / "demo").glob("synthetic-0*.json"))][:5]
KINDS = [
    "demo",
    "demo",
    "minimal",
    "broken",
    "random",
    "empty",
    "folder",
    "link-to-demo",
    "link-to-zero",
    "link-to-nowhere",
    "link-to-folder",
    "fifo",
    "oversized",
    "not-json",
    "team",
]
MEMBER_KINDS = {"demo", "minimal", "link-to-demo"}
TEAM_FILE = Work(framework=FRAMEWORK.id, kind=TEAM, participant=Participant(team="Grade 7"),
                 team=Team(members=2, combined=["file-0123456789", "file-abcdefabcd"])).to_json().encode()


def _shown_safely(name: str) -> bool:
    return not any(unicodedata.category(c) in ("Cs", "Cc", "Zl", "Zp") for c in name)


def file_names() -> st.SearchStrategy[bytes]:
    """File names as the file system holds them: any bytes but '/' and NUL, often not UTF-8."""
    stem = st.one_of(
        st.binary(min_size=1, max_size=20).map(
            lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_")
        ),
        st.text(
            st.characters(exclude_characters="/\x00", exclude_categories=["Cs"]),
            min_size=1,
            max_size=20,
        ).map(lambda t: t.encode("utf-8")),
        st.sampled_from(
            [
                b"<img src=x onerror=alert(1)>",
                b"\x1b[31mred",
                b"caf\xe9",
                b"\xe2\x80\xaeevil",
                b"plkit-work",
                b"-rf",
                b"..",
                b" ",
                b"a\nb",
            ]
        ),
    )
    suffix = st.sampled_from([b".json", b".json", b".JSON", b".json.txt", b""])
    return st.builds(lambda s, x: (s + x)[:200], stem, suffix).filter(
        lambda n: n not in (b".", b"..")
    )


@st.composite
def folders(draw):
    """A list of (file name, kind): what a facilitator's folder could hold."""
    names = draw(st.lists(file_names(), min_size=0, max_size=10, unique_by=lambda n: n.lower()))
    return [(name, draw(st.sampled_from(KINDS))) for name in names]


def _make(folder: Path, entries, random_bytes: bytes) -> None:
    elsewhere = folder.parent / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    (elsewhere / "demo.json").write_bytes(DEMO[0])
    for number, (name, kind) in enumerate(entries):
        path = Path(os.fsdecode(folder)) / os.fsdecode(name)
        if kind == "demo":
            path.write_bytes(DEMO[number % len(DEMO)])
        elif kind == "minimal":
            path.write_bytes(MINIMAL)
        elif kind == "broken":
            path.write_bytes(DEMO[0][: len(DEMO[0]) // 2])
        elif kind == "random":
            path.write_bytes(random_bytes)
        elif kind == "empty":
            path.write_bytes(b"")
        elif kind == "folder":
            path.mkdir()
        elif kind == "link-to-demo":
            path.symlink_to(elsewhere / "demo.json")
        elif kind == "link-to-zero":
            path.symlink_to("/dev/zero")
        elif kind == "link-to-nowhere":
            path.symlink_to(elsewhere / "nothing.json")
        elif kind == "link-to-folder":
            path.symlink_to(elsewhere)
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "team":
            path.write_bytes(TEAM_FILE)
        elif kind == "oversized":
            with path.open("wb") as handle:
                handle.truncate(MAX_BYTES + 1)  # sparse: no disk used
        else:
            path.write_text("a note, not a work file", encoding="utf-8")


def _looks_like_work(name: bytes) -> bool:
    return name.lower().endswith(b".json")


@given(folders(), st.binary(max_size=64), st.booleans())
def test_every_entry_is_a_member_or_listed_with_its_reason(entries, random_bytes, names):
    with tempfile.TemporaryDirectory() as parent:
        folder = Path(parent) / "collected"
        folder.mkdir()
        _make(folder, entries, random_bytes)
        with no_hang(3):
            group = read_group([folder], FRAMEWORK, names=names)
    expected = [(name, kind) for name, kind in entries if _looks_like_work(name)]
    assert len(group.members) + len(group.skipped) == len(expected)
    members = sum(1 for _, kind in expected if kind in MEMBER_KINDS)
    assert len(group.members) == members, (group.skipped, expected)
    for name, reason in group.skipped:
        assert _shown_safely(name) and reason.strip()
        reason.encode("utf-8")
    assert all(_shown_safely(member.source) for member in group.members)
    refused = {
        "fifo": "not an ordinary file",
        "link-to-zero": "not an ordinary file",
        "oversized": "too large",
        "folder": "a folder",
        "link-to-folder": "a folder",
        "team": "Not read: a team file (a team's agreed answers), not one person's work",
    }
    reasons = " ".join(reason for _, reason in group.skipped)
    for _, kind in expected:
        if kind in refused:
            assert refused[kind] in reasons


UPLOAD_NAMES = st.one_of(
    st.text(max_size=30), st.sampled_from(["\udce9.json", "\x00<b>x.json", "a\u2028b"])
)


@given(
    st.lists(
        st.tuples(
            UPLOAD_NAMES,
            st.one_of(st.sampled_from(DEMO + [MINIMAL, TEAM_FILE, b"", b"{"]), st.binary(max_size=64)),
        ),
        max_size=8,
    )
)
def test_uploads_are_members_or_listed_with_their_reason(uploads):
    group = read_group(uploads, FRAMEWORK, names=True)
    assert len(group.members) + len(group.skipped) == len(uploads)
    teams = sum(1 for _, data in uploads if data == TEAM_FILE)
    assert sum(1 for _, reason in group.skipped if "a team file" in reason) == teams
    assert all(_shown_safely(name) for name, _ in group.skipped)
    assert all(_shown_safely(m.source) and _shown_safely(m.label) for m in group.members)


@settings(max_examples=max(5, settings.default.max_examples // 6))
@given(folders(), st.binary(max_size=64))
def test_the_dashboard_shows_the_true_count_of_files_left_out(entries, random_bytes):
    from plkit.ui import dashboard

    with tempfile.TemporaryDirectory() as parent:
        board = dashboard(work_dir=Path(parent) / "work")  # the dashboard keeps its group there
        folder = Path(parent) / "collected"
        folder.mkdir()
        _make(folder, entries, random_bytes)
        board.folder.value = str(folder)
        with no_hang(3):
            board.read_folder.click()
    expected = [(name, kind) for name, kind in entries if _looks_like_work(name)]
    if not expected:
        return
    left_out = int(
        re.search(r"files left out: ([\d,]+)\.", board.status.value).group(1).replace(",", "")
    )
    assert len(board.group.members) + left_out == len(expected)
    assert "\udce9" not in board.status.value
