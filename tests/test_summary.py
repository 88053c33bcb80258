"""The printable self-assessment (issue 12, item 4): every answer, the strengths, gaps and open
questions, what moved since the last kept round; hostile text stays text; the command; Workbook 2."""

import base64
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape
from page_checks import Page, assert_markdown_shows, assert_safe_page
from strategies import works

from plkit.cli import main
from plkit.consensus import draft, record, start_team
from plkit.content import load_framework
from plkit.model import NO_AGREEMENT, TEAM, Round, Work
from plkit.summary import summary_html, summary_markdown, summary_sections
from plkit.work import write_work

TODAY = date(2026, 11, 23)
HOSTILE = [
    "<script>alert(1)</script>",
    "Raise $$ for laptops $x^2$",
    "[x](https://example.org) ![i](http://example.org/i.png)",
    "<img src=x onerror=alert(1)> **bold** # heading",
]


def personal_work() -> Work:
    work = Work(framework="air-whwwpl")
    work.participant.name = "Ana Quill"
    work.participant.role = "teacher"
    work.participant.team = "Room 5 & co"
    work.self_assessment.ratings = {
        "what.goals.materials": "different",
        "how.voice.choices": "now",
        "how.flexible.peers": "now",
        "assessed.authentic.data": "not-sure",
    }
    work.self_assessment.notes["how.voice"] = "Student council\nmeets weekly"
    work.self_assessment.evidence["how.voice"] = "Council minutes"
    work.self_assessment.reflections["how.choice"] = "Choice boards in maths"
    work.self_assessment.reflections["overall.shifts"] = "Pacing first"
    return work


def test_the_page_holds_every_rating_note_evidence_and_reflection(framework):
    page = summary_html(personal_work(), framework, today=TODAY)
    parsed = Page(page)
    assert parsed.headings[:5] == [
        "My self-assessment", "The whole picture", "Strengths: what we do now (2)",
        "Gaps: what would be different from our current approach (1)",
        "Open questions: what we are not sure about yet (1)",
    ]
    assert "Since last time" not in parsed.text  # no round kept
    for title in ("What students learn", "How students learn", "When and where students learn",
                  "How learning is assessed and recognized", "Looking across the themes"):
        assert title in parsed.headings
    text = parsed.text
    assert "Ana Quill · teacher · Room 5 & co · 23 November 2026" in text
    assert "4 of 29 practices rated." in text and "25 practices have no rating yet." in text
    assert ("Students manage their own learning choices and decisions. We do this now" in text)
    assert "Notes Student council meets weekly Evidence Council minutes" in text
    assert "Choice boards in maths" in text and "Pacing first" in text
    assert text.count("Not rated yet") == 25
    images = [attrs for tag, attrs in parsed.elements if tag == "img"]
    assert len(images) == 5  # the whole picture, then one chart per theme
    assert images[0]["alt"] == ("Bar chart. What students learn: This is different 1, Not rated 5; "
                                "How students learn: We do this now 2, Not rated 10; "
                                "When and where students learn: Not rated 5; "
                                "How learning is assessed and recognized: Not sure yet 1, Not rated 5")
    assert "@media print" in page and "break-before: page" in page
    assert_safe_page(page, ["Student council\nmeets weekly", "Room 5 & co"])


def test_the_markdown_holds_the_same(framework):
    markdown = summary_markdown(personal_work(), framework, today=TODAY)
    assert markdown.startswith("# My self-assessment\n\nAna Quill · teacher · Room 5 & co · 23 November 2026\n")
    assert ("### Strengths: what we do now (2)\n\n"
            "- Students often learn from one another, give each other feedback and work together. "
            "(How students learn)\n"
            "- Students manage their own learning choices and decisions. (How students learn)\n") in markdown
    assert "- **Notes:** Student council\\\n  meets weekly" in markdown
    assert_markdown_shows(markdown, ["Student council", "meets weekly", "Council minutes", "Pacing first",
                                     "Choice boards in maths", "Room 5 & co"],
                          headings=1 + 1 + 3 + 4 + 8 + 4 + 1)  # title, whole picture, 3 lists, themes, approaches, reflections, across


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_stays_text_everywhere(framework, hostile):
    work = personal_work()
    work.participant.name = hostile
    work.participant.team = hostile
    work.self_assessment.notes["what.goals"] = hostile
    work.self_assessment.evidence["what.goals"] = hostile
    work.self_assessment.reflections["what.visible"] = hostile
    work.self_assessment.reflections["overall.agree"] = hostile
    work.self_assessment.rounds = [Round(name=hostile, kept_on="2026-09-01", ratings={"how.voice.choices": "now"})]
    page = summary_html(work, framework, today=TODAY)
    assert_safe_page(page, [hostile])
    assert "<script>" not in page
    assert page.count(str(escape(hostile))) >= 7  # name, team, notes, evidence, two reflections, round
    markdown = summary_markdown(work, framework, today=TODAY)
    assert_markdown_shows(markdown, [hostile])


def test_since_last_time_lists_the_practices_that_moved_then_and_now(framework):
    work = personal_work()
    work.self_assessment.rounds = [
        Round(name="Spring 2026", kept_on="2026-03-12", ratings={"what.goals.materials": "now"}),
        Round(name="Fall 2026", kept_on="2026-09-01", ratings={
            "what.competencies.targets": "not-sure",  # not rated now
            "what.goals.materials": "different",  # the same
            "how.voice.choices": "different",  # different -> now
            "assessed.authentic.data": "not-sure",  # the same
        }),
    ]
    last = summary_sections(work, framework)["last"]
    assert (last["name"], last["kept_on"]) == ("Fall 2026", "01 September 2026")  # the last round, not the first
    assert [(m["practice"][:30], m["then"], m["now"]) for m in last["moves"]] == [
        ("Learning goals and targets are", "Not sure yet", "Not rated"),
        ("Students often learn from one ", "Not rated", "We do this now"),
        ("Students manage their own lear", "This is different", "We do this now"),
    ]
    # the notes of the approaches that moved, where they changed: only student voice's were written since
    assert last["notes"] == [
        {"about": "Notes on “Students have real voice, responsibility, self-management and decision making in how they learn.”",
         "then": "", "now": "Student council\nmeets weekly"},
        {"about": "Evidence on “Students have real voice, responsibility, self-management and decision making in how they learn.”",
         "then": "", "now": "Council minutes"},
    ]
    parsed = Page(summary_html(work, framework, today=TODAY))
    images = [attrs for tag, attrs in parsed.elements if tag == "img"]
    assert len(images) == 6  # the whole picture, then and now, one per theme
    assert images[1]["alt"] == (
        "Bar chart, theme by theme, then and now. "
        "What students learn: Fall 2026 This is different 1, Not sure yet 1, Not rated 4, "
        "now This is different 1, Not rated 5; "
        "How students learn: Fall 2026 This is different 1, Not rated 11, now We do this now 2, Not rated 10; "
        "When and where students learn: Fall 2026 Not rated 5, now Not rated 5; "
        "How learning is assessed and recognized: Fall 2026 Not sure yet 1, Not rated 5, "
        "now Not sure yet 1, Not rated 5")
    text = parsed.text
    assert "Since last time: Fall 2026 (01 September 2026) 3 practices have moved:" in text
    assert ("Students manage their own learning choices and decisions. (How students learn): "
            "This is different → We do this now") in text
    assert "Then: not written yet Now: Student council meets weekly" in text
    markdown = summary_markdown(work, framework, today=TODAY)
    assert ("- Students manage their own learning choices and decisions. (How students learn): "
            "This is different → **We do this now**") in markdown
    assert "### What was written then and now" in markdown
    assert "  Then: _not written yet_\\\n  Now: Student council\\\n  meets weekly" in markdown


def test_a_round_with_nothing_moved_says_so(framework):
    work = personal_work()
    work.self_assessment.rounds = [Round(name="", kept_on="2026-09-01", ratings=dict(work.self_assessment.ratings))]
    text = Page(summary_html(work, framework, today=TODAY)).text
    assert "Since last time: The last round (01 September 2026) No rating has changed since then." in text
    assert "No rating has changed since then." in summary_markdown(work, framework)


def team_work(framework) -> Work:
    work = Work(kind=TEAM, framework=framework.id)
    start_team(work, "Blue <b>team</b>")
    split = {"now": 1, "different": 2}
    draft(work, "how.voice.choices", framework, rating="now", reasons="Council minutes show it.")
    record(work, "how.voice.choices", framework, split, "2026-11-01T10:00:00+00:00")
    draft(work, "what.competencies.targets", framework, rating=NO_AGREEMENT,
          evidence_needed="Student goal sheets", who_finds="Ms Ray")
    record(work, "what.competencies.targets", framework, split, "2026-11-01T10:00:00+00:00")
    draft(work, "how.flexible.peers", framework, rating="different", reasons="Still talking")  # not recorded
    work.team.members = 3
    return work


def test_a_team_files_summary_shows_the_team_and_its_agreed_answers(framework):
    page = summary_html(team_work(framework), framework, today=TODAY)
    parsed = Page(page)
    assert parsed.headings[0] == "Our team's self-assessment"
    text = parsed.text
    assert "Team: Blue <b>team</b> · 23 November 2026 Agreed by 3 members (anonymous)." in text
    assert "1 of 29 practices rated." in text
    assert "No agreement yet: evidence to find" in parsed.headings
    assert "Evidence that would settle it: Student goal sheets Who will find it: Ms Ray" in text
    assert ("Students manage their own learning choices and decisions. Reasons: Council minutes show it. "
            "We do this now") in text
    assert "Learning goals and targets are stated plainly and shared with students. No agreement yet" in text
    assert "Students often learn from one another, give each other feedback and work together. Not agreed yet" in text
    assert text.count("Not agreed yet") == 27
    assert "The team's answer" in text
    assert_safe_page(page, ["Blue <b>team</b>"])
    markdown = summary_markdown(team_work(framework), framework, today=TODAY)
    assert markdown.startswith("# Our team's self-assessment\n\nTeam: Blue &lt;b&gt;team&lt;/b&gt; · 23 November 2026")
    assert_markdown_shows(markdown, ["Blue <b>team</b>", "Student goal sheets", "Ms Ray", "Council minutes show it."])


# --- the command --------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_the_summary_command_writes_html_or_markdown(tmp_path, capsys, framework, suffix):
    work = personal_work()
    work.self_assessment.rounds = [Round(name="Fall", kept_on="2026-09-01")]
    path = write_work(work, tmp_path / "w.json")
    out = tmp_path / f"summary{suffix}"
    assert main(["summary", str(path), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.strip().endswith(
        f"summary{suffix} (4 of 29 practices rated, compared with the last of 1 kept round).")
    written = out.read_text(encoding="utf-8")
    if suffix == ".md":
        assert written.startswith("# My self-assessment") and "4 practices have moved:" in written
    else:
        assert written.startswith("<!DOCTYPE html>") and "4 practices have moved:" in Page(written).text


def test_the_summary_command_writes_summary_html_by_default_and_reads_a_team_file(tmp_path, capsys, monkeypatch,
                                                                                    framework):
    path = write_work(team_work(framework), tmp_path / "team.json")
    monkeypatch.chdir(tmp_path)
    assert main(["summary", str(path)]) == 0
    assert "(1 of 29 practices agreed)" in capsys.readouterr().out
    assert "Our team's self-assessment" in Page((tmp_path / "summary.html").read_text(encoding="utf-8")).headings


def test_the_summary_command_on_a_file_that_is_not_a_work_file_is_a_plain_problem(tmp_path, capsys):
    path = tmp_path / "w.json"
    path.write_text("{broken")
    assert main(["summary", str(path), "--out", str(tmp_path / "s.html")]) == 1
    error = capsys.readouterr().err
    assert error.startswith("Problem: ") and "Traceback" not in error
    assert not (tmp_path / "s.html").exists()


# --- Workbook 2's Summary tab -------------------------------------------------------------------


def test_workbook_2_prepares_the_summary_to_download(tmp_path):
    from plkit.ui import self_assessment

    screen = self_assessment(work_dir=tmp_path)
    screen.details.name.value = "Ana <script>"
    screen.pages[1].ratings["how.voice.choices"].value = "now"
    screen.summary.reflections["overall.shifts"].value = "Pacing $$ first"
    button = screen.summary_download.prepare
    assert button.description == "Prepare my summary to print"
    assert button in screen.summary.children[-1].children
    button.click()
    links = screen.summary_download.downloads.value
    assert "ready" in links
    assert 'download="my-self-assessment.html"' in links and 'download="my-self-assessment.md"' in links
    page = base64.b64decode(re.search(r'href="data:text/html;base64,([^"]+)"', links)[1]).decode()
    markdown = base64.b64decode(re.search(r'href="data:text/markdown;base64,([^"]+)"', links)[1]).decode()
    assert "Students manage their own learning choices and decisions. We do this now" in Page(page).text
    assert_safe_page(page, ["Ana <script>", "Pacing $$ first"])
    assert_markdown_shows(markdown, ["Ana <script>", "Pacing $$ first"])


# --- any work the screens can make --------------------------------------------------------------


@pytest.mark.properties
@pytest.mark.filterwarnings("ignore:Generating overly large repr")
@settings(max_examples=max(5, settings.default.max_examples // 6))  # six charts drawn per example
@given(data=st.data())
def test_every_summary_shows_any_text(data):
    framework = load_framework()
    work = data.draw(works(framework), label="work")
    section = work.self_assessment
    shown = [t.strip() for t in (*section.notes.values(), *section.evidence.values(), *section.reflections.values())
             if t.strip() and t.strip() in t]
    who = (work.participant.team if work.is_team else work.participant.name).strip()
    shown += [who] if who else []
    page = summary_html(work, framework, today=TODAY)
    assert_safe_page(page, shown)
    parsed = Page(page)
    assert parsed.headings[0] == ("Our team's self-assessment" if work.is_team else "My self-assessment")
    assert ("Since last time" in " ".join(parsed.headings)) == bool(section.rounds)
    images = [attrs for tag, attrs in parsed.elements if tag == "img"]
    assert len(images) == 1 + bool(section.rounds) + len(framework.themes) and all(i["alt"] for i in images)
    assert_markdown_shows(summary_markdown(work, framework, today=TODAY), shown)
