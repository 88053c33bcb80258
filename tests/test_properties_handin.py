"""Generated inputs for the hand-in's readers (issues 14 and 19): the service reading a handed-in file
under any hub name (of any length), with any room left, kept as the kit writes it; and the workbook
reading whatever the service answers. Each gives a result or a
``PlkitError`` with a message, never another exception; a refused file changes nothing stored."""

from __future__ import annotations

import json
import os
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import ANY_JSON, personal_works, to_bytes, work_like_json

from plkit import handin
from plkit.content import load_framework
from plkit.errors import PlkitError
from plkit.handin_service import HandinFolder
from plkit.work import parse_work, work_bytes

pytestmark = pytest.mark.properties
FRAMEWORK = load_framework()
ON_HUB = {handin.URL_SETTING: "http://127.0.0.1:9/services/handin/", handin.TOKEN_SETTING: "a-token"}

FILES = st.one_of(
    st.binary(max_size=300),
    work_like_json(FRAMEWORK).map(to_bytes),
    personal_works(FRAMEWORK).map(work_bytes),
    ANY_JSON.map(lambda value: json.dumps(value).encode()),
    st.integers(1, 3000).map(lambda depth: b"[" * depth + b"]" * depth),
)


def stored(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in folder.rglob("*") if p.is_file() and p.parent.name != "earlier"}


NAMES = st.one_of(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=400),
                  st.sampled_from(["y" * 300, "é" * 100, "..", ".", "~", "%2E%2E", "ana", "Ana"]))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=NAMES, raw=FILES, room=st.integers(0, 20_000))
def test_the_service_keeps_a_file_or_refuses_it_with_a_message(tmp_path_factory, name, raw, room):
    """Any hub name, any bytes, any room left: kept as the kit writes it, or refused with nothing changed."""
    root = tmp_path_factory.mktemp("handins")
    folder = HandinFolder(root, FRAMEWORK)
    folder.hand_in("someone-else", work_bytes(handin_file()))
    folder.total_bytes = folder.used_bytes() + room
    before = stored(root)
    try:
        when = folder.hand_in(name, raw)
    except PlkitError as exc:
        assert exc.message
        assert stored(root) == before  # nothing stored changed
        return
    assert isinstance(when, datetime)
    kept = folder.read(name)
    assert kept == work_bytes(parse_work(raw, FRAMEWORK))  # as the kit writes it: no padding kept
    assert parse_work(kept, FRAMEWORK) == parse_work(raw, FRAMEWORK)
    assert folder.used_bytes() <= folder.total_bytes
    assert name in [item["user"] for item in folder.listing()]
    for path in root.rglob("*"):
        assert path.resolve().is_relative_to(root.resolve())
        assert len(os.fsencode(path.name)) <= 255


def handin_file():
    from plkit.model import Participant, Work

    return Work(participant=Participant(name="Ana"), framework=FRAMEWORK.id)


ANSWERS = st.one_of(
    st.binary(max_size=200),
    ANY_JSON.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries({"handins": st.lists(st.dictionaries(
        st.sampled_from(["user", "handed_in_at", "bytes", "x"]), ANY_JSON, max_size=4), max_size=4)}).map(
        lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries({"handed_in_at": ANY_JSON}).map(lambda value: json.dumps(value).encode()),
)


@given(answer=ANSWERS)
def test_the_workbook_reads_any_answer_of_the_service_or_says_plainly_it_cannot(monkeypatch, answer):
    monkeypatch.setattr(handin, "_request", lambda *args, **kwargs: answer)
    for call in (lambda: handin.handins(ON_HUB), lambda: handin.hand_in(b"{}", ON_HUB),
                 lambda: handin.last_handed_in(ON_HUB)):
        try:
            result = call()
        except PlkitError as exc:
            assert exc.message
        else:
            assert isinstance(result, (list, str))
