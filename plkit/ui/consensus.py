"""Workbook 5, step 3: the team agrees its answers practice by practice, saved in the team file as it goes."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import ipywidgets as widgets

from plkit import consensus
from plkit.collected import shown_path
from plkit.content import Framework
from plkit.errors import PlkitError
from plkit.group import Group, approach_notes
from plkit.model import NO_AGREEMENT, Work
from plkit.roles import RoleComparison, compare_roles
from plkit.store import WorkStore
from plkit.ui.common import HTML, Button, escape, line_box, row, text_box
from plkit.ui.consensus_card import (
    practice_card_html,
    recorded_line_html,
    recorded_list_html,
)
from plkit.ui.save_bar import SaveBar
from plkit.work import now_iso

TO_AGREE, ALL, AGREED = "to-agree", "all", "agreed"
SHOW = [("Still to agree", TO_AGREE), ("All practices", ALL), ("Agreed", AGREED)]
SHORT = 70  # characters of a practice shown in the list


def _visible(widget: widgets.Widget, shown: bool) -> None:
    widget.layout.display = "" if shown else "none"


class ConsensusScreen(widgets.VBox):
    """Go through the practices with the team, record its answer for each, saved in the team file."""

    def __init__(self, framework: Framework, store: WorkStore) -> None:
        self.framework = framework
        self.store = store
        self.group = Group()
        self.table: dict[str, dict[str, int]] = {}
        self.comparison: RoleComparison | None = None
        self.notes: dict[str, list[tuple[str, str]]] = {}
        self.current: str | None = None
        self.numbers = {pid: number for number, pid in enumerate(framework.practices, start=1)}
        self._showing = False
        self._lock = threading.RLock()  # widget messages may arrive on two kernel threads at once
        self.on_saved: Callable[[], None] = lambda: None  # told after each saved change (the team's rounds)
        wide = {"style": {"description_width": "initial"}, "layout": widgets.Layout(width="auto")}

        self.team_name = line_box("Team name", placeholder="e.g. Lincoln Middle School leadership team")
        self.open_line = HTML()
        self.save_bar = SaveBar(store, on_replace=self.show_team)
        self.message = HTML()
        self.no_group = HTML()
        self.recorded_list = HTML()

        self.theme = widgets.Dropdown(options=[("All themes", "")] + [(t.title, t.id) for t in framework.themes],
                                      value="", description="Theme", **wide)
        self.show_filter = widgets.Dropdown(options=SHOW, value=TO_AGREE, description="Show",
                                            style={"description_width": "initial"},
                                            layout=widgets.Layout(width="14em"))
        self.practice = widgets.Dropdown(options=[], description="Practice", **wide)
        self.previous = Button(description="Previous", icon="arrow-left")
        self.next = Button(description="Next", icon="arrow-right")
        self.position = HTML()
        self.theme_majority = HTML()
        self.agree_all = Button(description="Agree with the majority on all", icon="check-double",
                                        layout=widgets.Layout(width="auto"))
        self.confirm_all = Button(description="Yes, agree on all", button_style="primary",
                                          layout=widgets.Layout(width="auto"))
        self.cancel_all = Button(description="Cancel")
        self.confirm_text = HTML()
        self.confirm_row = row([])

        self.card = HTML()
        self.majority_line = HTML()
        self.agree_majority = Button(description="Agree with the majority", icon="check",
                                             layout=widgets.Layout(width="auto"))
        self.answer = widgets.RadioButtons(options=consensus.answer_options(framework), value=None,
                                           description="The team's answer", **wide)
        self.reasons = text_box("Reasons (a sentence or two)", rows=2)
        self.evidence_needed = text_box("What evidence would settle it?", rows=2)
        self.who_finds = line_box("Who will find it?")
        self.open_question = widgets.VBox([self.evidence_needed, self.who_finds])
        self.record = Button(description="Record and go on", icon="check", button_style="primary",
                                     layout=widgets.Layout(width="auto"))
        self.record_problem = HTML()
        self.recorded_line = HTML()
        self.reopen = Button(description="Reopen", icon="undo")

        self.answer_area = widgets.VBox([
            self.majority_line, self.agree_majority, self.answer, self.reasons, self.open_question,
            row([self.record, self.record_problem]), self.recorded_line, self.reopen,
        ])
        self.working = widgets.VBox([
            row([self.theme, self.show_filter]),
            row([self.theme_majority, self.agree_all]), self.confirm_row,
            row([self.practice, self.previous, self.next, self.position]),
            self.card, self.answer_area,
        ])

        self.team_name.observe(lambda c: self._edit(lambda w: consensus.start_team(w, c["new"])), "value")
        self.theme.observe(lambda _: self._filters_changed(), "value")
        self.show_filter.observe(lambda _: self._filters_changed(), "value")
        self.practice.observe(self._chosen, "value")
        self.previous.on_click(lambda _: self._step(-1))
        self.next.on_click(lambda _: self._step(1))
        self.answer.observe(self._answer_changed, "value")
        for key, box in self._fields.items():
            box.observe(lambda c, key=key: self._draft(**{key: c["new"]}), "value")
        self.record.on_click(self._record)
        self.reopen.on_click(self._reopen)
        self.agree_majority.on_click(self._agree_with_majority)
        self.agree_all.on_click(self._ask_agree_all)
        self.confirm_all.on_click(self._agree_all)
        self.cancel_all.on_click(self._cancel_all)
        super().__init__([
            HTML("<p>With the team, go through the practices, the most split first. For each one, "
                         "look at how the group rated it and what people wrote, talk it through, then "
                         "record the team's answer and its reasons. Every answer is saved in the team "
                         "file as you go, so nothing is lost if the page reloads.</p>"),
            self.team_name, self.open_line, self.save_bar, self.message, self.no_group, self.recorded_list,
            self.working,
        ])
        self.show_team()

    @property
    def _fields(self) -> dict[str, widgets.ValueWidget]:
        return {"reasons": self.reasons, "evidence_needed": self.evidence_needed, "who_finds": self.who_finds}

    # --- what the dashboard tells it ----------------------------------------------------------
    def show_group(self, group: Group, table: dict[str, dict[str, int]]) -> None:
        """The group collected above (read again): show its counts beside the team's answers."""
        self.group, self.table = group, table
        self.comparison = compare_roles(group, self.framework) if len(group) else None
        self.notes = approach_notes(group)
        with contextlib.suppress(PlkitError):  # another workbook is saving: show what we have
            self.store.refresh()
        self.show_team()

    def show_team(self) -> None:
        """Show the team file as saved (after a start, a load, or another workbook's change)."""
        with self._lock:
            self._showing = True
            try:
                self.team_name.value = self.store.work.participant.team
            finally:
                self._showing = False
            self.save_bar.refresh()
            has_group = bool(len(self.group))
            _visible(self.working, has_group)
            _visible(self.recorded_list, not has_group)
            self.no_group.value = "" if has_group else (
                "<p><strong>Collect the group's work files above first</strong> (or use the demo group): "
                "then the team can agree its answers here, practice by practice.</p>")
            self.recorded_list.value = "" if has_group else recorded_list_html(self.store.work, self.framework)
            self._show_open_line()
            if has_group:
                self._refresh_list(self.current)

    # --- saving -------------------------------------------------------------------------------
    def _edit(self, change: Callable[[Work], object]) -> bool:
        """Save one change to the team file; a plain message if it was not saved."""
        with self._lock:
            if self._showing:
                return False
            try:
                self.store.edit(change)
            except PlkitError as exc:
                self._say(exc.message, problem=True)
                return False
            self.message.value = ""
            self.save_bar.saved()
            self._show_open_line()
            self.on_saved()
            return True

    def _draft(self, **fields: str) -> None:
        pid = self.current
        if pid is not None:
            self._edit(lambda work: consensus.draft(work, pid, self.framework, **fields))

    def _answer_changed(self, change) -> None:
        _visible(self.open_question, change["new"] == NO_AGREEMENT)
        self._draft(rating=change["new"] or "")

    def _record(self, _=None) -> None:
        pid = self.current
        if pid is None:
            return
        fields = {"rating": self.answer.value or "", **{k: box.value for k, box in self._fields.items()}}

        def change(work: Work) -> None:
            consensus.draft(work, pid, self.framework, **fields)
            consensus.record(work, pid, self.framework, self.table[pid], now_iso(), self.group)

        with self._lock:
            try:
                self.store.edit(change)
            except PlkitError as exc:
                self.record_problem.value = f'<p role="status" class="plkit-problem">{escape(exc.message)}</p>'
                return
            self.record_problem.value = ""
            self.save_bar.saved()
            self._show_open_line()
            self.on_saved()
            self._say(f"Recorded: {consensus.answer_label(fields['rating'], self.framework)}.")
            self._go_on(pid)

    def _reopen(self, _=None) -> None:
        pid = self.current
        if pid is None or not self._edit(lambda work: consensus.reopen(work, pid, self.framework)):
            return
        self._say("Reopened: change the answer, then record it again.")
        if self.show_filter.value == AGREED:
            with self._lock:
                self._showing = True
                try:
                    self.show_filter.value = ALL
                finally:
                    self._showing = False
        self._refresh_list(pid)

    def _agree_with_majority(self, _=None) -> None:
        pid = self.current
        if pid is None:
            return
        done: list[str] = []
        if self._edit(lambda work: done.extend(consensus.agree_with_majority(
                work, [pid], self.table, self.framework, now_iso(), self.group))):
            found = consensus.majority(self.table[pid])
            self._say(found.sentence(self.framework) if done and found else "Nothing to record: it has an answer.")
            self._go_on(pid)

    def _majority_to_agree(self) -> list[str]:
        work = self.store.work
        return [pid for pid in consensus.order(self.table, self.framework, self.theme.value or None)
                if consensus.majority(self.table[pid]) and not consensus.recorded(work.team.consensus.get(pid))]

    def _ask_agree_all(self, _=None) -> None:
        count = len(self._majority_to_agree())
        self.confirm_all.description = f"Yes, agree on all {count}"
        self.confirm_text.value = (
            f'<span role="status">Record the majority\'s rating for all {count} practices where nearly everyone '
            "gave the same rating? Each can be reopened afterwards.</span>")
        self.confirm_row.children = (self.confirm_text, self.confirm_all, self.cancel_all)

    def _agree_all(self, _=None) -> None:
        self.confirm_row.children = ()
        ids = self._majority_to_agree()
        done: list[str] = []
        if self._edit(lambda work: done.extend(consensus.agree_with_majority(
                work, ids, self.table, self.framework, now_iso(), self.group))):
            self._say(f"Recorded the majority's rating for {len(done)} practice{'' if len(done) == 1 else 's'}.")
            self._refresh_list(self.current)

    def _cancel_all(self, _=None) -> None:
        self.confirm_row.children = ()
        self._say("Nothing recorded.")

    # --- moving through the practices ---------------------------------------------------------
    def _ordered(self) -> list[str]:
        return consensus.order(self.table, self.framework, self.theme.value or None)

    def _filtered(self) -> list[str]:
        answers = self.store.work.team.consensus
        show = self.show_filter.value
        return [pid for pid in self._ordered()
                if show == ALL or (consensus.recorded(answers.get(pid)) == (show == AGREED))]

    def _filters_changed(self) -> None:
        if not self._showing:
            self._refresh_list(self.current)

    def _go_on(self, done: str) -> None:
        """After an answer is recorded: the next practice still to agree (in this view)."""
        ordered, shown = self._ordered(), set(self._filtered())
        answers = self.store.work.team.consensus
        start = ordered.index(done) + 1 if done in ordered else 0
        following = ordered[start:] + ordered[:start]
        target = next((pid for pid in following
                       if pid in shown and not consensus.recorded(answers.get(pid))), done)
        self._refresh_list(target)

    def _step(self, by: int) -> None:
        ids = list(self.practice.options)
        if self.current is None or not ids:
            return
        values = [value for _, value in ids]
        index = values.index(self.current) + by if self.current in values else 0
        if 0 <= index < len(values):
            self._refresh_list(values[index])

    def _chosen(self, change) -> None:
        if not self._showing and change["new"] is not None:
            self.current = change["new"]
            with contextlib.suppress(PlkitError):  # another workbook's change to the team file, if any
                self.store.refresh()
            self._show_practice()

    def _refresh_list(self, prefer: str | None) -> None:
        """List the practices of this view, keep ``prefer`` chosen (or the next one after it), show it."""
        with self._lock:
            ids = self._filtered()
            if prefer not in ids:
                ordered = self._ordered()
                start = ordered.index(prefer) + 1 if prefer in ordered else 0
                prefer = next((pid for pid in ordered[start:] + ordered[:start] if pid in ids), None)
            self.current = prefer
            answers = self.store.work.team.consensus
            self._showing = True
            try:
                self.practice.options = [(self._practice_label(pid, answers), pid) for pid in ids]
                self.practice.value = prefer
            finally:
                self._showing = False
            self._show_practice()

    def _practice_label(self, pid: str, answers) -> str:
        text = self.framework.practices[pid].text
        short = text if len(text) <= SHORT else text[:SHORT - 1].rstrip() + "…"
        return f"{'✓ ' if consensus.recorded(answers.get(pid)) else ''}{self.numbers[pid]}. {short}"

    # --- showing ------------------------------------------------------------------------------
    def _say(self, text: str, problem: bool = False) -> None:
        css = ' class="plkit-problem"' if problem else ""
        self.message.value = f'<p role="status"{css}>{escape(text)}</p>'

    def _show_open_line(self) -> None:
        work = self.store.work
        team = work.participant.team.strip()
        whose = f"the team file of {team}" if team else "the team file (no team name yet)"
        self.open_line.value = (f"<p><strong>Open: {escape(whose)}</strong> ({escape(shown_path(self.store.path))}): "
                                f"{escape(consensus.progress(work, self.framework).text)}.</p>")

    def _show_practice(self) -> None:
        with self._lock:
            pid = self.current
            ids = [value for _, value in self.practice.options]
            _visible(self.answer_area, pid is not None)
            self._show_theme_majority()
            if pid is None:
                self.position.value = ""
                self.card.value = ("<p>Every practice in this view has the team's answer. Choose "
                                   "<em>Show: All practices</em> to look at them again.</p>"
                                   if self.show_filter.value == TO_AGREE else "<p>No practice in this view yet.</p>")
                return
            where = ids.index(pid) + 1
            self.position.value = f"<span>Practice {where} of {len(ids)}</span>"
            self.previous.disabled, self.next.disabled = where == 1, where == len(ids)
            self.card.value = practice_card_html(pid, self.framework, self.table[pid], self.comparison,
                                                 self.notes.get(self.framework.practices[pid].approach_id, []))
            agreement = self.store.work.team.consensus.get(pid)
            done = consensus.recorded(agreement)
            self._showing = True
            try:
                self.answer.value = agreement.rating if agreement and agreement.rating else None
                for key, box in self._fields.items():
                    box.value = getattr(agreement, key) if agreement else ""
            finally:
                self._showing = False
            for control in (self.answer, *self._fields.values()):
                control.disabled = done
            _visible(self.open_question, self.answer.value == NO_AGREEMENT)
            _visible(self.record, not done)
            _visible(self.reopen, done)
            self.record_problem.value = ""
            self.recorded_line.value = recorded_line_html(agreement, self.framework) if done else ""
            found = consensus.majority(self.table[pid])
            _visible(self.agree_majority, bool(found) and not done)
            self.majority_line.value = (
                f"<p>Nearly everyone rated this {escape(self.framework.rating_label(found.rating))} "
                f"({found.people} of {found.members}).</p>" if found and not done else "")

    def _show_theme_majority(self) -> None:
        count = len(self._majority_to_agree())
        where = "in this theme" if self.theme.value else "in all themes"
        self.theme_majority.value = (
            f"<span>Still to agree {where}: {count} practice{'' if count == 1 else 's'} where nearly "
            "everyone gave the same rating.</span>" if count else "")
        self.agree_all.description = f"Agree with the majority on all {count}"
        _visible(self.agree_all, bool(count))
        if not count:
            self.confirm_row.children = ()
