"""The exports: pages from autoescaped templates, Markdown that keeps everyone's text as text, and
issue 10's reproductions (maths markup in a priority or a framework, a long pasted link)."""

import csv
import io
import subprocess
import sys
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from page_checks import Page, assert_markdown_shows, assert_safe_page, normal

from plkit.cli import main
from plkit.content import data_dir, load_framework
from plkit.group import read_group
from plkit.model import Priority, Step, Work
from plkit.report import (
    _templates,
    group_html,
    group_markdown,
    md_block,
    md_line,
    plan_html,
    plan_markdown,
)
from plkit.work import write_work

TODAY = date(2026, 11, 22)
LINK = ("https://docs.example.org/document/d/" + "1AbC_dEfGhIjKlMnOpQrStUvWxYz" * 9)[:250]  # no break opportunity

# Text that would be Markdown (or HTML, or maths) if it were not escaped, by what it would become.
HOSTILE_MARKDOWN = {
    "link": "[x](https://example.org)",
    "image": "![i](http://example.org/i.png)",
    "javascript link": "[click](javascript:alert(1)) javascript:alert(1)",
    "heading": "# heading",
    "script": "<script>alert(1)</script>",
    "html": "<b>bold</b> <img src=x onerror=alert(1)>",
    "autolink": "<https://example.org> <javascript:alert(1)>",
    "code": "`code` and ```fence```",
    "emphasis": "*a* _b_ **c** __d__",
    "table": "a | b\n--|--\nc | d",
    "lists": "- one\n+ two\n1. three\n2) four\n* five",
    "setext headings": "Title\n===\nSub\n---",
    "quote": "> quoted",
    "indented code": "text\n\n    code",
    "entities": "&amp; &#60; &copy;",
    "maths": "Raise $$ for laptops $x^2$ \\frac{1}{2}",
    "strikethrough": "~~gone~~",
    "footnote": "x[^1]\n\n[^1]: note",
    "reference": "[x]\n\n[x]: https://example.org",
    "backslash": "ends with a backslash \\",
    "long link": LINK,
    "address with markup": "https://example.org/_a_/*b*/[c]#d$",
    "address with a backtick": "https://example.org/`x`",
    "line endings": "one\rtwo\r\nthree\n\n\n",
    "fence at line start": "note\n```\ncode\n```",
}


def plan_of(text: str) -> Work:
    work = Work()
    work.participant.name, work.participant.team = text, text
    work.action_plan.priorities = [
        Priority(title=text, goal=text, steps=[Step(text)], people=text, start="2026-09-01",
                 end="2027-01-31", evidence=text, support=text),
        Priority(title="Second", goal="Plain"),
    ]
    return work


def test_pages_come_from_autoescaped_templates():
    environment = _templates()
    assert environment.autoescape is True
    shipped = resources.files("plkit") / "templates"
    for name in ("page.html.j2", "page.css", "plan.html.j2", "group.html.j2"):
        assert (shipped / name).is_file(), name


def test_importing_plkit_loads_neither_jinja2_nor_matplotlib():
    code = ("import sys, plkit, plkit.report, plkit.charts, plkit.cli\n"
            "print(','.join(m for m in ('jinja2', 'matplotlib') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("text", HOSTILE_MARKDOWN.values(), ids=HOSTILE_MARKDOWN.keys())
def test_a_plan_page_shows_any_text_escaped(framework, text):
    page = plan_html(plan_of(text), framework, today=TODAY)
    assert_safe_page(page, [text.strip(), f"Priority 1: {text}"])
    assert Page(page).headings[:2] == ["My personalized learning action plan", normal(f"Priority 1: {text}")]


@pytest.mark.parametrize("text", HOSTILE_MARKDOWN.values(), ids=HOSTILE_MARKDOWN.keys())
def test_a_markdown_plan_shows_any_text_as_typed(framework, text):
    markdown = plan_markdown(plan_of(text), framework, today=TODAY)
    assert_markdown_shows(markdown, [text, f"Priority 1: {text}"], headings=3)


@pytest.mark.parametrize("text", HOSTILE_MARKDOWN.values(), ids=HOSTILE_MARKDOWN.keys())
def test_a_markdown_group_report_shows_any_text_as_typed(framework, tmp_path, text):
    work = plan_of(text)
    work.self_assessment.notes["how.voice"] = text
    group = read_group([("a.json", write_work(work, tmp_path / "a.json").read_bytes())], framework,
                       names=True)
    markdown = group_markdown(group, framework, names=True, today=TODAY)
    assert_markdown_shows(markdown, [f"{text.strip()}: Notes: {text.strip()}", f"{text.strip()} (1)"],
                          headings=9)  # the report's eight, and one approach with notes
    page = group_html(group, framework, names=True, today=TODAY)
    assert_safe_page(page, [f"Notes: {text.strip()}", text.strip()])


def test_ampersands_stay_ampersands_in_markdown(framework):
    work = plan_of("Room 5 & co: AT&T, R&D")
    markdown = plan_markdown(work, framework, today=TODAY)
    assert "## Priority 1: Room 5 & co: AT&T, R&D" in markdown
    assert "&amp;" not in markdown
    assert_markdown_shows(markdown, ["Room 5 & co: AT&T, R&D"])


def test_markdown_escapes_only_what_would_be_markdown():
    assert md_line("Plain words, a question? Yes! (And 50% more.)") == "Plain words, a question? Yes! (And 50% more.)"
    assert md_line("# Raise $$ *now*") == "\\# Raise \\$\\$ \\*now\\*"
    assert md_line("<b>&amp; & </b>") == "&lt;b&gt;&amp;amp; & &lt;/b&gt;"
    assert md_line("1. first\n- second") == "1\\. first \\- second"
    assert md_line("see https://example.org/a_b#c, then") == "see `https://example.org/a_b#c,` then"
    assert md_block("first\n- second\n\n") == "first\\\n  \\- second"


def test_long_words_and_links_wrap(framework, tmp_path):
    page = plan_html(plan_of(LINK), framework, today=TODAY)
    assert "overflow-wrap: anywhere" in page and "minmax(0, 1fr)" in page
    assert "img { max-width: 100%" in page
    group = read_group([("a.json", write_work(plan_of(LINK), tmp_path / "a.json").read_bytes())], framework)
    assert "table-layout: fixed" in group_html(group, framework, today=TODAY)


def test_a_date_that_cannot_be_read_is_shown_as_it_is(framework):
    work = plan_of("x")
    work.action_plan.priorities[0].end = "9999-12-31"
    work.action_plan.priorities[1].start = "someday"
    page = plan_html(work, framework, today=TODAY)
    assert "01 September 2026 to 31 December 9999" in page and "someday to not set" in page


def framework_with(tmp_path: Path, text: str) -> Path:
    """A copy of the shipped framework whose first theme, approach, practice, rating and the
    framework's title all read ``text``."""
    rows = list(csv.DictReader(io.StringIO((data_dir() / "framework.csv").read_text(encoding="utf-8"))))
    for kind in ("framework", "theme", "approach", "practice", "scale"):
        first = next(row for row in rows if row["type"] == kind)
        first["text"] = f"{text} ({kind})"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "district.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_issue_10_a_framework_with_maths_markup_makes_a_group_report(tmp_path, capsys, suffix):
    """A district framework with `$$` in a practice passed `plkit validate`, then crashed `plkit group`."""
    path = framework_with(tmp_path, "Raise $$ for laptops: $x^2$ \\frac{1}{2}")
    framework = load_framework(path)
    practice = next(iter(framework.practices))
    scale = framework.rating_ids
    folder = tmp_path / "group"
    for i, rating in enumerate((scale[0], scale[1], scale[0])):
        work = Work(framework=framework.id)
        work.self_assessment.ratings[practice] = rating
        work.action_plan.priorities = [Priority(title="Raise $$ for laptops", practice=practice)]
        write_work(work, folder / f"{i}.json")
    out = tmp_path / f"report{suffix}"
    assert main(["group", str(folder), "--framework", str(path), "--out", str(out)]) == 0, capsys.readouterr()
    report = out.read_text(encoding="utf-8")
    expected = [f"Raise $$ for laptops: $x^2$ \\frac{{1}}{{2}} ({kind})" for kind in ("theme", "practice")]
    if suffix == ".md":
        assert_markdown_shows(report, expected)
    else:
        assert_safe_page(report, expected)
        assert report.count('<img src="data:image/png;base64,') == 2


@pytest.mark.slow_build
def test_the_templates_ship_in_the_package(tmp_path):
    """`pip install .` (not editable) gives a package that renders its pages."""
    root = Path(__file__).resolve().parent.parent
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    str(root)], check=True, capture_output=True)
    assert (target / "plkit" / "templates" / "plan.html.j2").is_file()
    code = ("import plkit, plkit.report as r\n"
            "from plkit.model import Priority\n"
            "w = plkit.Work(); w.action_plan.priorities = [Priority(title='<b>x</b>')]\n"
            "print(r.__file__); print('&lt;b&gt;x&lt;/b&gt;' in r.plan_html(w, plkit.load_framework()))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=tmp_path, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin",
                                               "MPLCONFIGDIR": str(tmp_path / "mpl")})
    where, escaped = result.stdout.split()
    assert Path(where).is_relative_to(target) and escaped == "True"


# --- issue 11: the team's agreed picture and roles side by side ----------------------------------

VOICE, MATERIALS = "how.voice.choices", "what.goals.materials"


def member_file(role: str, ratings: dict[str, str], name: str = "") -> tuple[str, bytes]:
    work = Work()
    work.participant.name, work.participant.role = name, role
    work.self_assessment.ratings = ratings
    return (f"{name or role}.json", work.to_json().encode("utf-8"))


def role_group(framework, teachers: int, leaders: int, coaches: int = 0):
    """Teachers all rate choices 'now' and materials 'different'; leaders rate choices 'different'
    and leave materials; coaches rate choices 'not sure'."""
    files = [member_file("teacher", {VOICE: "now", MATERIALS: "different"}, f"Teacher {i}") for i in range(teachers)]
    files += [member_file("school leader", {VOICE: "different"}, f"Leader {i}") for i in range(leaders)]
    files += [member_file("coach", {VOICE: "not-sure"}, f"Coach {i}") for i in range(coaches)]
    return read_group(files, framework)


def team_of(framework, group, reasons: str = "Every class <b>has</b> choice boards.", name: str = "Grade 7"):
    from plkit import consensus
    from plkit.group import rating_table
    from plkit.model import NO_AGREEMENT, TEAM

    table = rating_table(group, framework)
    team = Work(framework=framework.id, kind=TEAM)
    consensus.start_team(team, name)
    consensus.draft(team, VOICE, framework, rating="now", reasons=reasons)
    consensus.record(team, VOICE, framework, table[VOICE], "2026-11-20T10:00:00+00:00", group)
    consensus.draft(team, MATERIALS, framework, rating=NO_AGREEMENT, evidence_needed="A student survey\n& walkthroughs",
                    who_finds="Ana [coach]")
    consensus.record(team, MATERIALS, framework, table[MATERIALS], "2026-11-20T10:05:00+00:00", group)
    return team


def test_the_group_report_shows_the_teams_agreed_picture(framework):
    group = role_group(framework, teachers=3, leaders=3)
    team = team_of(framework, group)
    page = group_html(group, framework, today=TODAY, team=team)
    parsed = Page(page)
    assert parsed.headings == ["Group report: where the group stands", "Who completed what",
                               "The team's agreed picture", "No agreement yet: evidence to find",
                               "Discuss first: where the group disagrees most", "Themes", "Every practice",
                               "Roles side by side", "Every practice, by role", "Where roles see it differently",
                               "Priorities chosen in action plans"]
    choices, materials = framework.practices[VOICE].text, framework.practices[MATERIALS].text
    assert "Grade 7 · Agreed by 6 members (anonymous). · 1 of 29 agreed, 1 with no agreement yet" in parsed.text
    # framework order: materials (theme "what") before choices (theme "how")
    assert (f"{materials} No agreement yet This is different 3, Not rated 3 "
            f"{choices} We do this now We do this now 3, This is different 3 Every class <b>has</b> choice boards."
            ) in parsed.text
    assert "&lt;b&gt;has&lt;/b&gt;" in page and "<b>has" not in page
    assert f"{materials} A student survey & walkthroughs Ana [coach]" in parsed.text
    assert "Still to agree: 27 practices" in parsed.text
    # listed once as still to agree, once in "Every practice, by role"
    assert parsed.text.count(framework.practices["what.goals.profiles"].text) == 2
    assert_safe_page(page, ["Every class <b>has</b> choice boards.", "Ana [coach]"])


def test_the_markdown_group_report_shows_the_teams_agreed_picture(framework):
    group = role_group(framework, teachers=3, leaders=3)
    team = team_of(framework, group, reasons="Every class has *choice* boards.\n- and [links](x)")
    markdown = group_markdown(group, framework, today=TODAY, team=team)
    choices, materials = framework.practices[VOICE].text, framework.practices[MATERIALS].text
    assert "## The team's agreed picture\n\nGrade 7 · Agreed by 6 members (anonymous). · 1 of 29 agreed, 1 with no agreement yet" in markdown
    assert f"- {choices}\\\n  The team: **We do this now** (the group then: We do this now 3, This is different 3)" in markdown
    assert f"- {materials}\\\n  The team: **No agreement yet** (the group then: This is different 3, Not rated 3)\n" in markdown
    assert "Still to agree: 27 practices" in markdown
    assert_markdown_shows(markdown, [
        "Reasons: Every class has *choice* boards. - and [links](x)",
        "Evidence that would settle it: A student survey & walkthroughs Who will find it: Ana [coach]",
    ], headings=11)


def test_without_a_team_file_the_report_has_no_team_part(framework):
    group = role_group(framework, teachers=3, leaders=3)
    for report in (group_html(group, framework, today=TODAY), group_markdown(group, framework, today=TODAY)):
        assert "agreed picture" not in report and "Still to agree" not in report
        assert "Roles side by side" in report


def test_a_team_with_nothing_agreed_yet(framework):
    from plkit.model import TEAM

    group = role_group(framework, teachers=3, leaders=0)
    team = Work(framework=framework.id, kind=TEAM)
    page = Page(group_html(group, framework, today=TODAY, team=team)).text
    assert "Team name not given · Agreed by 0 members (anonymous). · 0 of 29 agreed No answers agreed yet." in page
    assert "Still to agree: 29 practices" in page and "No agreement yet: evidence" not in page
    markdown = group_markdown(group, framework, today=TODAY, team=team)
    assert "No answers agreed yet." in markdown and "### No agreement yet" not in markdown


def test_who_agreed_is_named_only_when_the_report_shows_names(framework):
    group = read_group([member_file("teacher", {VOICE: "now"}, name) for name in ("Ana Quill", "Boris V")],
                       framework, names=True)
    team = team_of(framework, group)
    assert team.team.names_shown and team.team.combined == ["Ana Quill", "Boris V"]
    for write in (group_html, group_markdown):
        assert "Agreed by 2 members: Ana Quill, Boris V." in write(group, framework, names=True, today=TODAY, team=team)
        anonymous = write(group, framework, names=False, today=TODAY, team=team)
        assert "Agreed by 2 members (anonymous)." in anonymous and "Boris" not in anonymous


def test_roles_side_by_side_merges_small_groups(framework):
    """Teachers 5, leaders 4, coaches 2: coaches merge into Other roles (2), too few, so the leaders
    join them: Teachers 5 and Other roles 6; no role group of fewer than 3 is shown."""
    group = role_group(framework, teachers=5, leaders=4, coaches=2)
    page = group_html(group, framework, today=TODAY)
    assert "<th>Theme</th><th>Teachers (5)</th><th>Other roles (6)</th>" in page
    assert "School leaders (4)</th>" not in page and "Coaches and specialists (2)</th>" not in page
    assert "it includes school leaders (4)." in page
    text = Page(page).text
    # "How students learn" has 12 practices: 5 teachers rated one of them (60 cells, 5 ratings)
    assert "How students learn We do this now 5, Not rated 55 This is different 4, Not sure yet 2, Not rated 66" in text
    # choices: teachers all 'now', the others 4 'different' and 2 'not sure': shares differ by 1
    choices = framework.practices[VOICE].text
    assert (f"1 {choices} 1.00 Teachers: mostly We do this now (5 of 5) "
            "Other roles: mostly This is different (4 of 6)") in text
    markdown = group_markdown(group, framework, today=TODAY)
    assert "Role groups: Teachers (5), Other roles (6)." in markdown
    assert "  - Other roles: This is different 4, Not sure yet 2, Not rated 66" in markdown
    assert (f"1. {choices} (difference 1.00): Teachers mostly We do this now (5 of 5); "
            "Other roles mostly This is different (4 of 6)") in markdown
    assert "School leaders (4)," not in markdown and "Teachers (5), School" not in markdown
    # Every practice, by role: the rated one, and one nobody rated.
    assert f"{choices} mostly We do this now (5 of 5) mostly This is different (4 of 6)" in text
    first = next(iter(framework.practices.values())).text
    assert f"Every practice, by role Practice Teachers (5) Other roles (6) {first} no ratings no ratings" in text
    assert (f"- {choices}\n  - Teachers: mostly We do this now (5 of 5)\n"
            "  - Other roles: mostly This is different (4 of 6)") in markdown


def test_roles_that_cannot_be_compared_are_said_so(framework):
    group = role_group(framework, teachers=4, leaders=0)
    for report in (Page(group_html(group, framework, today=TODAY)).text, group_markdown(group, framework, today=TODAY)):
        assert ("Roles cannot be compared in this group: it takes at least two role groups of 3 or more people, "
                "so that no one can be identified.") in report
        assert "Where roles see it differently" not in report and "Teachers (4)" not in report
    group = role_group(framework, teachers=4, leaders=2)  # the leaders merge; one group is left
    for report in (Page(group_html(group, framework, today=TODAY)).text, group_markdown(group, framework, today=TODAY)):
        assert report.count("cannot be compared") == 1
        assert "That leaves one group, so roles cannot be compared in this group." in report
        assert "Other roles (6)" not in report and "Teachers (4)" not in report
