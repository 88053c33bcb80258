"""The team's way through, in Voilà, as a facilitator does it: the demo group loaded, five practices
agreed (one of them *No agreement yet*), a reload, the team file downloaded and opened in Workbook 4
on another computer, the team's priorities proposed, and the printable team plan opened in Chromium.
"""

from __future__ import annotations

import re

import drivers
import lab
import pytest
from playwright.sync_api import expect
from test_accessibility import assert_accessible

from plkit import consensus, load_framework, read_work
from plkit.content import data_dir
from plkit.group import rating_table, read_group
from plkit.model import NO_AGREEMENT

pytestmark = pytest.mark.browser

TIMEOUT = drivers.TIMEOUT
DASHBOARD, PLAN = "05_facilitator_dashboard.ipynb", "04_action_planning.ipynb"
TEAM = "Browser team <Lincoln> & co"
ANSWERS = ["This is different", "We do this now", "This is different", "Not sure yet"]
EVIDENCE, WHO = "Last term's <assessment> calendar", "Ms Rivera & the data team"


def the_five(framework) -> list[str]:
    """The practices the team meets first: the demo group's most split (checked by hand in
    tests/test_ui_consensus.py)."""
    group = read_group([data_dir() / "demo"], framework)
    return consensus.order(rating_table(group, framework), framework)[:5]


def open_line(screen):
    return screen.locator("p", has_text=re.compile(r"^Open: "))


def record(screen, practice_text: str, answer: str, agreed: int, open_questions: int = 0) -> None:
    """Agree one practice as the facilitator does: read it, choose, write, record; wait for the save."""
    expect(screen.locator(".widget-html:visible", has_text=practice_text).first).to_be_visible(timeout=TIMEOUT)
    screen.get_by_role("radio", name=answer, exact=True).check()
    if answer == "No agreement yet":
        screen.get_by_label("What evidence would settle it?", exact=True).fill(EVIDENCE)
        screen.get_by_label("Who will find it?", exact=True).fill(WHO)
    else:
        screen.get_by_label("Reasons (a sentence or two)", exact=True).fill(f"We saw it <here> & {answer}.")
    screen.get_by_role("button", name="Record and go on").click()
    progress = f"{agreed} of 29 agreed" + (f", {open_questions} with no agreement yet" if open_questions else "")
    expect(open_line(screen)).to_contain_text(progress, timeout=TIMEOUT)


def test_the_team_agrees_reloads_and_plans_from_the_team_file(voila_page, voila_server, voila_work_dir, tmp_path):
    page, framework = voila_page, load_framework()
    five = the_five(framework)
    texts = [framework.practices[pid].text for pid in five]

    # The facilitator loads the demo group and names the team.
    screen = lab.open_voila(page, voila_server, DASHBOARD, ready="[role=status]")
    screen.get_by_role("button", name="Use the demo group (synthetic)").click()
    status = screen.get_by_role("status").first
    expect(status).to_contain_text("30 participants read", timeout=TIMEOUT)
    screen.get_by_label("Team name", exact=True).fill(TEAM)
    expect(open_line(screen)).to_contain_text(f"Open: the team file of {TEAM}", timeout=TIMEOUT)

    # Five practices, the most split first: four agreed, one with no agreement yet.
    for number, (text, answer) in enumerate(zip(texts, ANSWERS, strict=False), start=1):
        record(screen, text, answer, agreed=number)
    record(screen, texts[4], "No agreement yet", agreed=4, open_questions=1)
    assert_accessible(page, "the dashboard, agreeing as a team")

    # A reload (a new kernel): the group and the five answers are back.
    screen = lab.reload_voila(page, ready="[role=status]")
    status = screen.get_by_role("status").first
    expect(status).to_contain_text("30 participants read", timeout=TIMEOUT)
    expect(screen.get_by_text("The group you collected before is back: 31 files.")).to_be_visible()
    expect(open_line(screen)).to_contain_text("4 of 29 agreed, 1 with no agreement yet", timeout=TIMEOUT)
    expect(screen.get_by_label("Team name", exact=True)).to_have_value(TEAM)

    # Download the team file: it holds the five answers, each with the group's split.
    lab.wait_download_link_holds(page, "Ms Rivera", TIMEOUT)
    link = screen.locator(lab.DOWNLOAD_LINK, has_text="Download the team file")
    team_path = lab.save_download(page, link, tmp_path)
    assert re.fullmatch(r"plkit-team-[a-z0-9-]+-\d{4}-\d\d-\d\d\.json", team_path.name)
    team = read_work(team_path, framework)
    assert team.is_team and team.participant.team == TEAM and team.team.members == 30
    assert [pid for pid, a in team.team.consensus.items() if a.agreed_at] == five
    assert team.team.consensus[five[4]].rating == NO_AGREEMENT
    assert all(sum(team.team.consensus[pid].split.values()) == 30 for pid in five)

    # Another computer: no team file there. Workbook 4, "Our team's plan", Load a team file.
    (voila_work_dir / "plkit-team.json").unlink()
    screen = lab.open_voila(page, voila_server, PLAN)
    screen.get_by_role("button", name="Our team's plan", exact=True).click()
    expect(screen.get_by_text(re.compile("Load a team file")).first).to_be_visible(timeout=TIMEOUT)
    assert not (voila_work_dir / "plkit-team.json").exists()  # switching makes no empty team file
    with page.expect_file_chooser() as chooser:
        screen.get_by_role("button", name=re.compile("Load a team file")).click()
    chooser.value.set_files(files=[{"name": team_path.name, "mimeType": "application/json",
                                    "buffer": team_path.read_bytes()}])
    screen.get_by_role("button", name="Use this file", exact=True).click()
    expect(open_line(screen)).to_contain_text(f"Open: the team plan of {TEAM}", timeout=TIMEOUT)

    # The team's priorities are proposed: its two "This is different" and its open question.
    suggestions = screen.locator(".widget-html", has_text="From the team's agreed answers")
    expect(suggestions).to_be_visible(timeout=TIMEOUT)
    for text in (texts[0], texts[2], texts[4]):
        expect(suggestions).to_contain_text(text)
    for text in (texts[1], texts[3]):
        expect(suggestions).not_to_contain_text(text)
    expect(suggestions).to_contain_text(EVIDENCE)
    assert_accessible(page, "Workbook 4, the team's plan")

    # One priority, then the printable team plan, opened in Chromium.
    screen.get_by_role("button", name="Add this practice as a priority", exact=True).click()
    expect(screen.get_by_role("heading", name=re.compile(r"^Priority 1: "))).to_be_visible(timeout=TIMEOUT)
    expect(screen.get_by_role("img", name=re.compile("^Timeline"))).to_be_visible(timeout=TIMEOUT)
    screen.get_by_role("button", name="Prepare the team's plan to print or share").click()
    plan_path = lab.save_download(page, screen.get_by_role("link", name="Download the team's plan (web page)"), tmp_path)
    assert plan_path.name == "team-action-plan.html"
    printed = page.context.new_page()
    printed.goto(plan_path.as_uri())
    printed.emulate_media(media="print")
    expect(printed.get_by_role("heading", level=1)).to_have_text("Our team's personalized learning action plan")
    expect(printed.get_by_text(TEAM).first).to_be_visible()
    expect(printed.get_by_text("Agreed by 30 members (anonymous).")).to_be_visible()
    expect(printed.get_by_role("heading", name=re.compile(r"^Priority 1: "))).to_be_visible()
    printed.close()
    # The team's plan went into the team file; no personal work file was made or changed.
    lab.wait_file_contains(voila_work_dir / "plkit-team.json", '"priorities": [\n')
    assert read_work(voila_work_dir / "plkit-team.json", framework).action_plan.priorities
    assert not voila_server.work_file.exists()
