"""The work file: round trips, migration, and at least 15 kinds of bad file."""

import json

import pytest

from plkit import PlkitError, Work, WorkFileError, read_work, write_work
from plkit.work import MAX_BYTES, VERSION, Participant, SelfAssessment, Understanding, parse_work


def sample_work() -> Work:
    return Work(
        participant=Participant(name="Amélie O'Neil", role="teacher", team="Room 12 <b>"),
        self_assessment=SelfAssessment(
            ratings={"what.competencies.standards": "now", "how.voice.choices": "different"},
            notes={"what.competencies": "Standards posted in every room"},
            evidence={"what.competencies": "Unit plans"},
            reflections={"overall.strength": "Relationships 💬"},
        ),
        understanding=Understanding(
            vignettes={"stations": ["student-centered"]},
            myths={"only-gifted": "myth"},
            reflections={"question": "Where do we start?"},
        ),
        framework="air-whwwpl",
    )


def test_round_trip_through_path_bytes_and_text(tmp_path, framework):
    work = sample_work()
    path = write_work(work, tmp_path / "w.json")
    assert read_work(path, framework) == work
    assert read_work(str(path), framework) == work
    assert read_work(path.read_bytes(), framework) == work
    assert read_work(path.read_text(encoding="utf-8"), framework) == work


def test_file_carries_format_and_version(tmp_path):
    data = json.loads(write_work(sample_work(), tmp_path / "w.json").read_text(encoding="utf-8"))
    assert data["format"] == "plkit-work"
    assert data["version"] == VERSION


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "w.json"
    write_work(sample_work(), path)
    write_work(Work(), path)
    assert [p.name for p in tmp_path.iterdir()] == ["w.json"]
    assert read_work(path) == Work()


def test_version_1_is_upgraded(framework):
    old = {
        "format": "plkit-work",
        "version": 1,
        "name": "Sam",
        "self_assessment": {
            "ratings": {"how.voice.choices": "not-sure"},
            "notes": {"how.voice": "Student council"},
        },
    }
    work = read_work(json.dumps(old), framework)
    assert work.participant.name == "Sam"
    assert work.self_assessment.ratings == {"how.voice.choices": "not-sure"}
    assert work.self_assessment.notes == {"how.voice": "Student council"}
    assert work.self_assessment.evidence == {}


def test_version_2_is_upgraded(framework):
    old = {"format": "plkit-work", "version": 2, "participant": {"name": "Ida"},
           "self_assessment": {"ratings": {"how.voice.choices": "now"}}}
    work = read_work(json.dumps(old), framework)
    assert work.participant.name == "Ida"
    assert work.understanding == Understanding()


def good() -> dict:
    return sample_work().to_dict()


def with_(change):
    data = good()
    change(data)
    return json.dumps(data).encode("utf-8")


NOTEBOOK = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()
BAD_FILES = {
    "empty": (b"", "empty"),
    "only-spaces": (b"   \n", "empty"),
    "not-json": (b"this is not json", "not in the format the kit saves"),
    "broken-json": (b"{this is not json", "damaged"),
    "truncated": (json.dumps(good()).encode()[:-20], "cut short"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not a text file"),
    "csv": (b"type,id,parent\ntheme,what,\n", "spreadsheet (CSV)"),
    "html": (b"<!DOCTYPE html><html><body>hi</body></html>", "web page"),
    "notebook": (NOTEBOOK, "Jupyter notebook"),
    "list": (b"[1, 2, 3]", "list or a single value"),
    "other-json": (b'{"name": "x", "cells": 3}', "not a plkit work file"),
    "wrong-format": (with_(lambda d: d.update(format="plkit-plan")), "not a plkit work file"),
    "future-version": (with_(lambda d: d.update(version=VERSION + 1)), "newer plkit"),
    "version-text": (with_(lambda d: d.update(version="2")), "no valid version"),
    "version-zero": (with_(lambda d: d.update(version=0)), "no valid version"),
    "ratings-list": (with_(lambda d: d["self_assessment"].update(ratings=["now"])), "the ratings"),
    "note-number": (
        with_(lambda d: d["self_assessment"]["notes"].update({"how.voice": 5})),
        "should be text",
    ),
    "participant-text": (with_(lambda d: d.update(participant="Sam")), "participant details"),
    "unknown-section": (with_(lambda d: d.update(secret={"a": 1})), "parts plkit does not know"),
    "unknown-practice": (
        with_(lambda d: d["self_assessment"]["ratings"].update({"what.made-up": "now"})),
        "not in the framework in use",
    ),
    "unknown-approach": (
        with_(lambda d: d["self_assessment"]["notes"].update({"nowhere": "x"})),
        "not in the framework in use",
    ),
    "unknown-rating": (
        with_(lambda d: d["self_assessment"]["ratings"].update({"how.voice.choices": "maybe"})),
        "ratings the kit does not know",
    ),
    "myth-answer": (with_(lambda d: d["understanding"]["myths"].update({"only-gifted": "maybe"})),
                    "myth, fact"),
    "scene-tags-text": (with_(lambda d: d["understanding"]["vignettes"].update({"stations": "agency"})),
                        "short list"),
    "oversized": (b'{"format": "plkit-work", "pad": "' + b"x" * MAX_BYTES + b'"}', "too large"),
    "huge-note": (
        with_(lambda d: d["self_assessment"]["notes"].update({"how.voice": "x" * 30_000})),
        "longer than",
    ),
    "deep-nesting": (b"[" * 100_000 + b"]" * 100_000, "damaged"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gives_a_clear_error_and_leaves_saved_work_untouched(tmp_path, framework, name):
    content, expected = BAD_FILES[name]
    saved = write_work(sample_work(), tmp_path / "plkit-work.json")
    before = saved.read_bytes()
    upload = tmp_path / "upload.json"
    upload.write_bytes(content)
    for source in (content, upload):
        with pytest.raises(WorkFileError) as caught:
            read_work(source, framework)
        error = caught.value
        assert isinstance(error, PlkitError) and isinstance(error, ValueError)
        assert expected in error.message
        assert "Traceback" not in error.message and len(error.message) < 400
    assert saved.read_bytes() == before


def test_at_least_fifteen_kinds_of_bad_file():
    assert len(BAD_FILES) >= 15


def test_missing_path_and_folder(tmp_path):
    with pytest.raises(WorkFileError, match="no work file"):
        read_work(tmp_path / "nothing.json")
    with pytest.raises(WorkFileError, match="folder"):
        read_work(tmp_path)


def test_without_a_framework_ids_are_not_checked():
    data = with_(lambda d: d["self_assessment"]["ratings"].update({"district.own": "yes"}))
    assert parse_work(data).self_assessment.ratings["district.own"] == "yes"


def test_error_messages_do_not_echo_long_user_text(framework):
    data = with_(lambda d: d["self_assessment"]["ratings"].update({"<script>" + "x" * 500: "now"}))
    with pytest.raises(WorkFileError) as caught:
        read_work(data, framework)
    assert len(caught.value.message) < 400
