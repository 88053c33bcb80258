"""Start here (issue 13): the five workbooks as cards, each with the progress read from the work
file, the facilitator's set apart; reading never changes or creates a file; a file that cannot be
read is said plainly. And the links between workbooks: before, next and home in every workbook."""

import json
import re
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plkit.collected import CollectedFiles
from plkit.consensus import record
from plkit.home import HOME_NOTEBOOK, WORKBOOKS, cards, neighbours
from plkit.jupyter_hooks import as_shipped, keep_workbook_as_shipped
from plkit.model import TEAM, Agreement, CheckIn, Priority, Round, Step
from plkit.ui import start_here
from plkit.understanding import load_understanding
from plkit.work import TEAM_FILE_NAME, WORK_FILE_NAME, Work, work_bytes, write_work

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK_DIR = ROOT / "workbooks"
LINK = re.compile(r"\]\(([^)\s]+\.ipynb)\)")


def progress(folder, framework) -> list[str]:
    return [card.progress for card in cards(framework, folder)]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# --- the cards ---------------------------------------------------------------------------------


def test_with_no_work_file_nothing_is_started_and_no_file_is_made(tmp_path, framework):
    assert progress(tmp_path, framework) == ["Not started yet"] * 4 + ["No group collected yet"]
    assert not any(card.started for card in cards(framework, tmp_path))
    assert list(tmp_path.iterdir()) == []
    assert not (tmp_path / "missing").exists()
    assert progress(tmp_path / "missing", framework)[0] == "Not started yet"


def test_each_card_counts_what_its_workbook_holds(tmp_path, framework):
    work = Work(framework=framework.id)
    first, second, third = list(framework.practices)[:3]
    work.self_assessment.ratings = {first: "now", second: "different"}
    work.self_assessment.rounds = [Round(name="Fall 2026", kept_on="2026-10-01", ratings={third: "now"})]
    work.understanding.myths = {load_understanding().myths[0].id: "myth"}
    work.claims.verdict = "Promising, but not proof."
    work.action_plan.priorities = [
        Priority(title="Goals", steps=[Step("Ask", "done"), Step("Draft", "under-way")]),
        Priority(title="Pacing", steps=[Step("Meet")], check_ins=[CheckIn(on="2026-11-01")]),
    ]
    write_work(work, tmp_path / WORK_FILE_NAME)
    before = snapshot(tmp_path)

    texts = progress(tmp_path, framework)

    assert re.fullmatch(r"1 of \d+ activities done", texts[0])
    assert texts[1] == "2 of 29 practices rated; 1 round kept"
    assert re.fullmatch(r"1 of \d+ steps done", texts[2])
    assert texts[3] == "2 priorities chosen; 1 of 3 steps done"
    assert [card.started for card in cards(framework, tmp_path)] == [True, True, True, True, False]
    assert snapshot(tmp_path) == before  # read, never written


def test_one_priority_without_steps_says_so_in_the_singular(tmp_path, framework):
    work = Work(framework=framework.id)
    work.action_plan.priorities = [Priority(title="Goals")]
    write_work(work, tmp_path / WORK_FILE_NAME)
    assert progress(tmp_path, framework)[3] == "1 priority chosen"


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"plkit": "something else"}', b"\xff\xfe",
                                     json.dumps({"version": 99}).encode()])
def test_a_work_file_that_cannot_be_read_is_said_plainly_and_left_alone(tmp_path, framework, content):
    path = tmp_path / WORK_FILE_NAME
    path.write_bytes(content)
    texts = progress(tmp_path, framework)
    assert texts[:4] == ["Your saved work could not be read here: open a workbook to see why and what to do."] * 4
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == [WORK_FILE_NAME]


def test_a_team_file_in_the_personal_place_is_not_read_as_ones_own(tmp_path, framework):
    write_work(Work(framework=framework.id, kind=TEAM), tmp_path / WORK_FILE_NAME)
    assert progress(tmp_path, framework)[1] == "The file in your work folder is a team file, not your own work."


def test_the_facilitators_card_counts_the_collected_group_and_the_team_file(tmp_path, framework):
    raw = work_bytes(Work(framework=framework.id))
    CollectedFiles(tmp_path).add([("ana.json", raw), ("ben.json", raw), ("cy.json", raw)])
    team = Work(framework=framework.id, kind=TEAM)
    practice = next(iter(framework.practices))
    team.team.consensus[practice] = Agreement(rating="now", reasons="We all see it.")
    record(team, practice, framework, {"now": 3}, "2026-11-23T15:00:00+00:00")
    write_work(team, tmp_path / TEAM_FILE_NAME)

    card = cards(framework, tmp_path)[4]

    assert card.workbook.for_facilitators
    assert card.progress == "3 work files collected; team file: 1 of 29 agreed"
    assert card.started


# --- the page ----------------------------------------------------------------------------------


def test_the_page_links_every_workbook_and_sets_the_facilitators_apart(tmp_path, framework):
    page = start_here(work_dir=tmp_path).html()
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', page)
    assert [href for href, _ in links] == [w.notebook for w in WORKBOOKS]
    assert [text for _, text in links] == [w.heading for w in WORKBOOKS]
    for href, _ in links:
        assert (WORKBOOK_DIR / href).is_file()
    participants, facilitators = page.split("For facilitators")
    assert "Workbook 5" not in participants and "Workbook 5" in facilitators
    assert page.count("Your progress: Not started yet") == 4
    assert 'class="plkit plkit-home"' in page  # the app view's loading message goes when this shows


def test_the_page_escapes_the_folder_it_names(tmp_path):
    folder = tmp_path / "<b>x&y"
    page = start_here(work_dir=folder).html()
    assert "<b>x" not in page and "&lt;b&gt;x&amp;y/plkit-work.json" in page


# --- the way through the workbooks ----------------------------------------------------------------


def notebook(name: str):
    return nbformat.read(WORKBOOK_DIR / name, as_version=4)


def tagged(nb, tag: str) -> list:
    return [cell for cell in nb.cells if tag in cell.metadata.get("tags", [])]


def test_every_notebook_in_the_folder_is_a_card_or_the_home_page():
    on_disk = sorted(p.name for p in WORKBOOK_DIR.glob("*.ipynb"))
    assert on_disk == sorted([HOME_NOTEBOOK, *(w.notebook for w in WORKBOOKS)])


@pytest.mark.parametrize("item", WORKBOOKS, ids=lambda w: w.notebook)
def test_every_workbook_links_home_and_to_the_one_before_and_after(item):
    nb = notebook(item.notebook)
    assert nb.metadata["title"] == item.heading  # the browser tab's title in the app view
    assert nb.metadata["plkit"] == {"workbook": item.number}
    first, last = nb.cells[0], nb.cells[-1]
    assert tagged(nb, "plkit-nav") == [first, last]
    assert LINK.findall(first.source) == [HOME_NOTEBOOK]
    before, after = neighbours(item.number)
    expected = ([after.notebook] if after else []) + [before.notebook if before else HOME_NOTEBOOK, HOME_NOTEBOOK]
    assert LINK.findall(last.source) == expected


@pytest.mark.parametrize("name", sorted(p.name for p in WORKBOOK_DIR.glob("*.ipynb")))
def test_every_link_to_a_workbook_leads_to_one(name):
    for cell in notebook(name).cells:
        if cell.cell_type == "markdown":
            for target in LINK.findall(cell.source):
                assert (WORKBOOK_DIR / target).is_file(), f"{name} links to {target}"


@pytest.mark.parametrize("name", sorted(p.name for p in WORKBOOK_DIR.glob("*.ipynb")))
def test_jupyterlab_hints_are_only_in_cells_the_app_view_hides(name):
    nb = notebook(name)
    hints = tagged(nb, "plkit-lab-only")
    assert len(hints) == 1 and "Run All" in hints[0].source
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell not in hints:
            assert "Run All" not in cell.source and "JupyterLab" not in cell.source.split("(")[0]


def test_the_home_page_leads_to_workbook_1():
    nb = notebook(HOME_NOTEBOOK)
    assert nb.metadata["title"].startswith("Start here")
    assert LINK.findall(nb.cells[-1].source) == [WORKBOOKS[0].notebook]


# --- saving a workbook in JupyterLab keeps it as shipped ----------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in WORKBOOK_DIR.glob("*.ipynb")))
def test_a_workbook_saved_after_a_session_is_byte_for_byte_as_shipped(name, tmp_path):
    shipped = (WORKBOOK_DIR / name).read_text(encoding="utf-8")
    nb = nbformat.reads(shipped, as_version=4)
    # What a session leaves in JupyterLab's copy: outputs, run counts, kernel details, cell state.
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7", "mimetype": "text/x-python"}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    for cell in nb.cells:
        cell.metadata["trusted"] = True
        if cell.cell_type == "code":
            cell.execution_count = 4
            cell.outputs = [nbformat.v4.new_output("display_data", {"text/plain": "VBox()"})]
    model = {"type": "notebook", "content": json.loads(nbformat.writes(nb))}

    keep_workbook_as_shipped(model=model, path=name, contents_manager=None)

    saved = tmp_path / name  # written as Jupyter's contents manager writes a notebook
    nbformat.write(nbformat.from_dict(model["content"]), saved)
    assert saved.read_text(encoding="utf-8") == shipped


def test_other_notebooks_are_saved_as_they_are():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", execution_count=1)])
    nb.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    model = {"type": "notebook", "content": json.loads(nbformat.writes(nb))}
    before = json.dumps(model, sort_keys=True)
    keep_workbook_as_shipped(model=model, path="mine.ipynb", contents_manager=None)
    keep_workbook_as_shipped(model={"type": "file", "content": "text"}, path="notes.txt")
    assert json.dumps(model, sort_keys=True) == before


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=20)


@pytest.mark.properties
@settings(max_examples=100)
@given(cells=st.lists(JSON | st.dictionaries(st.sampled_from(["cell_type", "metadata", "outputs", "source"]), JSON),
                      max_size=4),
       metadata=st.dictionaries(st.sampled_from(["plkit", "title", "kernelspec", "other"]), JSON))
def test_the_hook_never_fails_on_a_strange_notebook(cells, metadata):
    """Whatever a notebook holds, saving it never fails because of the kit."""
    content = {"cells": cells, "metadata": metadata}
    keep_workbook_as_shipped(model={"type": "notebook", "content": content}, path="x.ipynb")
    if isinstance(metadata.get("plkit"), dict):
        assert set(content["metadata"]) <= {"plkit", "title", "kernelspec", "language_info"}
    assert as_shipped({"cells": "not a list", "metadata": {"plkit": {}}})["metadata"]["plkit"] == {}


# --- keeping the screen in sight in JupyterLab ----------------------------------------------------


def test_the_screen_asks_to_be_scrolled_into_view_only_in_a_jupyterlab_kernel(monkeypatch):
    from plkit.ui import view

    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    monkeypatch.setattr("IPython.get_ipython", lambda: None)
    assert not view.keep_in_sight()  # plain Python: no notebook to scroll
    monkeypatch.setattr("IPython.get_ipython", lambda: object())
    for name in view.APP_VIEW_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert view.keep_in_sight() and len(shown) == 1  # a JupyterLab kernel
    assert "scrollIntoView" in shown[0].data
    monkeypatch.setenv("VOILA_KERNEL_ID", "abc")
    assert not view.keep_in_sight() and len(shown) == 1  # the app view opens at the top anyway


# --- the app view's front door ---------------------------------------------------------------------


@pytest.mark.parametrize("page", ["tree-lab.html", "tree.html"])
@pytest.mark.parametrize(("items", "base", "target"), [
    ([{"name": HOME_NOTEBOOK, "type": "notebook", "path": HOME_NOTEBOOK}], "/", "/voila/render/00_start_here.ipynb"),
    # Binder and JupyterHub serve the repository's root: its workbooks folder, then Start here.
    ([{"name": "binder", "type": "directory", "path": "binder"},
      {"name": "workbooks", "type": "directory", "path": "workbooks"}], "/user/ana/", "/user/ana/voila/tree/workbooks"),
])
def test_voilas_folder_page_opens_start_here(page, items, base, target):
    from jinja2 import Environment, FileSystemLoader

    templates = ROOT / "share" / "jupyter" / "voila" / "templates" / "plkit"
    html = Environment(loader=FileSystemLoader(templates), autoescape=True).get_template(page).render(
        contents={"content": iter(items)}, base_url=base, query="")
    assert f'<meta http-equiv="refresh" content="0; url={target}">' in html
    assert f'window.location.replace("{target}")' in html
    assert "Select items to open" not in html
