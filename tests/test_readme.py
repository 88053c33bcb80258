"""The README's launch links point at workbooks that exist, in Binder's URL scheme."""

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BINDER = re.compile(r"\((https://mybinder\.org/v2/gh/[^)\s]+)\)")


def binder_links():
    return BINDER.findall(README)


def test_readme_starts_with_the_two_commands():
    head = README[: README.index("## ")]
    assert "make lab" in head and "make test" in head


def test_every_workbook_has_a_lab_and_an_app_link():
    targets = {(urlparse(link).path, parse_qs(urlparse(link).query)["urlpath"][0]) for link in binder_links()}
    workbooks = sorted(p.name for p in (ROOT / "workbooks").glob("*.ipynb"))
    assert workbooks
    for name in workbooks:
        assert any(urlpath == f"voila/render/workbooks/{name}" for _, urlpath in targets), name
    assert any(urlpath.startswith("lab/tree/workbooks/") for _, urlpath in targets)


def test_links_point_at_existing_files_on_one_repository_and_branch():
    repos = set()
    for link in binder_links():
        url = urlparse(link)
        owner, repo, branch = url.path.split("/")[3:6]
        repos.add((owner, repo, branch))
        urlpath = parse_qs(url.query)["urlpath"][0]
        kind, _, rest = urlpath.partition("/")
        assert kind in ("lab", "voila"), link
        file = rest.removeprefix("tree/").removeprefix("render/")
        assert (ROOT / file).is_file(), link
    assert len(repos) == 1


def test_binder_folder_is_complete():
    requirements = (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    assert "-e ." in requirements
    pins = [line for line in requirements if line and not line.startswith(("#", "-e"))]
    assert pins and all("==" in line for line in pins)
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    post_build = (ROOT / "binder" / "postBuild").read_text().splitlines()
    assert post_build[0] == "#!/bin/bash" and "set -e" in post_build


def test_binder_pins_satisfy_pyproject():
    from packaging.requirements import Requirement

    block = re.search(r"^dependencies = \[(.*?)^\]", (ROOT / "pyproject.toml").read_text(), re.M | re.S)
    wanted = re.findall(r'"([^"]+)"', block.group(1))
    assert len(wanted) == 7
    pins = dict(
        line.split("==")
        for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
        if "==" in line
    )
    for requirement in map(Requirement, wanted):
        assert requirement.name in pins, requirement.name
        assert requirement.specifier.contains(pins[requirement.name]), requirement


def test_workbooks_are_committed_without_outputs_or_widget_state():
    import json

    for path in (ROOT / "workbooks").glob("*.ipynb"):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        assert "widgets" not in notebook["metadata"], path.name
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code" and "NBVAL_CHECK_OUTPUT" not in "".join(cell["source"]):
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


# --- Markdown tables in one piece (issue 13) ---------------------------------------------------

TABLE_ROW = re.compile(r"^\s{0,3}\|")
DELIMITER_ROW = re.compile(r"^\s{0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def cells(row: str) -> int:
    """How many cells a table row has (a pipe escaped with a backslash is text, as on GitHub)."""
    return len(re.split(r"(?<!\\)\|", row.strip().strip("|")))


def table_blocks(text: str) -> list[list[tuple[int, str]]]:
    """Runs of consecutive lines that begin with a pipe, outside fenced code, with line numbers."""
    blocks, current, fenced = [], [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and TABLE_ROW.match(line):
            current.append((number, line))
        elif current:
            blocks.append(current)
            current = []
    return blocks + ([current] if current else [])


def table_problems(text: str) -> list[str]:
    """Why a table would not show as one table: a run of rows without its header and delimiter
    (the rest of a table cut off by a blank line shows as a paragraph of pipes), or a row whose
    cells do not match its header."""
    problems = []
    for block in table_blocks(text):
        (first, header), rows = block[0], block[1:]
        if len(block) < 2 or not DELIMITER_ROW.match(rows[0][1]):
            problems.append(f"line {first}: rows with no header and delimiter row above them")
            continue
        problems += [f"line {number}: {cells(row)} cells, the header has {cells(header)}"
                     for number, row in rows if cells(row) != cells(header)]
    return problems


@pytest.mark.parametrize("name", ["README.md", "facilitator_guide.md"])
def test_every_markdown_table_is_one_block_with_rows_as_wide_as_its_header(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    assert table_blocks(text), name  # the check has tables to look at
    assert table_problems(text) == [], name


def test_a_table_cut_by_a_blank_line_or_a_short_row_is_found():
    whole = "| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n"
    assert table_problems(whole) == []
    assert table_problems(whole.replace("| 2 |\n", "| 2 |\n\n")) == ["line 5: rows with no header and delimiter row above them"]
    assert table_problems(whole.replace("| 3 | 4 |", "| 3 |")) == ["line 4: 1 cells, the header has 2"]
    assert table_problems("```\n| not | a table |\n```\n") == []
