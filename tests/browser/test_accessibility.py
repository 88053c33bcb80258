"""axe-core over every workbook: the whole Voilà app, and the kit's widget area in JupyterLab.

A test fails on any violation of impact "serious" or "critical"; its message lists every violation
found (all impacts), with the elements concerned. Each workbook is checked as it first shows and
again after its main interaction (pressed buttons, feedback, charts).
"""

from __future__ import annotations

import drivers
import lab
import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

BLOCKING = ("critical", "serious")
AXE = Axe()


def violations(page, context: str | None = None) -> list[dict]:
    """axe-core's violations on the page (or inside the elements ``context`` selects)."""
    return AXE.run(page, context=context).response["violations"]


def describe(found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} "
                     f"[{violation['helpUrl']}]")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            lines.append(f"      {node['html'][:300]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_accessible(page, where: str, context: str | None = None) -> None:
    found = violations(page, context)
    blocking = [v for v in found if v["impact"] in BLOCKING]
    assert not blocking, (f"{where}: {len(blocking)} serious or critical axe-core violations. "
                          f"Every violation found:\n{describe(found)}")


@pytest.mark.parametrize("notebook", lab.workbook_names())
def test_voila_app(voila_page, voila_server, voila_work_dir, notebook):
    driver = drivers.driver_for(notebook)
    screen = lab.open_voila(voila_page, voila_server, notebook, ready=driver.ready)
    driver.wait_ready(screen)
    assert_accessible(voila_page, f"{notebook} in Voilà, as it opens")
    driver.interact(screen)
    assert_accessible(voila_page, f"{notebook} in Voilà, after its main interaction")


@pytest.mark.parametrize("notebook", lab.workbook_names())
def test_jupyterlab_widget_area(page, lab_server, work_dir, notebook):
    """Also the generic JupyterLab check: Run All without errors, then the main interaction."""
    driver = drivers.driver_for(notebook)
    lab.open_notebook(page, lab_server, notebook)
    screen = lab.run_all(page, ready=driver.ready)
    problems = lab.error_outputs(page)
    assert not problems, "the notebook shows errors:\n" + "\n---\n".join(problems)
    driver.wait_ready(screen)
    assert_accessible(page, f"{notebook} in JupyterLab, after Run All", lab.SCREEN)
    driver.interact(screen)
    if driver.saves_work:
        lab.wait_file_contains(work_dir / "plkit-work.json", driver.saved_marker)
    assert_accessible(page, f"{notebook} in JupyterLab, after its main interaction", lab.SCREEN)
