"""The group as a tidy table (issue 11, item 5): shape and values for three small files, and CSV."""

from __future__ import annotations

import csv
import io

from plkit.cli import main as plkit
from plkit.group import TABLE_COLUMNS, group_table, read_group, table_csv
from plkit.work import Work


def _three(framework) -> list[tuple[str, bytes]]:
    practices = list(framework.practices)
    a, b, c = Work(framework=framework.id), Work(framework=framework.id), Work(framework=framework.id)
    a.participant.name, a.participant.role = "Ana", "teacher"
    a.self_assessment.ratings = {practices[0]: "now", practices[1]: "different"}
    b.participant.name, b.participant.role = "=HYPERLINK(\"x\")", "school leader"
    b.self_assessment.ratings = {practices[0]: "different"}
    c.participant.role = ""
    return [("a.json", a.to_json().encode()), ("b.json", b.to_json().encode()), ("c.json", c.to_json().encode())]


def test_one_row_per_participant_and_practice_with_its_rating(framework):
    table = group_table(read_group(_three(framework), framework), framework)
    first, second = list(framework.practices)[:2]
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert table.shape == (3 * len(framework.practices), len(TABLE_COLUMNS))
    assert sorted(set(table.participant)) == ["Participant 1", "Participant 2", "Participant 3"]
    rated = table[table.rating != ""]
    assert sorted(zip(rated.participant, rated.practice, rated.rating, strict=True)) == sorted([
        ("Participant 1", first, "now"), ("Participant 1", second, "different"), ("Participant 2", first, "different"),
    ])
    assert set(rated.rating_label) == {"We do this now", "This is different"}
    assert table[table.participant == "Participant 2"].role.unique().tolist() == ["school leader"]
    assert table.groupby("theme").size().to_dict() == {
        t.id: 3 * len(t.practices) for t in framework.themes
    }


def test_names_only_when_asked(framework):
    anonymous = group_table(read_group(_three(framework), framework, names=True), framework)
    assert "Ana" not in set(anonymous.participant)
    named = group_table(read_group(_three(framework), framework, names=True), framework, names=True)
    assert "Ana" in set(named.participant)


def test_csv_opens_in_a_spreadsheet_with_no_formula_from_anyone(framework):
    table = group_table(read_group(_three(framework), framework, names=True), framework, names=True)
    rows = list(csv.DictReader(io.StringIO(table_csv(table))))
    assert len(rows) == 3 * len(framework.practices)
    names = {row["participant"] for row in rows}
    assert "'=HYPERLINK(\"x\")" in names and not any(n.startswith("=") for n in names)


def test_plkit_group_csv(tmp_path, framework, capsys):
    for name, raw in _three(framework):
        (tmp_path / name).write_bytes(raw)
    out = tmp_path / "group.csv"
    assert plkit(["group", str(tmp_path), "--csv", str(out)]) == 0
    assert "group.csv" in capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert len(rows) == 3 * len(framework.practices)
    assert {row["participant"] for row in rows} == {"Participant 1", "Participant 2", "Participant 3"}
    assert not (tmp_path / "report.html").exists(), "--csv alone writes only the table"


def test_the_dashboard_offers_the_table_for_a_spreadsheet(framework, tmp_path):
    import base64
    import re

    from plkit.ui.dashboard import Dashboard

    board = Dashboard(framework, tmp_path)
    board.demo.click()
    board.prepare.click()
    link = re.search(r'download="group-table.csv" href="data:text/csv;base64,([^"]+)"', board.downloads.value)
    assert link, "a CSV download is offered"
    rows = list(csv.DictReader(io.StringIO(base64.b64decode(link.group(1)).decode("utf-8-sig"))))
    assert len(rows) == len(board.group) * len(framework.practices)
    assert all(row["participant"].startswith("Participant ") for row in rows), "anonymous unless names are on"
