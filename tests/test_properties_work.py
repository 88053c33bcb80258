"""Properties of the work file (one person's or a team's), over generated input: what the kit
saves, it opens; the reader is total; each kind of file opens only where that kind is kept."""

from __future__ import annotations

import contextlib
import json
import random

import pytest
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st
from strategies import to_bytes, work_like_json, works

from plkit import PlkitError, Work, read_work, write_work
from plkit.model import PERSONAL, TEAM
from plkit.store import WorkStore
from plkit.validation import MAX_TEXT, input_problem
from plkit.work import MAX_BYTES, parse_work, work_bytes

pytestmark = pytest.mark.properties

FRAMEWORK = None


def _framework():
    global FRAMEWORK
    if FRAMEWORK is None:
        from plkit import load_framework

        FRAMEWORK = load_framework()
    return FRAMEWORK


def _total(raw: bytes, framework=None) -> Work | None:
    """Read ``raw``: a Work or None for a PlkitError. Any other exception fails the property."""
    try:
        work = parse_work(raw, framework)
    except PlkitError as exc:
        assert exc.message and "Traceback" not in exc.message
        assert len(exc.message) < 600, "a message a teacher reads is short"
        exc.message.encode("utf-8")  # printable anywhere: no lone surrogates in messages
        return None
    assert isinstance(work, Work)
    return work


@given(work=works(_framework()))
def test_what_the_screens_make_is_saved_and_opens_equal(work, tmp_path_factory):
    assert input_problem(work) == ""
    path = tmp_path_factory.mktemp("w") / "plkit-work.json"
    write_work(work, path)
    assert len(path.read_bytes()) <= MAX_BYTES
    assert read_work(path, _framework()) == work


@given(work=works(_framework()), extra=st.integers(1, 5), box=st.sampled_from(["note", "name", "verdict"]))
def test_too_long_is_refused_with_a_message_and_nothing_saved_changes(work, extra, box, tmp_path_factory):
    folder = tmp_path_factory.mktemp("w")
    store = WorkStore(_framework(), folder, kind=work.kind)  # a team file is kept as a team's
    store.replace(work)
    before = store.path.read_bytes()
    approach = next(iter(_framework().approaches))

    def change(w: Work) -> None:
        if box == "note":
            w.self_assessment.notes[approach] = "x" * (MAX_TEXT + extra)
        elif box == "name":
            w.participant.name = "n" * (200 + extra)
        else:
            w.claims.verdict = "😀" * (MAX_TEXT + extra)

    with pytest.raises(PlkitError, match="Not saved: what you just typed is"):
        store.edit(change)
    assert store.path.read_bytes() == before
    assert store.work == read_work(store.path, _framework())


@given(document=work_like_json(_framework()))
@example(document={"format": "plkit-work", "version": 1, "self_assessment": "oops", "participant": []})
@example(document={"format": "plkit-work", "version": 1, "self_assessment": [], "name": 3})
@example(document={"format": "plkit-work", "version": 1, "self_assessment": 7})
@example(document={"format": "plkit-work", "version": 1, "self_assessment": True})
@example(document={"format": "plkit-work", "version": 4, "participant": {"name": "\ud800"}})
@example(document={"format": "plkit-work", "version": 4, "saved_at": "0001-01-01T00:00:00+05:00"})
@example(document={"format": "plkit-work", "version": 4, "saved_at": "9999-12-31T23:59:59-05:00"})
@example(document={"format": "plkit-work", "version": 4,
                   "action_plan": {"priorities": [{"title": "x", "end": "9999-12-31"}]}})
@example(document={"format": "plkit-work", "version": 4,
                   "understanding": {"vignettes": {"stations": ["not-a-tag"]}}})
@example(document={"format": "plkit-work", "version": 5, "kind": "team", "team": {"members": True}})
@example(document={"format": "plkit-work", "version": 5, "kind": "personal", "team": {"members": 2}})
@example(document={"format": "plkit-work", "version": 5, "kind": "team",
                   "team": {"consensus": {"how.voice.choices": {"rating": "now", "split": {"now": 2.0}}}}})
@example(document={"format": "plkit-work", "version": 5, "kind": "team",
                   "team": {"consensus": {"how.voice.choices": {"split": {"x" * 300: 1}}}}})
@example(document={"format": "plkit-work", "version": 5, "kind": "team", "team": {"combined": [["a"]]}})
@example(document={"format": "plkit-work", "version": 5, "kind": ["team"]})
def test_reader_is_total_over_documents_of_every_version(document, tmp_path_factory):
    raw = to_bytes(document)
    work = _total(raw)
    if work is not None:  # what is read is kept: written again, it reads back the same
        again = read_work(work_bytes(work))
        assert again == work
    _total(raw, _framework())
    path = tmp_path_factory.mktemp("r") / "upload.json"
    path.write_bytes(raw)
    with contextlib.suppress(PlkitError):
        read_work(path, _framework())
    assert path.read_bytes() == raw, "reading never changes the file"


@given(work=works(_framework()), seed=st.integers(0, 2**32), how=st.sampled_from(["cut", "flip", "insert", "swap"]))
def test_reader_is_total_over_damaged_files(work, seed, how):
    raw = bytearray(work.to_json().encode("utf-8"))
    rng = random.Random(seed)
    at = rng.randrange(len(raw))
    if how == "cut":
        raw = raw[:at]
    elif how == "flip":
        raw[at] ^= 1 << rng.randrange(8)
    elif how == "insert":
        raw[at:at] = rng.choice([b"\\ud800", b"1" * 4400, b"[" * 5000, b"\xff\xfe", b'"', b"\x00", b"NaN"])
    else:
        raw[at:at] = raw[rng.randrange(len(raw)):][:50]
    _total(bytes(raw), _framework())


@given(work=works(_framework()))
def test_a_file_is_opened_only_where_its_kind_is_kept(work, tmp_path_factory):
    """A team file is never taken in place of personal work, nor one person's file as a team's:
    the upload is refused with a plain message and what is saved stays as it was."""
    other = PERSONAL if work.is_team else TEAM
    store = WorkStore(_framework(), tmp_path_factory.mktemp("k"), kind=other)
    store.edit(lambda w: setattr(w.participant, "team", "Kept"))
    before = store.path.read_bytes()
    with pytest.raises(PlkitError) as refused:
        store.check_upload(work_bytes(work))
    assert refused.value.code == "work-kind"
    assert ("This is a team file" if work.is_team else "This is one person's work file") in refused.value.message
    assert store.path.read_bytes() == before and store.work.participant.team == "Kept"
    assert WorkStore(_framework(), store.folder, kind=work.kind).check_upload(work_bytes(work)) == work


@given(raw=st.binary(max_size=300))
@example(raw=b'{"format": "plkit-work", "version": 4, "x": ' + b"1" * 4301 + b"}")
@example(raw=b"[" * 100_000)
@example(raw=b'{"format": "plkit-work", "version": 1e400}')
@example(raw="\ufeff{}".encode())
def test_reader_is_total_over_any_bytes(raw):
    _total(raw)


@given(work=works(_framework(), team=False))
@settings(max_examples=10, phases=[Phase.explicit, Phase.reuse, Phase.generate])  # slow: no shrinking
def test_every_screen_shows_any_work_the_reader_accepts(work, tmp_path_factory):
    import plkit.ui as ui

    folder = tmp_path_factory.mktemp("s")
    write_work(work, folder / "plkit-work.json")
    for build in (ui.self_assessment, ui.understanding, ui.research_claims, ui.action_plan):
        screen = build(work_dir=folder)
        assert screen.store.problem == ""
        assert screen.store.work == work
        assert screen.progress_text.value


def test_a_file_of_every_box_full_of_emoji_is_saved_and_opens(framework, tmp_path):
    """The reproduction: fourteen notes of 20,000 emoji made a file refused as 'too large'."""
    full = "😀" * MAX_TEXT
    work = Work(framework=framework.id)
    work.self_assessment.notes = dict.fromkeys(framework.approaches, full)
    work.self_assessment.evidence = dict.fromkeys(framework.approaches, full)
    work.self_assessment.reflections = dict.fromkeys(framework.prompts, full)
    work.claims.verdict = full
    assert input_problem(work) == ""
    write_work(work, tmp_path / "w.json")
    assert len((tmp_path / "w.json").read_bytes()) > 1_000_000
    assert read_work(tmp_path / "w.json", framework) == work
    assert json.loads((tmp_path / "w.json").read_text("utf-8"))["claims"]["verdict"] == full


@given(document=work_like_json(_framework()), name=st.text(max_size=30))
@settings(max_examples=30)
def test_an_upload_is_offered_or_refused_with_a_message_and_saved_work_is_unchanged(document, name, tmp_path_factory):
    from datetime import datetime, timezone

    import plkit.ui as ui

    folder = tmp_path_factory.mktemp("u")
    screen = ui.self_assessment(work_dir=folder)
    screen.details.team.value = "Grade 7"
    before = (folder / "plkit-work.json").read_bytes()
    raw = to_bytes(document)
    screen.save_bar.upload.value = (
        {"name": name, "type": "application/json", "size": len(raw),
         "last_modified": datetime.now(timezone.utc), "content": memoryview(raw)},
    )
    message = screen.save_bar.message.value
    assert ("was not loaded, and your work is unchanged" in message) != ("Use it in place of your current work?" in message)
    assert (folder / "plkit-work.json").read_bytes() == before


@given(version=st.integers(min_value=-(10**50), max_value=10**4000))
@example(version=10**4000)
def test_any_version_number_gets_a_short_message(version):
    raw = b'{"format": "plkit-work", "version": ' + str(version).encode() + b"}"
    _total(raw)
