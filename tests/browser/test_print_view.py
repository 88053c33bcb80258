"""The printable plan and the group report in Chromium: a 250-character pasted link (no spaces) in
several fields wraps, on paper (A4 and Letter, print media) and on screen (1280 and 320 px wide).

No server is needed: the pages are written to a folder and opened as files.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from plkit import load_framework
from plkit.group import read_group
from plkit.model import Priority, Step, Work
from plkit.report import group_html, plan_html
from plkit.work import work_bytes

LINK = ("https://docs.example.org/document/d/" + "1AbC_dEfGhIjKlMnOpQrStUvWxYz" * 9)[:250]  # no break opportunity
MARGIN_MM = 12
PAPERS = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}  # width and height in mm
CSS_PX_PER_MM = 96 / 25.4


def px(mm: float) -> int:
    return int(mm * CSS_PX_PER_MM)


def linked_work() -> Work:
    """Issue 10: one pasted link made the printable plan 1,483 px wide, clipped on paper."""
    work = Work()
    work.participant.name, work.participant.team = "Zoë O'Brien", LINK
    work.self_assessment.ratings.update({"how.voice.choices": "now"})
    work.self_assessment.notes["how.voice"] = f"See {LINK}"
    work.action_plan.priorities = [
        Priority(title=f"Student goal setting {LINK}", practice="how.guidance.plans", goal=LINK,
                 steps=[Step("Pilot with grade 7"), Step(LINK), Step("Share")], people="Grade 7 team",
                 start="2026-09-01", end="2027-01-31", evidence=LINK, support=f"PD time {LINK}",
                 resources=["how.student-agency"]),
        Priority(title="Raise $$ for laptops", goal="$x^2$ and <b>bold</b>"),
    ]
    return work


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    """file:// addresses of the plan and the group report, both holding the long link."""
    framework = load_framework()
    folder = tmp_path_factory.mktemp("print")
    plan = folder / "plan.html"
    plan.write_text(plan_html(linked_work(), framework, today=date(2026, 11, 22)), encoding="utf-8")
    other = linked_work()
    other.self_assessment.ratings["how.voice.choices"] = "different"
    group = read_group([("a.json", work_bytes(linked_work())), ("b.json", work_bytes(other))], framework,
                       names=True)
    report = folder / "report.html"
    report.write_text(group_html(group, framework, names=True, today=date(2026, 11, 22)), encoding="utf-8")
    return {"plan": plan.as_uri(), "group report": report.as_uri()}


@pytest.fixture
def tab(browser):
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


def widest(tab) -> dict[str, float]:
    """How wide the document is, and the right edge of its widest element."""
    return tab.evaluate("""() => ({
        document: document.documentElement.scrollWidth,
        element: Math.max(...[...document.body.querySelectorAll('*')]
                               .map(e => e.getBoundingClientRect().right)),
    })""")


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("which", ["plan", "group report"])
def test_a_long_link_fits_the_printed_page(tab, pages, which, paper):
    width_mm, height_mm = PAPERS[paper]
    printable = px(width_mm - 2 * MARGIN_MM)
    tab.set_viewport_size({"width": printable, "height": px(height_mm - 2 * MARGIN_MM)})
    tab.emulate_media(media="print")
    tab.goto(pages[which])
    size = widest(tab)
    assert size["document"] <= printable and size["element"] <= printable, size
    assert LINK in tab.inner_text("body")  # wrapped, not cut
    margin = f"{MARGIN_MM}mm"
    pdf = tab.pdf(width=f"{width_mm}mm", height=f"{height_mm}mm",
                  margin={"top": margin, "bottom": margin, "left": margin, "right": margin})
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(float(w) == pytest.approx(width_mm * 72 / 25.4, abs=1) for w, _ in boxes)


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("which", ["plan", "group report"])
def test_a_long_link_fits_the_screen(tab, pages, which, width):
    tab.set_viewport_size({"width": width, "height": 900})
    tab.goto(pages[which])
    size = widest(tab)
    assert size["document"] <= width and size["element"] <= width, size
