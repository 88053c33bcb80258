"""The shipped framework, and clear messages for a malformed district framework."""

import csv
import io

import pytest

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
        (b"\xff\xfe\x00b\x00a\x00d", "not saved as UTF-8"),
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
