"""The shipped framework, and clear messages for a malformed district framework."""

import csv
import io

import pytest
from folder_cases import ascii_failures, no_hang

from plkit import ContentError, PlkitError, load_framework
from plkit.content import FRAMEWORK_FILE, data_dir


def test_shipped_framework_has_the_seed_structure(framework):
    assert [t.id for t in framework.themes] == ["what", "how", "when-where", "assessed"]
    assert [len(t.approaches) for t in framework.themes] == [2, 4, 1, 1]
    assert [len(t.practices) for t in framework.themes] == [6, 12, 5, 6]
    assert len(framework.practices) == 29
    assert framework.rating_ids == ("now", "different", "not-sure")
    assert framework.rating_label("different") == "This is different"


def test_every_theme_has_resources_and_prompts(framework):
    for theme in framework.themes:
        assert theme.resources, theme.id
        assert len(theme.prompts) >= 2, theme.id
    assert len(framework.overall_prompts) >= 3


def test_every_item_has_a_source_and_stable_id():
    with open(data_dir() / FRAMEWORK_FILE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    assert all(row["source"].strip() for row in rows)
    seed_derived = [
        row for row in rows if row["type"] in ("theme", "approach", "practice", "resource")
    ]
    assert all("AIR" in row["source"] for row in seed_derived)


def test_technology_approach_is_split_into_practices(framework):
    technology = framework.approaches["how.technology"]
    assert len(technology.practices) >= 2


def test_theme_of_practice(framework):
    assert framework.theme_of("assessed.authentic.timing").id == "assessed"


def _shipped_rows():
    with open(data_dir() / FRAMEWORK_FILE, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(tmp_path, rows, name="district.csv"):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_a_district_framework_loads(tmp_path):
    rows = [
        ["type", "id", "parent", "text", "detail", "source"],
        ["scale", "yes", "", "In place", "", "District rubric"],
        ["scale", "no", "", "Not yet", "", "District rubric"],
        ["theme", "culture", "", "School culture", "Intro", "District rubric p.2"],
        ["approach", "culture.voice", "culture", "Student voice", "", "District rubric p.2"],
        [
            "practice",
            "culture.voice.council",
            "culture.voice",
            "A student council meets monthly",
            "",
            "p.2",
        ],
    ]
    framework = load_framework(_write(tmp_path, rows))
    assert framework.id == "district"
    assert list(framework.practices) == ["culture.voice.council"]
    assert framework.rating_ids == ("yes", "no")


def _broken(tmp_path, change):
    rows = _shipped_rows()
    change(rows)
    return _write(tmp_path, rows)


def _find(rows, row_id):
    return next(i for i, row in enumerate(rows) if len(row) > 1 and row[1] == row_id)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: r[0].remove("source"), "row 1: the column 'source' is missing"),
        (
            lambda r: r[_find(r, "what.goals")].__setitem__(0, "aproach"),
            "'aproach' is not a known type",
        ),
        (lambda r: r[_find(r, "what.goals")].__setitem__(1, "What Goals"), "column B (id)"),
        (
            lambda r: r[_find(r, "what.goals.profiles")].__setitem__(1, "what.goals.materials"),
            "is already used in row",
        ),
        (
            lambda r: r[_find(r, "what.goals.profiles")].__setitem__(2, "what.nothing"),
            "column C (parent): a practice belongs to a approach",
        ),
        (
            lambda r: r[_find(r, "what.goals.profiles")].__setitem__(3, "  "),
            "column D (text): the text is empty",
        ),
        (lambda r: r[_find(r, "what.goals.profiles")].__setitem__(5, ""), "column F (source)"),
        (
            lambda r: r[_find(r, "what.goals.profiles")].append("extra, cell"),
            "this row has 7 cells",
        ),
    ],
    ids=[
        "missing-column",
        "unknown-type",
        "bad-id",
        "duplicate-id",
        "unknown-parent",
        "empty-text",
        "no-source",
        "extra-cell",
    ],
)
def test_malformed_framework_names_file_row_and_column(tmp_path, change, expected):
    path = _broken(tmp_path, change)
    with pytest.raises(ContentError) as caught:
        load_framework(path)
    message = caught.value.message
    assert message.startswith("district.csv")
    assert expected in message
    if "row 1" not in expected:
        assert ", row " in message


def test_row_number_is_the_spreadsheet_row(tmp_path):
    rows = _shipped_rows()
    index = _find(rows, "what.goals.profiles")
    rows[index][3] = ""
    with pytest.raises(ContentError, match=f"row {index + 1}, column D"):
        load_framework(_write(tmp_path, rows))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfe\x00b\x00a\x00d", "not as CSV UTF-8"),
        (
            b"type,id,parent,text,detail,source\nscale,x,,X,,s\nscale,y,,Y,,s\ntheme,a,,A,,src\n",
            "has no approaches",
        ),
        (
            b"type,id,parent,text,detail,source\nscale,x,,X,,s\nscale,y,,Y,,s\n",
            "at least one 'theme'",
        ),
        (b"type,id,parent,text,detail,source\nscale,x,,X,,s\n", "at least two 'scale'"),
    ],
    ids=["empty", "not-utf8", "theme-without-approach", "no-theme", "one-rating"],
)
def test_bad_framework_files(tmp_path, content, expected):
    path = tmp_path / "mine.csv"
    path.write_bytes(content)
    with pytest.raises(PlkitError, match=expected):
        load_framework(path)


def test_missing_framework_file(tmp_path):
    with pytest.raises(ContentError, match="not found"):
        load_framework(tmp_path / "nope.csv")


def test_content_error_is_a_value_error_with_a_code(tmp_path):
    with pytest.raises(ValueError) as caught:
        load_framework(tmp_path / "nope.csv")
    assert caught.value.code == "content-missing"


def test_env_variable_chooses_the_framework_for_every_workbook(tmp_path, monkeypatch):
    rows = _shipped_rows()
    rows[_find(rows, "air-whwwpl")][3] = "Our district's framework"
    monkeypatch.setenv("PLKIT_FRAMEWORK", str(_write(tmp_path, rows)))
    assert load_framework().title == "Our district's framework"
    assert load_framework(data_dir() / FRAMEWORK_FILE).title.startswith("The What")


# --- issue 10: every framework file gives a framework or a plain message ----------------------


def _shipped_text():
    return (data_dir() / FRAMEWORK_FILE).read_text(encoding="utf-8")


def _refused(path, *expected):
    with pytest.raises(ContentError) as caught:
        load_framework(path)
    for part in expected:
        assert part in caught.value.message
    return caught.value.message


def test_rating_id_unrated_is_refused(tmp_path):
    """Issue 10: a scale id 'unrated' was accepted and its answers vanished from the report."""
    rows = _shipped_rows()
    rows[_find(rows, "not-sure")][1] = "unrated"
    path = _write(tmp_path, rows)
    row = _find(rows, "unrated") + 1
    _refused(path, f"district.csv, row {row}, column B (id)", "'unrated' cannot be a rating id")


def test_every_id_the_kit_reserves_is_the_one_analysis_uses():
    from plkit.analysis import UNRATED
    from plkit.content import RESERVED_RATING_IDS

    assert UNRATED in RESERVED_RATING_IDS


def test_cp1252_framework_names_the_row_and_says_save_as_csv_utf8(tmp_path):
    """Issue 10: a CSV saved as cp1252 was refused without the row, or what to do."""
    rows = _shipped_rows()
    index = _find(rows, "what.goals.profiles")
    rows[index][3] = "Learners’ profiles – café"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "district.csv"
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    _refused(path, f"district.csv, row {index + 1}, column D (text)", "not UTF-8", "'CSV UTF-8'")


def test_row_of_a_bad_byte_counts_rows_not_lines(tmp_path):
    """A cell holding line breaks is one spreadsheet row: the row named is the spreadsheet's."""
    rows = _shipped_rows()
    rows[_find(rows, "what")][4] = "one\ntwo\nthree"
    index = _find(rows, "what.goals.materials")
    rows[index][5] = "Fundación"
    path = _write(tmp_path, rows)
    path.write_bytes(path.read_bytes().replace("Fundación".encode(), "Fundación".encode("latin-1")))
    _refused(path, f"row {index + 1}, column F (source)")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_framework_says_save_as_csv_utf8(tmp_path, encoding):
    path = tmp_path / "district.csv"
    path.write_bytes(_shipped_text().encode(encoding))
    _refused(path, "district.csv: the file is saved as UTF-16", "'CSV UTF-8'")


def test_a_byte_order_mark_and_windows_line_ends_are_fine(tmp_path):
    path = tmp_path / "district.csv"
    path.write_bytes(b"\xef\xbb\xbf" + _shipped_text().replace("\n", "\r\n").encode("utf-8"))
    assert len(load_framework(path).practices) == 29


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\x00", "control character (U+0000)"),
        (b"\x1b[31m", "control character (U+001B)"),
        (b"\xc2\x85", "control character (U+0085)"),
        (b"\xed\xa0\x80", "not UTF-8 text"),  # a lone surrogate, written as UTF-8 would write it
        (b"\xff", "not UTF-8 text"),
    ],
    ids=["nul", "escape", "c1-control", "lone-surrogate", "stray-byte"],
)
def test_text_that_is_not_valid_unicode_is_refused_by_row_and_column(tmp_path, raw, expected):
    rows = _shipped_rows()
    index = _find(rows, "how.voice.choices")
    rows[index][3] = "Students choose MARK"
    path = _write(tmp_path, rows)
    path.write_bytes(path.read_bytes().replace(b"MARK", raw))
    _refused(path, f"district.csv, row {index + 1}, column D (text)", expected)


def test_tabs_and_line_breaks_in_a_cell_are_text(tmp_path):
    rows = _shipped_rows()
    rows[_find(rows, "how.voice.choices")][3] = "Students\tchoose\r\nhow"
    assert "\t" in load_framework(_write(tmp_path, rows)).practices["how.voice.choices"].text


def test_sizes_are_bounded(tmp_path):
    from plkit.tables import MAX_CELL, MAX_COLUMNS, MAX_CONTENT_BYTES, MAX_ROWS

    rows = _shipped_rows()
    index = _find(rows, "how.voice.choices")
    rows[index][3] = "x" * (MAX_CELL + 1)
    _refused(_write(tmp_path, rows), f"row {index + 1}, column D (text)", "at most 4,000")
    rows = _shipped_rows() + [["resource", f"r{i}", "what", "R", "", "s"] for i in range(MAX_ROWS)]
    _refused(_write(tmp_path, rows), f"more than {MAX_ROWS:,} rows")
    rows = _shipped_rows()
    rows[3] = rows[3] + [""] * MAX_COLUMNS
    _refused(_write(tmp_path, rows), "row 4: this row has")
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * (MAX_CONTENT_BYTES + 1))
    _refused(path, "big.csv: it is too large")


@pytest.mark.parametrize("length", [5_000, 200_000])
def test_a_quote_never_closed_is_named(tmp_path, length):
    rows = _shipped_rows()
    path = _write(tmp_path, rows)
    text = path.read_text(encoding="utf-8") + 'practice,how.voice.x,how.voice,"Students choose\n'
    path.write_text(text + "more words\n" * (length // 11), encoding="utf-8")
    _refused(path, f"row {len(rows) + 1}", 'quote mark (")')


def test_a_column_named_twice_is_refused(tmp_path):
    rows = _shipped_rows()
    for row in rows:
        row.append(row[1])
    _refused(_write(tmp_path, rows), "row 1, column G (id): this column has the same name as column B")


def test_empty_cells_past_the_last_column_are_fine(tmp_path):
    rows = [[*row, "", ""] for row in _shipped_rows()]
    assert len(load_framework(_write(tmp_path, rows)).practices) == 29


@ascii_failures()
def test_a_framework_without_its_own_row_gets_a_usable_id_from_any_file_name(tmp_path):
    rows = [row for row in _shipped_rows() if row[0] != "framework"]
    name = b"Our \xe9cole \x1b[31m<b>district.csv"
    path = _write(tmp_path, rows)
    target = tmp_path.joinpath(name.decode("utf-8", "surrogateescape"))
    path.rename(target)
    framework = load_framework(target)
    assert framework.id == "our-cole-31m-b-district"
    assert framework.title == "Our \ufffdcole [31m<b>district"  # shown safely, escaped later


def test_framework_path_that_is_a_pipe_a_device_or_a_folder_is_refused(tmp_path):
    """Issue 10: only ordinary files are read, so nothing hangs on a pipe or reads /dev/zero."""
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    device = tmp_path / "zero.csv"
    device.symlink_to("/dev/zero")
    with no_hang():
        _refused(fifo, "pipe.csv: it is not an ordinary file", "Give the path of a CSV file")
        _refused(device, "zero.csv: it is not an ordinary file")
        _refused(tmp_path, "it is a folder")


def test_malformed_framework_from_the_setting_says_so(tmp_path, monkeypatch):
    path = tmp_path / "district.csv"
    path.write_text("type,id\n", encoding="utf-8")
    monkeypatch.setenv("PLKIT_FRAMEWORK", str(path))
    message = _refused(None, "district.csv, row 1: the column 'parent' is missing")
    assert "PLKIT_FRAMEWORK" in message
    assert "PLKIT_FRAMEWORK" not in _refused(path)
