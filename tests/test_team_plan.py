"""The team's plan (issue 11, item 3): proposed from the team's agreed answers, kept in the team
file, opened in Workbook 4 beside one's own plan, printed as the team's."""

import base64
import re
from datetime import date, datetime, timezone

import pytest

from plkit import read_work, write_work
from plkit.cli import main
from plkit.consensus import draft, record, start_team
from plkit.model import NO_AGREEMENT, TEAM, Priority, Work
from plkit.plan import propose_priorities
from plkit.report import plan_html, plan_markdown
from plkit.store import WorkStore
from plkit.ui import action_plan
from plkit.ui.save_bar import describe, download_name
from plkit.work import TEAM_FILE_NAME, WORK_FILE_NAME

WHEN = "2026-05-04T10:00:00+00:00"
HOSTILE = "<script>alert(1)</script> $$x$$ **bold** [link](http://e.org)"


def team_work(framework, name="Lincoln MS", names=()) -> Work:
    """Two practices agreed 'This is different', one 'We do this now', one with no agreement yet,
    and one 'This is different' still being discussed (not recorded)."""
    work = Work(kind=TEAM, framework=framework.id)
    start_team(work, name)
    split = {"now": 1, "different": 2}
    for pid, rating in [("how.guidance.plans", "different"), ("what.goals.profiles", "now"),
                        ("what.goals.materials", "different")]:
        draft(work, pid, framework, rating=rating, reasons="We looked at our lesson plans.")
        record(work, pid, framework, split, WHEN)
    draft(work, "what.competencies.targets", framework, rating=NO_AGREEMENT,
          evidence_needed="Student goal sheets " + HOSTILE, who_finds="Ms Ray")
    record(work, "what.competencies.targets", framework, split, WHEN)
    draft(work, "how.flexible.peers", framework, rating="different", reasons="Still talking")  # open
    work.team.members = 3
    work.team.combined = list(names) or ["a1b2", "c3d4", "e5f6"]
    work.team.names_shown = bool(names)
    return work


def save_team(framework, folder, work: Work) -> WorkStore:
    store = WorkStore(framework, folder, kind=TEAM)
    store.replace(work)
    return store


# --- proposals ---------------------------------------------------------------------------------


def test_team_proposals_are_the_different_then_the_no_agreement_practices(framework):
    proposals = propose_priorities(team_work(framework), framework)
    assert [(c.rating, c.practice.id) for c in proposals] == [
        ("different", "what.goals.materials"), ("different", "how.guidance.plans"),
        (NO_AGREEMENT, "what.competencies.targets")]


def test_a_personal_file_with_the_same_consensus_part_is_read_as_before(framework):
    work = team_work(framework)
    work.kind = "personal"
    work.self_assessment.ratings = {"how.voice.choices": "not-sure"}
    assert [c.practice.id for c in propose_priorities(work, framework)] == ["how.voice.choices"]


# --- Workbook 4: whose plan -----------------------------------------------------------------------


@pytest.fixture
def both_files(tmp_path, framework):
    """A folder with someone's own work (one practice rated) and the team's file."""
    own = WorkStore(framework, tmp_path)
    own.edit(lambda w: w.self_assessment.ratings.update({"how.voice.choices": "not-sure"}))
    save_team(framework, tmp_path, team_work(framework))
    return tmp_path


def upload(bar, name: str, raw: bytes) -> None:
    bar.upload.value = ({"name": name, "type": "application/json", "size": len(raw),
                         "content": memoryview(raw), "last_modified": datetime.now(timezone.utc)},)


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_switching_to_the_team_plan_shows_the_team_file(both_files):
    screen = action_plan(work_dir=both_files)
    assert screen.whose.description == "Whose plan?"
    assert [label for label, _ in screen.whose.options] == ["My own plan", "Our team's plan"]
    assert text_of(screen.open_line.value) == f"Open: your own plan ({both_files.name}/{WORK_FILE_NAME})"
    assert [value for _, value in screen.choice.options] == ["how.voice.choices"]
    assert screen.about.children == (screen.details,)
    screen.whose.value = TEAM
    assert screen.store.kind == TEAM and screen.save_bar.store is screen.store
    assert text_of(screen.open_line.value) == (
        f"Open: the team plan of Lincoln MS ({both_files.name}/{TEAM_FILE_NAME}) — agreed by 3 members")
    assert [value for _, value in screen.choice.options] == [
        "what.goals.materials", "how.guidance.plans", "what.competencies.targets"]
    assert screen.choice.options[2][0].startswith("No agreement yet · ")
    assert "From the team's agreed answers" in screen.suggestions.value
    assert "Evidence still needed: Student goal sheets &lt;script&gt;" in screen.suggestions.value
    assert "<script>" not in screen.suggestions.value
    assert screen.about.children == (screen.team_about,)
    assert "Lincoln MS" in screen.team_about.value and "Agreed by 3 members (anonymous)." in screen.team_about.value
    assert "Practices: 3 of 29 agreed, 1 with no agreement yet." in screen.team_about.value
    assert "Download the team file" in screen.save_bar.download.value
    assert screen.prepare.description == "Prepare the team's plan to print or share"
    screen.whose.value = "personal"
    assert screen.store.kind == "personal"
    assert [value for _, value in screen.choice.options] == ["how.voice.choices"]
    assert "Download my work" in screen.save_bar.download.value


def test_a_team_priority_is_saved_in_the_team_file_only(both_files):
    own_before = (both_files / WORK_FILE_NAME).read_bytes()
    screen = action_plan(work_dir=both_files)
    screen.whose.value = TEAM
    screen.choice.value = "what.competencies.targets"
    screen.add_chosen.click()
    screen.cards[0].goal.value = "Every student keeps a goal sheet"
    team = read_work(both_files / TEAM_FILE_NAME)
    assert [(p.practice, p.goal) for p in team.action_plan.priorities] == [
        ("what.competencies.targets", "Every student keeps a goal sheet")]
    assert team.is_team and team.participant.team == "Lincoln MS" and len(team.team.consensus) == 5
    assert (both_files / WORK_FILE_NAME).read_bytes() == own_before
    screen.whose.value = "personal"
    assert screen.cards == [] and "No priorities yet" in screen.cards_box.children[0].value
    again = action_plan(work_dir=both_files)  # a new session opens one's own plan first
    assert again.store.kind == "personal" and again.store.work.action_plan.priorities == []


def test_no_team_file_says_how_to_get_one_and_makes_none(tmp_path):
    screen = action_plan(work_dir=tmp_path)
    screen.whose.value = TEAM
    assert text_of(screen.open_line.value) == (
        f"Open: the team plan ({tmp_path.name}/{TEAM_FILE_NAME}), but there is no team file here yet")
    about = screen.team_about.value
    assert "There is no team file here yet" in about and "Agree as a team" in about and "Load a team file" in about
    assert "nothing to suggest" in screen.suggestions.value
    assert screen.save_bar.download.value == "" and "No team file saved here yet" in screen.save_bar.status.value
    screen.own_title.value = "Parent nights"
    screen.add_own.click()
    assert "open the team file first" in screen.add_message.value
    screen.whose.value = "personal"
    screen.whose.value = TEAM
    assert not (tmp_path / TEAM_FILE_NAME).exists() and not (tmp_path / WORK_FILE_NAME).exists()


def test_loading_a_team_file_in_workbook_4(tmp_path, framework):
    screen = action_plan(work_dir=tmp_path)
    screen.whose.value = TEAM
    upload(screen.save_bar, "team.json", team_work(framework).to_json().encode())
    assert "team.json holds: Team Lincoln MS; 3 of 29 practices agreed, 1 with no agreement yet, " \
           "from 3 members&#x27; files; 0 priorities in the team&#x27;s plan" in screen.save_bar.message.value
    screen.save_bar.use_file.click()
    assert "Loaded. The answers in the file are now the team" in screen.save_bar.message.value
    assert "agreed by 3 members" in screen.open_line.value
    assert [value for _, value in screen.choice.options][0] == "what.goals.materials"


# --- the save bar of each kind -------------------------------------------------------------------


def test_save_bar_words_for_a_team_file(both_files):
    screen = action_plan(work_dir=both_files)
    bar = screen.save_bar
    assert (bar.upload.description, bar.start_over.tooltip, bar.confirm_reset.description) == (
        "Load my work", "Clear every answer (a backup is kept)", "Yes, clear my answers")
    screen.whose.value = TEAM
    assert (bar.upload.description, bar.start_over.tooltip, bar.confirm_reset.description) == (
        "Load a team file", "Clear every agreed answer of the team (a backup is kept)",
        "Yes, clear the team's answers")
    assert bar.confirm_reset.layout.width == "auto"  # 29 characters: not cut
    assert re.search(r'download="plkit-team-lincoln-ms-\d{4}-\d\d-\d\d\.json"', bar.download.value)
    bar.start_over.click()
    assert "Clear every agreed answer of the team" in bar.message.value
    bar.cancel_reset.click()
    assert "the team file is as it was" in bar.message.value


def test_describe_a_team_file(framework):
    work = team_work(framework)
    work.action_plan.priorities = [Priority(title="Goal sheets")]
    work.saved_at = "2026-05-04T10:00:00+00:00"
    text = describe(work, framework)
    assert text.startswith("Team Lincoln MS; 3 of 29 practices agreed, 1 with no agreement yet, "
                           "from 3 members' files; 1 priority in the team's plan; saved 04 May 2026 at ")
    work.team.members = 1
    work.participant.team = ""
    assert describe(work, framework).startswith("A team with no name given; 3 of 29 practices agreed, "
                                                "1 with no agreement yet, from 1 member's file; 1 priority")


def test_download_names_of_each_kind(framework):
    today = date.today().isoformat()
    assert download_name(team_work(framework, name="Lincoln MS!")) == f"plkit-team-lincoln-ms-{today}.json"
    person = Work()
    person.participant.name = "Ana B"
    person.participant.team = "Lincoln MS"
    assert download_name(person) == f"plkit-work-ana-b-{today}.json"


def test_each_bar_refuses_the_other_kind_and_nothing_changes(both_files, framework):
    own_path, team_path = both_files / WORK_FILE_NAME, both_files / TEAM_FILE_NAME
    own_before, team_before = own_path.read_bytes(), team_path.read_bytes()
    screen = action_plan(work_dir=both_files)
    upload(screen.save_bar, "team.json", team_path.read_bytes())
    message = screen.save_bar.message.value
    assert message.startswith('<p role="status" class="plkit-problem">team.json was not loaded, and your work '
                              "is unchanged. This is a team file (Lincoln MS")
    assert screen.save_bar.choices.children == ()
    screen.whose.value = TEAM
    upload(screen.save_bar, "mine.json", own_before)
    assert "mine.json was not loaded, and your work is unchanged. This is one person&#x27;s work file, not a " \
           "team file." in screen.save_bar.message.value
    assert screen.save_bar.choices.children == ()
    assert own_path.read_bytes() == own_before and team_path.read_bytes() == team_before
    assert not (both_files / "backups").exists()


# --- the printable team plan -------------------------------------------------------------------


def planned(framework, **kwargs) -> Work:
    work = team_work(framework, **kwargs)
    work.participant.team = "Lincoln <b>MS</b> $$"
    work.action_plan.priorities = [
        Priority(title="Goal sheets " + HOSTILE, practice="what.competencies.targets", goal="Every student"),
        Priority(title="Adapted materials", practice="what.goals.materials"),
    ]
    return work


def test_the_team_plan_page_says_it_is_the_team_plan(framework):
    page = plan_html(planned(framework), framework, today=date(2026, 11, 22))
    assert "<h1>Our team&#39;s personalized learning action plan</h1>" in page
    assert "My personalized learning action plan" not in page
    assert "Team: Lincoln &lt;b&gt;MS&lt;/b&gt; $$ · 22 November 2026" in page
    assert "Agreed by 3 members (anonymous)." in page
    assert "<dt>The team&#39;s answer</dt><dd>No agreement yet</dd>" in page
    assert "<dt>Evidence still needed</dt><dd>Student goal sheets &lt;script&gt;" in page
    assert "<dt>Who finds it</dt><dd>Ms Ray</dd>" in page
    assert "<dt>The team&#39;s answer</dt><dd>This is different. We looked at our lesson plans.</dd>" in page
    assert page.count("<dt>Evidence still needed</dt>") == 1  # only the practice with no agreement
    assert "<script>" not in page and "<b>MS" not in page


def test_the_team_plan_names_who_agreed_when_names_were_on(framework):
    page = plan_html(planned(framework, names=["Ana", "Ben <i>", "Cy"]), framework, today=date(2026, 11, 22))
    assert "Agreed by 3 members: Ana, Ben &lt;i&gt;, Cy." in page
    text = plan_markdown(planned(framework, names=["Ana", "Ben <i>", "Cy"]), framework, today=date(2026, 11, 22))
    assert "Agreed by 3 members: Ana, Ben &lt;i&gt;, Cy." in text


def test_the_team_plan_markdown_is_escaped(framework):
    text = plan_markdown(planned(framework), framework, today=date(2026, 11, 22))
    lines = text.splitlines()
    assert lines[0] == "# Our team's personalized learning action plan"
    assert lines[2] == r"Team: Lincoln &lt;b&gt;MS&lt;/b&gt; \$\$ · 22 November 2026"
    assert lines[4] == "Agreed by 3 members (anonymous)."
    assert r"## Priority 1: Goal sheets &lt;script&gt;alert(1)&lt;/script&gt; \$\$x\$\$ \*\*bold\*\* " \
           r"\[link\](`http://e.org)`" in text
    assert "- **The team's answer:** No agreement yet" in text
    assert "- **Evidence still needed:** Student goal sheets &lt;script&gt;" in text
    assert "- **Who finds it:** Ms Ray" in text
    assert sum(line.startswith("#") for line in lines) == 3  # the title and two priorities
    assert "<script>" not in text and "$$" not in text


def test_a_personal_plan_is_unchanged(framework):
    work = Work()
    work.participant.name = "Ana"
    work.action_plan.priorities = [Priority(title="Goals", practice="what.goals.materials")]
    text = plan_markdown(work, framework, today=date(2026, 11, 22))
    assert text.startswith("# My personalized learning action plan\n\nAna · 22 November 2026\n")
    assert "- **From the self-assessment:** Teachers adapt curriculum" in text
    assert "team" not in text.lower()
    page = plan_html(work, framework, today=date(2026, 11, 22))
    assert "<title>Ana: personalized learning action plan" in page and "Agreed by" not in page


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_plan_command_on_a_team_file(tmp_path, capsys, framework, suffix):
    path = write_work(planned(framework), tmp_path / "plkit-team.json")
    out = tmp_path / f"plan{suffix}"
    assert main(["plan", str(path), "--out", str(out)]) == 0, capsys.readouterr().err
    assert capsys.readouterr().out.strip() == f"Wrote {out} (2 priorities)."
    page = out.read_text(encoding="utf-8")
    assert "Our team" in page and "personalized learning action plan" in page
    assert "Agreed by 3 members (anonymous)." in page and "Who finds it" in page


def test_prepare_in_workbook_4_gives_the_team_plan(both_files):
    screen = action_plan(work_dir=both_files)
    screen.whose.value = TEAM
    screen.add_chosen.click()
    screen.prepare.click()
    links = dict(re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', screen.downloads.value))
    assert set(links) == {"team-action-plan.html", "team-action-plan.md"}
    assert "The team's plan is ready" in screen.downloads.value
    text = base64.b64decode(links["team-action-plan.md"]).decode()
    assert text.startswith("# Our team's personalized learning action plan\n\nTeam: Lincoln MS · ")


def test_the_team_marks_its_steps_in_the_team_file_only(both_files):
    """Issue 12: the team's steps, check-ins and review date go to the team file; the team's plan
    prints them under the team's heading."""
    own_before = (both_files / WORK_FILE_NAME).read_bytes()
    screen = action_plan(work_dir=both_files)
    screen.whose.value = TEAM
    screen.add_chosen.click()
    card = screen.cards[0]
    for words in ("Collect goal sheets", "Compare in March"):
        card.add_step.click()
        card.step_rows[-1].text.value = words
    card.step_rows[0].status.value = "done"
    card.step_rows[1].due.value = date(2027, 3, 15)
    card.add_check_in.click()
    card.check_in_rows[0].happened.value = "All sheets in"
    card.review.value = date(2027, 4, 1)
    priority = read_work(both_files / TEAM_FILE_NAME).action_plan.priorities[0]
    assert [(s.text, s.status, s.due) for s in priority.steps] == [
        ("Collect goal sheets", "done", ""), ("Compare in March", "not-started", "2027-03-15")]
    assert [c.happened for c in priority.check_ins] == ["All sheets in"] and priority.review == "2027-04-01"
    assert (both_files / WORK_FILE_NAME).read_bytes() == own_before
    assert "Priority 1, " in screen.chart.value and "1 of 2 steps done" in screen.chart.value
    screen.prepare.click()
    links = dict(re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', screen.downloads.value))
    text = base64.b64decode(links["team-action-plan.md"]).decode()
    assert text.startswith("# Our team's personalized learning action plan")
    assert "- **Steps:** 1 of 2 steps done\n  1. **Done**: Collect goal sheets (no due date)\n" in text
    assert "- **Next review:** 01 April 2027" in text
