"""Properties of the content readers over generated files: a valid result, or a ContentError whose
short, plain message names the file (and, for a cell, its row and column); never anything else."""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given
from strategies_frameworks import FRAMEWORK_ROWS, content_edits, framework_csvs

from plkit.claims import load_claims
from plkit.content import RESERVED_RATING_IDS, Framework, data_dir, load_framework
from plkit.errors import ContentError
from plkit.understanding import load_understanding

pytestmark = pytest.mark.properties

# A message starts with the file's name, then (for a cell or a row) where it is, then what to do.
_WHERE = r"(, row \d+(, column [A-Z]+( \([^)]*\))?)?)?: \S"
_NOT_TEXT = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def assert_plain(error: ContentError, name: str, longest: int) -> None:
    """A message a teacher can read: names the file, says where, short, and valid text."""
    message = error.message
    assert re.match(re.escape(name) + _WHERE, message), message
    assert len(message) <= longest, f"{len(message)} characters: {message[:200]}…"
    assert not _NOT_TEXT.search(message), ascii(message)
    message.encode("utf-8")
    if error.code == "content-encoding" and "UTF-16" not in message:
        assert re.match(re.escape(name) + r", row \d+, column [A-Z]+", message), message
        assert "'CSV UTF-8'" in message


def assert_usable(framework: Framework) -> None:
    """What a loaded framework promises the rest of the kit."""
    assert len(framework.scale) >= 2 and not set(framework.rating_ids) & RESERVED_RATING_IDS
    assert len(set(framework.rating_ids)) == len(framework.rating_ids)
    assert framework.themes and all(theme.approaches for theme in framework.themes)
    for practice in framework.practices.values():
        assert framework.theme_of(practice.id) in framework.themes
    for text in (
        framework.id,
        framework.title,
        *(p.text for p in framework.practices.values()),
        *(o.label for o in framework.scale),
    ):
        assert text.strip() or text == framework.title
        assert not _NOT_TEXT.search(text.replace("\n", " ").replace("\t", " ").replace("\r", " "))
        text.encode("utf-8")
    assert len(framework.id) <= 80


def _shipped_with(change) -> bytes:
    rows = [list(row) for row in FRAMEWORK_ROWS]
    change(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _row(rows, row_id):
    return next(row for row in rows if len(row) > 1 and row[1] == row_id)


@given(framework_csvs())
@example((data_dir() / "framework.csv").read_bytes())
@example(_shipped_with(lambda rows: _row(rows, "not-sure").__setitem__(1, "unrated")))
@example(
    (data_dir() / "framework.csv")
    .read_text(encoding="utf-8")
    .replace("Students", "Élèves")
    .encode("cp1252")
)
@example(
    _shipped_with(
        lambda rows: _row(rows, "how.voice.choices").__setitem__(3, "Raise $$ for laptops")
    )
)
@example(b"\xff\xfe" + "type,id\n".encode("utf-16-le"))
def test_load_framework_gives_a_framework_or_a_plain_message(raw):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "district.csv"
        path.write_bytes(raw)
        try:
            framework = load_framework(path)
        except ContentError as exc:
            assert_plain(exc, "district.csv", longest=600)
            return
    assert_usable(framework)


def _load_edited(folder_name: str, name: str, raw: bytes, load):
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / folder_name
        shutil.copytree(data_dir() / folder_name, copy)
        (copy / name).write_bytes(raw)
        return load(copy)


def _total_loader(folder_name: str, load, edit) -> None:
    name, raw = edit
    try:
        _load_edited(folder_name, name, raw, load)
    except ContentError as exc:
        # The file named may be another one of the folder (a claim's answers are checked
        # against claims.csv): any of its files. Cell values are quoted whole by these loaders.
        names = sorted(path.name for path in (data_dir() / folder_name).glob("*.csv"))
        named = next((n for n in names if exc.message.startswith(n)), None)
        assert named, exc.message[:200]
        assert_plain(exc, named, longest=5_000)


@given(content_edits("understanding"))
def test_load_understanding_gives_content_or_a_plain_message(edit):
    _total_loader("understanding", load_understanding, edit)


@given(content_edits("claims"))
def test_load_claims_gives_content_or_a_plain_message(edit):
    _total_loader("claims", load_claims, edit)


def test_a_superscript_digit_as_a_question_number_is_a_plain_message():
    with open(data_dir() / "understanding" / "myths.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][4] = "²"  # myths.csv, row 2, column E (faq)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    with pytest.raises(ContentError, match=r"myths.csv, row 2, column E \(faq\)"):
        _load_edited(
            "understanding", "myths.csv", buffer.getvalue().encode("utf-8"), load_understanding
        )
