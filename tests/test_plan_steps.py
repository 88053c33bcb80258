"""Issue 12, item 3: a plan that tracks its progress. Steps with a status and a due date, check-ins
and the next review: counted, checked, drawn on the timeline, printed, and tallied for the group."""

import json
import re
from datetime import date

from page_checks import Page, assert_markdown_shows, assert_safe_page, normal

from plkit import charts
from plkit.group import plan_progress, read_group
from plkit.model import CheckIn, Priority, Step, Work
from plkit.plan import (
    day_problem,
    details_filled,
    plan_problems,
    plan_step_progress,
    progress_text,
    step_progress,
    timeline_alt,
)
from plkit.report import TEAM_PLAN_HEADING, plan_html, plan_markdown
from plkit.work import parse_work, work_bytes

HOSTILE = "<script>alert(1)</script> **bold** [link](javascript:x) $x$"
TODAY = date(2026, 11, 22)


def five_steps() -> list[Step]:
    """Two done, one under way, two not started; and a blank row that is not a step yet."""
    return [Step("Pilot with grade 7", "done", "2026-10-01"), Step("Share at staff meeting", "under-way", ""),
            Step("Goal sheets for all", "not-started", "2026-12-15"), Step("  ", "done", "2026-11-01"),
            Step("Ask students", "done", "2026-11-20"), Step("Review with the coach", "not-started", "")]


def tracked(**changes) -> Priority:
    values = dict(title="Goal setting", practice="how.guidance.plans", goal="Every student sets goals",
                  steps=five_steps(), people="Grade 7 team", start="2026-09-01", end="2027-01-31",
                  evidence="Goal sheets", support="PD time",
                  check_ins=[CheckIn("2026-10-15", "Pilot went well", "Twenty goal sheets"),
                             CheckIn("2026-11-19", "", "")],
                  review="2027-02-01")
    values.update(changes)
    return Priority(**values)


# --- counting ------------------------------------------------------------------------------------

def test_step_progress_counts_written_steps_by_hand():
    assert step_progress(tracked()) == (2, 5)  # the blank row, though marked done, is not a step
    assert step_progress(Priority(title="None")) == (0, 0)
    work = Work()
    work.action_plan.priorities = [tracked(), tracked(steps=[Step("Only", "done")]), Priority(title="Empty")]
    assert plan_step_progress(work) == (3, 6)


def test_progress_in_words():
    assert progress_text(2, 5) == "2 of 5 steps done"
    assert progress_text(1, 1) == "1 of 1 step done"
    assert progress_text(0, 0) == "No steps written yet"


# --- checks ----------------------------------------------------------------------------------------

def test_a_priority_with_no_step_written_asks_for_one():
    work = Work()
    work.action_plan.priorities = [tracked(steps=[]), tracked(title="Blank", steps=[Step("   ", "done")])]
    assert plan_problems(work) == ["Priority 1 (Goal setting): write at least one first step.",
                                   "Priority 2 (Blank): write at least one first step."]
    assert details_filled(work) == (12, 14)
    work.action_plan.priorities = [tracked()]
    assert plan_problems(work) == []


def test_due_check_in_and_review_dates_are_checked():
    steps = [Step("Pilot", "done", "1999-12-31"), Step("Share", "not-started", "2100-12-31")]
    work = Work()
    work.action_plan.priorities = [tracked(steps=steps, check_ins=[CheckIn("2101-01-01")], review="someday")]
    assert plan_problems(work) == [
        "Priority 1 (Goal setting): choose a due date for step 1 between 2000 and 2100.",
        "Priority 1 (Goal setting): choose a date for check-in 1 between 2000 and 2100.",
        "Priority 1 (Goal setting): choose a review date between 2000 and 2100.",
    ]
    assert day_problem("", "a due date") == ""
    assert day_problem("2000-01-01", "a due date") == ""
    assert day_problem("1999-12-31", "a due date") == "Choose a due date between 2000 and 2100."


# --- an older file -------------------------------------------------------------------------------

def test_a_version_5_plan_s_first_steps_become_steps_not_started():
    data = {"format": "plkit-work", "version": 5, "kind": "personal", "framework": "air-whwwpl",
            "saved_at": "2026-05-04T10:30:00+00:00",
            "action_plan": {"priorities": [{"title": "Goals", "first_steps": "Pilot\nShare"}]}}
    work = parse_work(json.dumps(data).encode())
    priority = work.action_plan.priorities[0]
    assert priority.steps == [Step("Pilot", "not-started", ""), Step("Share", "not-started", "")]
    assert (priority.check_ins, priority.review) == ([], "")
    assert step_progress(priority) == (0, 2)
    assert json.loads(work_bytes(work))["version"] == 6


# --- the timeline --------------------------------------------------------------------------------

def _marks(fig) -> dict[str, list[tuple[float, float, str]]]:
    """The step markers drawn, by status: (day, row, fill style)."""
    found: dict[str, list] = {}
    for line in fig.axes[0].get_lines():
        if (gid := line.get_gid() or "").startswith("step-"):
            found.setdefault(gid[5:], []).append((line.get_xdata()[0], round(line.get_ydata()[0]), line.get_fillstyle()))
    return found


def test_the_timeline_draws_done_steps_filled_and_ticked_the_others_hollow():
    fig = charts.timeline([tracked(), Priority(title="Undated", steps=[Step("Visit", "done", "2026-12-01")])])
    assert charts.to_png(fig).startswith(b"\x89PNG")
    day = lambda iso: date.fromisoformat(iso).toordinal()  # noqa: E731
    assert _marks(fig) == {
        "done": [(day("2026-10-01"), 0, "full"), (day("2026-11-20"), 0, "full"), (day("2026-12-01"), 1, "full")],
        "not-started": [(day("2026-12-15"), 0, "none")],
    }  # the blank row and the steps with no due date are not drawn
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert {"1✓", "3", "5✓"} <= set(texts) and "4✓" not in texts  # numbered as on screen
    assert "01 Sep 2026 to 31 Jan 2027 · 2 of 5 steps done" in texts
    assert "dates not set yet" in texts and " · 1 of 1 step done" in texts
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "Step done (filled, ✓)", "Step under way (half filled)", "Step not started (hollow)"]


def test_the_timeline_keeps_its_words_inside_the_picture():
    """A priority that starts late has its dates written leftwards from its end, and labels near
    the right end run leftwards: every word stays within the chart's frame, none is cut."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    late = Priority(title="Late", start="2027-01-01", end="2027-03-01", steps=[Step("Last", "done", "2027-03-01")])
    fig = charts.timeline([tracked(), late])
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    frame = fig.axes[0].get_window_extent(renderer)
    texts = fig.axes[0].texts
    assert {"01 Jan 2027 to 01 Mar 2027 · 1 of 1 step done", "1✓"} <= {t.get_text() for t in texts}
    for text in texts:
        box = text.get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 + 1, text.get_text()
        assert box.y0 >= 0 and box.y1 <= fig.bbox.height, text.get_text()


def _words_outside(fig) -> list[str]:
    """Every word of the figure drawn as the PNG is (at its dpi) that is not wholly inside the
    picture, and every note or step number not wholly inside the chart's frame."""
    import warnings

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(charts.PNG_DPI)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        canvas.draw()
    renderer = canvas.get_renderer()
    picture, frame = fig.bbox, fig.axes[0].get_window_extent(renderer)
    outside = []
    for text in fig.findobj(Text):
        box = text.get_window_extent(renderer)
        if text.get_visible() and text.get_text().strip() and not (
                box.x0 >= picture.x0 and box.x1 <= picture.x1 and box.y0 >= picture.y0 and box.y1 <= picture.y1):
            outside.append(f"picture: {text.get_text()!r}")
    for text in fig.axes[0].texts:
        box = text.get_window_extent(renderer)
        if box.x0 < frame.x0 - 0.5 or box.x1 > frame.x1 + 0.5:
            outside.append(f"frame: {text.get_text()!r}")
    return outside


def test_the_timeline_keeps_every_word_inside_whatever_the_titles():
    """Issue 13: a title in Chinese (wide letters) left a narrow frame, and a bar's note ran past
    the picture's right edge, its last words cut. Every note now stays inside: moved back, or in
    two lines when wider than the frame."""
    plans = {
        "Chinese titles": [Priority(title="个性化学习的目标设定与学生自主规划" * 3, start="2026-01-01", end="2026-12-31"),
                           Priority(title="家校合作" * 6, start="2026-06-20", end="2026-07-01",
                                    steps=[Step("开始", "done", "2026-06-25")])],
        "wide letters": [Priority(title="W" * 80, start="2026-01-01", end="2026-03-01")],
        "undated beside a day-long bar": [Priority(title="M" * 68),
                                          Priority(title="M" * 68, start="2026-01-01", end="2026-01-02")],
        "long English titles": [tracked(title="Students write personal learning plans and set their goals " * 2),
                                Priority(title="Family learning nights", start="2026-10-28", end="2026-11-02",
                                         steps=[Step("Invite", "under-way", "2026-10-30")]),
                                Priority(title="Portfolios")],
    }
    for name, priorities in plans.items():
        assert _words_outside(charts.timeline(priorities)) == [], name


def test_the_timeline_in_words_lists_every_step_with_its_date_and_status():
    alt = timeline_alt([tracked(), Priority(title="Open")])
    assert alt == (
        "Timeline. Priority 1, Goal setting: 01 September 2026 to 31 January 2027; 2 of 5 steps done: "
        "step 1, Pilot with grade 7: due 01 October 2026, done; step 2, Share at staff meeting: no due date, "
        "under way; step 3, Goal sheets for all: due 15 December 2026, not started; step 5, Ask students: "
        "due 20 November 2026, done; step 6, Review with the coach: no due date, not started. "
        "Priority 2, Open: no start date to no end date; no steps written yet.")


# --- the printable plan --------------------------------------------------------------------------

def hostile_plan(team: bool = False) -> Work:
    work = Work(kind="team" if team else "personal")
    work.participant.team = "Room 5"
    steps = [Step("Pilot " + HOSTILE, "done", "2026-10-01"), Step("Share\nwith everyone", "under-way"),
             Step("Scale up", "not-started", "2027-01-15")]
    work.action_plan.priorities = [tracked(steps=steps, check_ins=[CheckIn("2026-10-15", "Went " + HOSTILE,
                                                                           "Seen " + HOSTILE)])]
    return work


def test_the_printable_plan_lists_steps_progress_check_ins_and_review(framework):
    page = plan_html(hostile_plan(), framework, today=TODAY)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; **bold** [link](javascript:x) $x$"
    assert (f"<dt>Steps</dt><dd>1 of 3 steps done<ol><li><strong>Done</strong>: Pilot {escaped} "
            "(due 01 October 2026)</li><li><strong>Under way</strong>: Share\nwith everyone (no due date)</li>"
            "<li><strong>Not started</strong>: Scale up (due 15 January 2027)</li></ol></dd>") in page
    assert (f"<dt>Check-ins</dt><dd><ul><li><strong>15 October 2026</strong>: What happened: Went {escaped}\n"
            f"Evidence seen: Seen {escaped}</li></ul></dd>") in page
    assert "<dt>Next review</dt><dd>01 February 2027</dd>" in page
    assert_safe_page(page, ["Pilot " + HOSTILE, "Went " + HOSTILE, "Seen " + HOSTILE])
    parsed = Page(page)
    assert "step 1, Pilot <script>" in dict(parsed.elements[[t for t, _ in parsed.elements].index("img")][1])["alt"]


def test_the_printable_plan_in_markdown_lists_steps_and_check_ins(framework):
    text = plan_markdown(hostile_plan(), framework, today=TODAY)
    escaped = r"&lt;script&gt;alert(1)&lt;/script&gt; \*\*bold\*\* \[link\](javascript:x) \$x\$"
    assert (f"- **Steps:** 1 of 3 steps done\n  1. **Done**: Pilot {escaped} (due 01 October 2026)\n"
            "  2. **Under way**: Share\\\n     with everyone (no due date)\n"
            "  3. **Not started**: Scale up (due 15 January 2027)\n") in text
    assert (f"- **Check-ins:**\n  - **15 October 2026**: What happened: Went {escaped}\\\n"
            f"    Evidence seen: Seen {escaped}\n") in text
    assert "- **Next review:** 01 February 2027" in text
    assert_markdown_shows(text, ["Pilot " + HOSTILE, "Done: Pilot", "Under way: Share with everyone",
                                 "What happened: Went " + HOSTILE, "Evidence seen: Seen " + HOSTILE],
                          headings=2)


def test_a_plan_with_nothing_tracked_yet_says_so(framework):
    work = Work()
    work.action_plan.priorities = [Priority(title="New")]
    page = plan_html(work, framework, today=TODAY)
    assert "<dt>Steps</dt><dd>No steps written yet</dd>" in page
    assert "<dt>Check-ins</dt><dd>None yet</dd>" in page and "<dt>Next review</dt><dd>not set yet</dd>" in page
    text = plan_markdown(work, framework, today=TODAY)
    assert "- **Steps:** No steps written yet\n- **Who" in text and "- **Check-ins:** None yet" in text


def test_the_team_plan_keeps_its_heading_with_steps(framework):
    page = plan_html(hostile_plan(team=True), framework, today=TODAY)
    assert Page(page).headings[:2] == [TEAM_PLAN_HEADING, "Priority 1: Goal setting"]
    assert "1 of 3 steps done" in page and "Our team&#39;s action plan" not in page  # the title is in the picture
    assert plan_markdown(hostile_plan(team=True), framework, today=TODAY).startswith(f"# {TEAM_PLAN_HEADING}")


# --- the group -------------------------------------------------------------------------------------

def small_group(framework):
    """Three plans by hand: 2 of 5 and 1 of 1 on goal setting, 0 of 2 on an own priority; one
    participant with no plan."""
    works = [Work(), Work(), Work(), Work()]
    works[0].action_plan.priorities = [tracked(), Priority(title="Parent nights",
                                                           steps=[Step("Invite"), Step("Host", "under-way")])]
    works[1].action_plan.priorities = [tracked(steps=[Step("Pilot", "done")])]
    works[2].action_plan.priorities = [Priority(title="Portfolios")]
    return read_group([(f"{i}.json", work_bytes(w)) for i, w in enumerate(works)], framework)


def test_how_far_the_group_s_plans_have_come_by_hand(framework):
    group = small_group(framework)
    progress = plan_progress(group, framework)
    goals = framework.practices["how.guidance.plans"].text
    assert (progress.done, progress.planned, progress.plans) == (3, 8, 3)
    assert progress.by_priority == {goals: (3, 6), "Parent nights": (0, 2), "Portfolios": (0, 0)}


def test_the_dashboard_s_priorities_tab_shows_steps_done(tmp_path, framework):
    from test_ui_dashboard import upload

    from plkit.ui import dashboard

    group = small_group(framework)
    board = dashboard(work_dir=tmp_path)
    upload(board, [(m.label + ".json", work_bytes(m.work)) for m in group.members])
    html = board.priorities.value
    goals = framework.practices["how.guidance.plans"].text
    assert "<strong>Steps done: 3 of 8 planned, across 3 plans.</strong>" in html
    assert f"<li><strong>{goals}</strong><br>Chosen by 2 people · steps done: 3 of 6</li>" in html
    assert "<li><strong>Parent nights</strong><br>Chosen by 1 person · steps done: 0 of 2</li>" in html
    assert "<li><strong>Portfolios</strong><br>Chosen by 1 person · no steps written yet</li>" in html


# --- the Markdown plan as a Markdown viewer shows it (issue 13) -----------------------------------

def _items(html: str, after: str) -> list[str]:
    """The text of each item of the first list after ``after`` in rendered HTML (nested lists apart)."""
    rest = html[html.index(after) + len(after):]
    tag = re.search(r"<(ul|ol)>", rest).group(1)
    block = rest[rest.index(f"<{tag}>"):rest.index(f"</{tag}>")]
    return [Page(item).text for item in re.findall(r"<li>(.*?)(?:</li>|<ol>|<ul>)", block, re.S)]


def test_each_thing_still_to_do_and_each_step_is_its_own_line_as_rendered(framework):
    """The plan's "Still to do" lines were one blockquote paragraph, run together when rendered;
    each is a list item now, and so is each step."""
    from page_checks import RENDERERS

    work = Work()
    work.action_plan.priorities = [
        tracked(steps=[Step("Pilot with grade 7", "done", "2026-10-01"), Step("Share at staff meeting")]),
        Priority(title="Parent nights")]
    problems = plan_problems(work)
    assert len(problems) == 3
    text = plan_markdown(work, framework, today=TODAY)
    for flavour, render in RENDERERS.items():
        html = render(text)
        assert _items(html, "Still to do:") == [normal(p) for p in problems], flavour
        assert _items(html, "1 of 2 steps done") == [
            "Done: Pilot with grade 7 (due 01 October 2026)", "Not started: Share at staff meeting (no due date)"]
