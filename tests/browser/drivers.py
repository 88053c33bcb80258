"""What each workbook's main interaction is, for the browser tests that run every workbook.

A driver knows one workbook's screen: how to do its main interaction (``interact``), and how to
check that the answers show (``assert_shown``), that the screen is blank (``assert_blank``) and
that a work file holds them (``assert_work``). The same driver works in JupyterLab and in Voilà:
it gets the screen's locator (the ``.plkit`` element).

A new workbook needs a driver here: the tests that run every workbook fail until it has one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import expect

from plkit import Work, load_framework

ACTIVE = re.compile(r"\bmod-active\b")
TIMEOUT = 15_000  # ms, for each change the kernel has to answer


def select_tab(screen, title: str) -> None:
    """Click a tab of the screen's Tab widget and wait until it is the selected one."""
    tab = screen.locator(".widget-tab [role=tab]",
                         has_text=re.compile(rf"^\s*{re.escape(title)}\s*$"))
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")


class Driver:
    """A participant workbook: 'About you', the save bar, a progress text; answers autosaved."""

    notebook = ""
    ready = ".plkit-progress"  # shows once the screen is drawn
    saves_work = True  # has the save bar, and autosaves to the work file
    unit = ""  # the progress text: "N of M <unit>"
    NOTE = ""  # the last text the interaction types: once saved, everything is

    def __init__(self, total: int) -> None:
        self.total = total

    @property
    def saved_marker(self) -> str:
        """Text the work file holds once the interaction is saved."""
        return json.dumps(self.NOTE)[1:-1]

    @staticmethod
    def progress(screen):
        return screen.locator(".plkit-progress")

    def progress_text(self, done: int) -> str:
        return f"{done} of {self.total} {self.unit}"

    def wait_ready(self, screen) -> None:
        expect(self.progress(screen)).to_be_visible(timeout=TIMEOUT)


class SelfAssessment(Driver):
    """Workbook 2: rate practices on the first theme tab and write a note on approach 1."""

    notebook = "02_self_assessment.ipynb"
    unit = "practices rated"
    # A note with characters HTML must escape: it is shown through HTML widgets elsewhere.
    NOTE = "Our standards map is in the 2024 curriculum guide; ask Ms. Rivera <team lead> & co."
    # (index of the practice on the first theme tab, the button to press)
    CHOICES = [(0, "We do this now"), (1, "This is different"), (3, "Not sure yet")]

    def __init__(self) -> None:
        self.framework = load_framework()
        super().__init__(len(self.framework.practices))
        self.first_theme = self.framework.themes[0]
        self.practices = self.first_theme.practices
        self.rating_id = {option.label: option.id for option in self.framework.scale}

    @staticmethod
    def rating_groups(screen):
        """The ToggleButtons of the theme tab on show (the other tabs are hidden)."""
        return screen.locator(".widget-toggle-buttons:visible")

    @staticmethod
    def notes(screen):
        return screen.get_by_label("Notes on approach 1", exact=True).filter(visible=True)

    def interact(self, screen) -> None:
        """Rate three practices of the first theme (progress follows), write a note."""
        select_tab(screen, self.first_theme.title)
        groups = self.rating_groups(screen)
        expect(groups).to_have_count(len(self.practices))
        for done, (index, label) in enumerate(self.CHOICES, start=1):
            button = groups.nth(index).locator("button", has_text=label)
            button.click()
            expect(button).to_have_class(ACTIVE, timeout=TIMEOUT)
            expect(self.progress(screen)).to_have_text(self.progress_text(done), timeout=TIMEOUT)
        notes = self.notes(screen)
        expect(notes).to_have_count(1)
        notes.fill(self.NOTE)

    def assert_shown(self, screen) -> None:
        """The interaction's answers are on the screen: pressed buttons, progress, the note."""
        expect(self.progress(screen)).to_have_text(self.progress_text(len(self.CHOICES)),
                                                   timeout=TIMEOUT)
        select_tab(screen, self.first_theme.title)
        groups = self.rating_groups(screen)
        for index, label in self.CHOICES:
            group = groups.nth(index)
            expect(group.locator("button", has_text=label)).to_have_class(ACTIVE, timeout=TIMEOUT)
            expect(group.locator("button.mod-active")).to_have_count(1)
        expect(groups.locator("button.mod-active")).to_have_count(len(self.CHOICES))
        expect(self.notes(screen)).to_have_value(self.NOTE, timeout=TIMEOUT)

    def assert_blank(self, screen) -> None:
        expect(self.progress(screen)).to_have_text(self.progress_text(0), timeout=TIMEOUT)
        select_tab(screen, self.first_theme.title)
        expect(self.rating_groups(screen).locator("button.mod-active")).to_have_count(0)
        expect(self.notes(screen)).to_have_value("", timeout=TIMEOUT)

    def assert_work(self, work: Work) -> None:
        answers = work.self_assessment
        assert answers.ratings == {self.practices[i].id: self.rating_id[label]
                                   for i, label in self.CHOICES}
        assert list(answers.notes.values()) == [self.NOTE]


class Understanding(Driver):
    """Workbook 1: sort the first scene, answer two myth-or-fact statements, write a reflection."""

    notebook = "01_understanding_personalized_learning.ipynb"
    unit = "activities done"
    NOTE = "Stations in Grade 3 math <already> & small-group reading."
    SCENES_TAB, MYTHS_TAB = "3. Sort the scenes", "4. Myth or fact"
    REFLECTION_TAB = "5. My reflection"
    MYTHS = [(0, "Myth"), (2, "Fact")]  # (index of the statement, the button to press)

    def __init__(self) -> None:
        from plkit.understanding import load_understanding

        self.content = load_understanding()
        total = len(self.content.vignettes) + len(self.content.myths) + len(self.content.prompts)
        super().__init__(total)
        self.scene = self.content.vignettes[0]
        self.prompt = self.content.prompts[0]
        self.tag_names = [self.content.tags[tag] for tag in sorted(self.scene.answer)]
        self.done = 1 + len(self.MYTHS) + 1

    def tags(self, screen):
        return screen.get_by_role("checkbox").filter(visible=True)

    def myth_groups(self, screen):
        return screen.locator(".widget-toggle-buttons:visible")

    def reflection(self, screen):
        return screen.get_by_label(self.prompt.text, exact=True).filter(visible=True)

    def interact(self, screen) -> None:
        select_tab(screen, self.SCENES_TAB)
        for name in self.tag_names:
            screen.get_by_role("checkbox", name=name, exact=True).check()
        screen.get_by_role("button", name="Check my answer").click()
        expect(screen.get_by_role("status").filter(visible=True).first).to_contain_text(
            "Yes.", timeout=TIMEOUT)
        expect(self.progress(screen)).to_have_text(self.progress_text(1), timeout=TIMEOUT)
        select_tab(screen, self.MYTHS_TAB)
        groups = self.myth_groups(screen)
        for done, (index, label) in enumerate(self.MYTHS, start=2):
            button = groups.nth(index).locator("button", has_text=label)
            button.click()
            expect(button).to_have_class(ACTIVE, timeout=TIMEOUT)
            expect(self.progress(screen)).to_have_text(self.progress_text(done), timeout=TIMEOUT)
        select_tab(screen, self.REFLECTION_TAB)
        self.reflection(screen).fill(self.NOTE)
        expect(self.progress(screen)).to_have_text(self.progress_text(self.done), timeout=TIMEOUT)

    def assert_shown(self, screen) -> None:
        expect(self.progress(screen)).to_have_text(self.progress_text(self.done), timeout=TIMEOUT)
        select_tab(screen, self.SCENES_TAB)
        for name in self.tag_names:
            expect(screen.get_by_role("checkbox", name=name, exact=True)).to_be_checked()
        expect(self.tags(screen).and_(screen.locator(":checked"))).to_have_count(
            len(self.tag_names))
        select_tab(screen, self.MYTHS_TAB)
        groups = self.myth_groups(screen)
        for index, label in self.MYTHS:
            expect(groups.nth(index).locator("button", has_text=label)).to_have_class(ACTIVE)
        expect(groups.locator("button.mod-active")).to_have_count(len(self.MYTHS))
        select_tab(screen, self.REFLECTION_TAB)
        expect(self.reflection(screen)).to_have_value(self.NOTE)

    def assert_blank(self, screen) -> None:
        expect(self.progress(screen)).to_have_text(self.progress_text(0), timeout=TIMEOUT)
        select_tab(screen, self.SCENES_TAB)
        expect(self.tags(screen).and_(screen.locator(":checked"))).to_have_count(0)
        select_tab(screen, self.MYTHS_TAB)
        expect(self.myth_groups(screen).locator("button.mod-active")).to_have_count(0)
        select_tab(screen, self.REFLECTION_TAB)
        expect(self.reflection(screen)).to_have_value("")

    def assert_work(self, work: Work) -> None:
        section = work.understanding
        assert section.vignettes == {self.scene.id: sorted(self.scene.answer)}
        myths = self.content.myths
        assert section.myths == {myths[i].id: label.lower() for i, label in self.MYTHS}
        assert section.reflections == {self.prompt.id: self.NOTE}


class ResearchClaims(Driver):
    """Workbook 3: answer the five questions about the first claim, write the verdict."""

    notebook = "03_reading_research_claims.ipynb"
    unit = "steps done (claims judged, then your verdict)"
    CHECK_TAB, VERDICT_TAB = "1. Check the claims", "5. Back to the FAQ"
    NOTE = "Compared with <what>? Small & uncertain: I would soften the FAQ's sentence."

    def __init__(self) -> None:
        from plkit.claims import load_claims

        self.content = load_claims()
        super().__init__(len(self.content.claims) + 1)
        self.claim = self.content.claims[0]
        self.questions = self.content.questions

    @staticmethod
    def question_groups(screen):
        return screen.locator(".widget-toggle-buttons:visible")

    def verdict(self, screen):
        return screen.get_by_label(re.compile(r"^My verdict:")).filter(visible=True)

    def interact(self, screen) -> None:
        select_tab(screen, self.CHECK_TAB)
        groups = self.question_groups(screen)
        expect(groups).to_have_count(len(self.questions))
        feedback = screen.locator(".plkit-card[role=status]:visible")
        for index in range(len(self.questions)):
            button = groups.nth(index).locator("button").first
            button.click()
            expect(button).to_have_class(ACTIVE, timeout=TIMEOUT)
            expect(feedback).to_have_count(index + 1, timeout=TIMEOUT)  # the kernel answered
        expect(self.progress(screen)).to_have_text(self.progress_text(1), timeout=TIMEOUT)
        select_tab(screen, self.VERDICT_TAB)
        self.verdict(screen).fill(self.NOTE)
        expect(self.progress(screen)).to_have_text(self.progress_text(2), timeout=TIMEOUT)

    def assert_shown(self, screen) -> None:
        expect(self.progress(screen)).to_have_text(self.progress_text(2), timeout=TIMEOUT)
        select_tab(screen, self.CHECK_TAB)
        groups = self.question_groups(screen)
        for index in range(len(self.questions)):
            expect(groups.nth(index).locator("button").first).to_have_class(ACTIVE)
        expect(groups.locator("button.mod-active")).to_have_count(len(self.questions))
        select_tab(screen, self.VERDICT_TAB)
        expect(self.verdict(screen)).to_have_value(self.NOTE)

    def assert_blank(self, screen) -> None:
        expect(self.progress(screen)).to_have_text(self.progress_text(0), timeout=TIMEOUT)
        select_tab(screen, self.CHECK_TAB)
        expect(self.question_groups(screen).locator("button.mod-active")).to_have_count(0)
        select_tab(screen, self.VERDICT_TAB)
        expect(self.verdict(screen)).to_have_value("")

    def assert_work(self, work: Work) -> None:
        assert work.claims.judgements == {
            self.claim.id: {q.id: q.options[0].id for q in self.questions}}
        assert work.claims.verdict == self.NOTE


class ActionPlan(Driver):
    """Workbook 4: add a priority of one's own and write its goal."""

    notebook = "04_action_planning.ipynb"
    TITLE = "Flexible Friday workshops <pilot> & review"
    NOTE = "Every student chooses one workshop a week & shows <something> they made."
    BLANK = "No priorities chosen yet"

    def __init__(self) -> None:
        super().__init__(0)

    def goal(self, screen):
        return screen.get_by_label("Goal: what will be different for students?", exact=True)

    def heading(self, screen):
        return screen.get_by_role("heading", name=f"Priority 1: {self.TITLE}", exact=True)

    def shown_progress(self, filled: int) -> re.Pattern:
        return re.compile(rf"^1 of \d priorities chosen; {filled} of \d+ plan details filled in$")

    def interact(self, screen) -> None:
        expect(self.progress(screen)).to_have_text(self.BLANK)
        screen.get_by_label("Or a priority of your own", exact=True).fill(self.TITLE)
        screen.get_by_role("button", name="Add my own priority", exact=True).click()
        expect(screen.get_by_role("status").filter(has_text="Added.")).to_be_visible(
            timeout=TIMEOUT)
        expect(self.heading(screen)).to_be_visible(timeout=TIMEOUT)
        expect(self.progress(screen)).to_have_text(self.shown_progress(0), timeout=TIMEOUT)
        # The timeline is drawn last: wait for it, as a person would, before typing. Typing sooner
        # can be lost in JupyterLab 4.6 with ipykernel 7: the new card's widgets are handled on a
        # kernel subshell thread while this click's callback, on the main thread, is still
        # redrawing the screen, and plkit drops changes that arrive during a redraw.
        expect(screen.get_by_role("img", name=re.compile("^Timeline"))).to_be_visible(
            timeout=TIMEOUT)
        self.goal(screen).fill(self.NOTE)
        expect(self.progress(screen)).to_have_text(self.shown_progress(1), timeout=TIMEOUT)

    def assert_shown(self, screen) -> None:
        expect(self.progress(screen)).to_have_text(self.shown_progress(1), timeout=TIMEOUT)
        expect(self.heading(screen)).to_be_visible()
        expect(self.goal(screen)).to_have_value(self.NOTE)

    def assert_blank(self, screen) -> None:
        expect(self.progress(screen)).to_have_text(self.BLANK, timeout=TIMEOUT)
        expect(screen.get_by_text("No priorities yet.")).to_be_visible()
        expect(self.goal(screen)).to_have_count(0)

    def assert_work(self, work: Work) -> None:
        [priority] = work.action_plan.priorities
        assert (priority.title, priority.goal, priority.practice) == (self.TITLE, self.NOTE, "")


class Dashboard:
    """Workbook 5, the facilitator's: no personal work file (its one save bar keeps the team file,
    which tests/browser/test_team_browser.py walks through).

    Its main interaction: read the synthetic demo group, see the heat map, add a file that is not
    a work file (listed as left out, with the reason), download the group report.
    """

    notebook = "05_facilitator_dashboard.ipynb"
    ready = "[role=status]"  # "No work files yet."
    saves_work = False

    def wait_ready(self, screen) -> None:
        expect(self.status(screen)).to_have_text("No work files yet.", timeout=TIMEOUT)

    @staticmethod
    def status(screen):
        return screen.get_by_role("status").first

    def interact(self, screen) -> None:
        page = screen.page
        screen.get_by_role("button", name="Use the demo group (synthetic)").click()
        status = self.status(screen)
        expect(status).to_contain_text(re.compile(r"\d+ participants read"), timeout=TIMEOUT)
        read, left_out = map(int, re.findall(r"\d+", status.inner_text())[:2])
        assert read >= 10
        select_tab(screen, "Every practice")
        expect(screen.get_by_role("img", name=re.compile("^Heat map"))).to_be_visible(
            timeout=TIMEOUT)
        with page.expect_file_chooser() as chooser:
            screen.get_by_role("button", name=re.compile("Add work files")).click()
        chooser.value.set_files(files=[{"name": "answers.csv", "mimeType": "text/csv",
                                        "buffer": b"practice,rating\nstandards,now\n"}])
        expect(status).to_contain_text(
            f"{read} participants read; files left out: {left_out + 1}", timeout=TIMEOUT)
        expect(screen.locator("li", has_text=f"File {left_out + 1}:")).to_be_visible()
        select_tab(screen, "Group report")
        screen.get_by_role("button", name="Prepare the group report").click()
        link = screen.get_by_role("link", name="Download the group report (web page)")
        with page.expect_download() as download:
            link.click()
        report = Path(download.value.path()).read_text(encoding="utf-8")
        assert report.lstrip().lower().startswith("<!doctype html") and "<img" in report


class StartHere:
    """The home page: a card per workbook, each with a link and the progress in it. No answers,
    no save bar; its "interaction" is reading the cards (the links are walked by
    tests/browser/test_way_through.py)."""

    notebook = "00_start_here.ipynb"
    ready = ".plkit-home-card"
    saves_work = False

    def wait_ready(self, screen) -> None:
        expect(screen.get_by_role("link", name=re.compile(r"^Workbook \d: "))).to_have_count(
            5, timeout=TIMEOUT)

    def interact(self, screen) -> None:
        expect(screen.locator(".plkit-home-progress")).to_have_count(5)
        expect(screen.locator(".plkit-home-progress").first).to_contain_text("Your progress:")


DRIVERS = {driver.notebook: driver
           for driver in (StartHere, Understanding, SelfAssessment, ResearchClaims, ActionPlan,
                          Dashboard)}


def driver_for(notebook: str):
    """A new driver for ``notebook``; ``LookupError`` says what to add if there is none."""
    try:
        return DRIVERS[notebook]()
    except KeyError:
        raise LookupError(
            f"workbooks/{notebook} has no browser-test driver: add a class for it to "
            "tests/browser/drivers.py (its main interaction and how to check it) and list it "
            "in DRIVERS") from None
