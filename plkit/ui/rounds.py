"""Rounds of the self-assessment on screen: keep one, rename or remove it, and see what moved since.

Workbook 2 uses these for one person's file, the dashboard for the team file; each is given the
function that saves a change (``edit``) and shows the work it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import ipywidgets as widgets

from plkit import charts, rounds
from plkit.analysis import UNRATED
from plkit.content import Framework
from plkit.errors import PlkitError
from plkit.model import Round, Work
from plkit.store import WorkStore
from plkit.ui.common import HTML, Button, escape, figure_html, line_box, row

NOW = ""  # in a "Now" list: the answers as they stand, not a kept round
NO_ROUND = ("<p>No round kept yet. In <em>Rounds</em>, give your answers a name such as “Fall 2026” and choose "
            "<em>Keep this as a round</em>. When you come back, change what moved, then look here to see it "
            "beside the round you kept.</p>")
NO_TEAM_ROUND = ("<p>No round of the team's answers kept yet. Above, give them a name such as “Fall 2026” and "
                 "choose <em>Keep this as a round</em>. When the team comes back and records what changed, "
                 "compare the two times here.</p>")
Edit = Callable[[Callable[[Work], object]], "Work | None"]


def _day(text: str) -> str:
    """'14 Sep 2026' from an ISO date; the text as it is if it is not one."""
    try:
        return f"{date.fromisoformat(text):%d %b %Y}".lstrip("0")
    except ValueError:
        return text


def _status(text: str, problem: bool = False) -> str:
    css = ' class="plkit-problem"' if problem else ""
    return f'<p role="status"{css}>{escape(text)}</p>' if text else ""


def round_label(kept: Round) -> str:
    """A round as a choice in a list (plain text: a list shows it as it is)."""
    return f"{kept.name} (kept {_day(kept.kept_on)})" if kept.kept_on else kept.name


class RoundsPanel(widgets.VBox):
    """Keep the answers as a round; the rounds kept, each to rename or remove (asking first)."""

    def __init__(self, framework: Framework, edit: Edit, current: Callable[[], Work], whose: str = "your",
                 today: Callable[[], date] = date.today) -> None:
        self.framework = framework
        self._edit = edit
        self._current = current  # the work as saved now (the answers may have changed since it was shown)
        self._today = today
        self.work = Work()
        self.name = line_box("Name of this round", placeholder="e.g. Fall 2026")
        self.keep = Button(description="Keep this as a round", icon="bookmark", button_style="primary",
                                   layout=widgets.Layout(width="auto"))
        self.message = HTML()
        self.listing = HTML()
        self.chosen = widgets.Dropdown(options=[], description="Round", style={"description_width": "initial"},
                                       layout=widgets.Layout(width="auto"))
        self.new_name = line_box("New name", placeholder="e.g. Fall 2026")
        self.rename = Button(description="Rename", icon="pencil")
        self.remove = Button(description="Remove this round", icon="trash",
                                     layout=widgets.Layout(width="auto"))
        self.confirm_remove = Button(description="Yes, remove it", button_style="danger",
                                             layout=widgets.Layout(width="auto"))
        self.cancel_remove = Button(description="Cancel")
        self.confirm_text = HTML()
        self.confirm_row = row([])
        self.change_area = widgets.VBox([
            HTML("<h3>Rename or remove a round</h3>"),
            row([self.chosen]), row([self.new_name, self.rename]), row([self.remove]), self.confirm_row,
        ])
        self.keep.on_click(self._keep)
        self.rename.on_click(self._rename)
        self.remove.on_click(self._ask_remove)
        self.confirm_remove.on_click(self._remove)
        self.cancel_remove.on_click(self._cancel_remove)
        super().__init__([
            HTML(
                f"<p>At the end of a term, keep {escape(whose)} answers as a round: the ratings, notes and "
                "evidence as they stand, under a name such as “Fall 2026”. Nothing is cleared: next time "
                "you start from these answers and change only what moved. <em>Since last time</em> then "
                "shows what changed.</p>"),
            row([self.name, self.keep]), self.message,
            HTML("<h3>Rounds kept</h3>"), self.listing, self.change_area,
        ])

    def show(self, work: Work) -> None:
        """Show the rounds ``work`` keeps (the newest last), keeping the round chosen if it is still there."""
        self.work = work
        kept = work.self_assessment.rounds
        total = len(self.framework.practices)
        if kept:
            cell = "padding:2px 12px;text-align:left"
            rows = "".join(
                f"<tr><th scope='row' style='{cell}'>{escape(r.name)}</th><td style='{cell}'>{escape(_day(r.kept_on))}"
                f"</td><td style='{cell}'>{rounds.rated(r, self.framework)} of {total}</td></tr>" for r in kept)
            self.listing.value = (
                "<table class='plkit-rounds'><caption style='text-align:left'>Oldest first</caption>"
                f"<tr><th scope='col' style='{cell}'>Round</th><th scope='col' style='{cell}'>Kept on</th>"
                f"<th scope='col' style='{cell}'>Practices rated</th></tr>{rows}</table>")
        else:
            self.listing.value = "<p>No rounds kept yet.</p>"
        before = self.chosen.value
        self.chosen.options = [(round_label(r), r.name) for r in kept]
        names = [r.name for r in kept]
        self.chosen.value = before if before in names else (names[-1] if names else None)
        self.change_area.layout.display = "" if kept else "none"
        if self.chosen.value is None:
            self.confirm_row.children = ()

    def _save(self, change: Callable[[Work], object], done: str) -> bool:
        work = self._edit(change)
        if work is None:
            return False
        self.message.value = _status(done)
        self.show(work)
        return True

    def _keep(self, _=None) -> None:
        name = self.name.value.strip()
        problem = rounds.keep_problem(self._current(), name)
        if problem:
            self.message.value = _status(problem, problem=True)
            return
        if self._save(lambda work: rounds.keep_round(work, name, self._today()),
                      f"Kept as the round “{name}”. Your answers stay as they are: change only what moves."):
            self.name.value = ""

    def _rename(self, _=None) -> None:
        old, name = self.chosen.value, self.new_name.value.strip()
        if old is None:
            return
        work = self._current()
        index = next((i for i, r in enumerate(work.self_assessment.rounds) if r.name == old), None)
        problem = rounds.name_problem(work, name, index)
        if problem:
            self.message.value = _status(problem, problem=True)
            return
        if self._save(lambda work: rounds.rename_round(work, rounds.find_round(work, old), name),
                      f"Renamed “{old}” to “{name}”."):
            self.new_name.value = ""
            self.chosen.value = name

    def _ask_remove(self, _=None) -> None:
        name = self.chosen.value
        if name is None:
            return
        self.confirm_text.value = (
            f'<span role="status">Remove the round “{escape(name)}”? Its ratings, notes and evidence from then '
            "are removed from this file. The answers as they stand now are not touched.</span>")
        self.confirm_row.children = (self.confirm_text, self.confirm_remove, self.cancel_remove)

    def _cancel_remove(self, _=None) -> None:
        self.confirm_row.children = ()
        self.message.value = _status("Nothing was removed.")

    def _remove(self, _=None) -> None:
        self.confirm_row.children = ()
        name = self.chosen.value
        if name is not None:
            self._save(lambda work: rounds.remove_round(work, rounds.find_round(work, name)),
                       f"Removed the round “{name}”.")


def _notes_html(label: str, then: str, now: str, then_name: str, now_name: str) -> str:
    if not then.strip() and not now.strip():
        return ""
    if then == now:
        return f"<p><strong>{escape(label)} (the same both times):</strong> {escape(now)}</p>"
    was = escape(then) if then.strip() else "<em>none</em>"
    is_ = escape(now) if now.strip() else "<em>none</em>"
    return (f"<p><strong>{escape(label)} in “{escape(then_name)}”:</strong> {was}<br>"
            f"<strong>{escape(label)} {escape(now_name)}:</strong> {is_}</p>")


def moves_html(comparison: rounds.Comparison, framework: Framework, then_name: str, now_name: str = "now") -> str:
    """The practices that moved, theme by theme, with the notes and evidence of both times."""
    moves = comparison.moves
    if not moves:
        return f"<p>No rating moved between “{escape(then_name)}” and {escape(now_name)}.</p>"
    first = escape(framework.scale[0].label)
    kinds = ((rounds.TOWARDS, f"to “{first}”"), (rounds.AWAY, f"away from “{first}”"),
             (rounds.CHANGED, "from one other rating to another"), (rounds.NEWLY_RATED, "rated for the first time"),
             (rounds.NO_LONGER_RATED, "no longer rated"))
    how = ", ".join(f"{comparison.count(kind)} {words}" for kind, words in kinds if comparison.count(kind))
    parts = [f"<p><strong>{len(moves)} practice{'' if len(moves) == 1 else 's'} moved</strong> between "
             f"“{escape(then_name)}” and {escape(now_name)}: {how}.</p>"]
    theme = None
    items: list[str] = []
    for move in [*moves, None]:
        if move is None or move.theme is not theme:
            if items:
                parts.append(f"<h3>{escape(theme.title)}</h3><ul class='plkit-moves'>{''.join(items)}</ul>")
            if move is None:
                break
            theme, items = move.theme, []
        items.append(
            f"<li><strong>{escape(move.practice.text)}</strong><br>{escape(move.words)}"
            + _notes_html("Notes", move.notes_then, move.notes_now, then_name, now_name)
            + _notes_html("Evidence", move.evidence_then, move.evidence_now, then_name, now_name)
            + "</li>")
    return "".join(parts)


def chart_alt(comparison: rounds.Comparison, titles: dict[str, str], framework: Framework,
              then_name: str, now_name: str) -> str:
    names = {o.id: o.label for o in framework.scale} | {UNRATED: "not rated"}

    def counts(numbers: dict[str, int]) -> str:
        return ", ".join(f"{n} {names[r]}" for r, n in numbers.items() if n) or "none"

    return "Bar chart, then and now. " + "; ".join(
        f"{titles[t]}: {then_name}: {counts(comparison.counts_then[t])}; {now_name}: {counts(comparison.counts_now[t])}"
        for t in comparison.counts_now)


class ComparePanel(widgets.VBox):
    """Since last time: an earlier round beside the answers now (or beside another round)."""

    def __init__(self, framework: Framework, choose_now: bool = False, empty: str = NO_ROUND,
                 newest: Callable[[], Work] | None = None) -> None:
        self.framework = framework
        self.choose_now = choose_now
        self.empty = empty  # what to say while no round is kept
        self.newest = newest  # the newest saved work, read again before drawing (None: the work shown)
        self.work = Work()
        wide = {"style": {"description_width": "initial"}, "layout": widgets.Layout(width="auto")}
        self.then = widgets.Dropdown(options=[], description="Then" if choose_now else "Compare with", **wide)
        self.now = widgets.Dropdown(options=[("The answers now", NOW)], value=NOW, description="Now", **wide)
        self.intro = HTML()
        self.chart = HTML(layout=widgets.Layout(min_height="120px"))
        self.moves = HTML()
        self.controls = row([self.then, self.now] if choose_now else [self.then])
        self.then.observe(lambda _: self.draw(), "value")
        self.now.observe(lambda _: self.draw(), "value")
        self._quiet = False
        self._latest: str | None = None
        super().__init__([self.intro, self.controls, self.chart, self.moves])

    def show(self, work: Work, draw: bool = True) -> None:
        """Offer the rounds ``work`` keeps (the latest chosen unless another still is); draw if asked."""
        self.work = work
        kept = work.self_assessment.rounds
        names = [r.name for r in kept]
        self._quiet = True
        try:
            then, now = self.then.value, self.now.value
            latest = names[-1] if names else None
            if latest != self._latest:  # a round was just kept (or the file changed): the latest again
                then, self._latest = latest, latest
            self.then.options = [(round_label(r), r.name) for r in reversed(kept)]  # the latest first
            self.then.value = then if then in names else latest
            self.now.options = [("The answers now", NOW)] + [(round_label(r), r.name) for r in reversed(kept)]
            self.now.value = now if now in names else NOW
        finally:
            self._quiet = False
        self.controls.layout.display = "" if kept else "none"
        if draw:
            self.draw()

    def draw(self) -> None:
        if self._quiet:
            return
        if self.newest is not None:
            self.work = self.newest()
        kept = {r.name: r for r in self.work.self_assessment.rounds}
        if self.then.value not in kept:
            self.intro.value = self.empty
            self.chart.value = self.moves.value = ""
            return
        then = kept[self.then.value]
        now = kept.get(self.now.value) if self.now.value != NOW else None
        now_answers = now if now is not None else self.work.self_assessment
        now_name = now.name if now is not None else "Now"
        comparison = rounds.compare(then, now_answers, self.framework)
        titles = {t.id: t.title for t in self.framework.themes}
        self.intro.value = (f"<p>“{escape(then.name)}”, kept on {escape(_day(then.kept_on))}, beside "
                            + (f"“{escape(now.name)}”" if now is not None else "the answers as they stand now")
                            + ".</p>")
        fig = charts.then_and_now(comparison.counts_then, comparison.counts_now, titles, self.framework,
                                  then.name, now_name)
        self.chart.value = figure_html(fig, chart_alt(comparison, titles, self.framework, then.name, now_name))
        self.moves.value = moves_html(comparison, self.framework, then.name, f"“{now.name}”" if now is not None else "now")


class TeamRounds(widgets.VBox):
    """The dashboard's rounds of the team file: keep the team's answers as a round, compare two."""

    def __init__(self, framework: Framework, store: WorkStore) -> None:
        self.store = store
        self.problem = HTML()
        self._shown: tuple = ()
        self.rounds = RoundsPanel(framework, self._save, lambda: self.store.work, whose="the team's")
        self.compare = ComparePanel(framework, choose_now=True, empty=NO_TEAM_ROUND, newest=self._newest)
        super().__init__([
            HTML("<h3>Rounds of the team's answers</h3>"), self.problem, self.rounds,
            HTML("<h3>Since last time</h3><p>Choose two times to compare: a round kept, and the "
                         "team's answers now or a later round.</p>"), self.compare,
        ])

    def _save(self, change: Callable[[Work], object]) -> Work | None:
        try:
            work = self.store.edit(change)
        except PlkitError as exc:
            self.problem.value = _status(f"Not saved: {exc.message}", problem=True)
            return None
        self.problem.value = ""
        self._shown = self._key(work)
        self.compare.show(work)
        return work

    def _newest(self) -> Work:
        try:
            self.store.refresh()  # the team's answers recorded since, or a team file loaded
        except PlkitError as exc:  # another workbook is saving it: show what we have
            self.problem.value = _status(exc.message, problem=True)
        return self.store.work

    def show(self) -> None:
        """Show the team file as saved now."""
        work = self._newest()
        self._shown = self._key(work)
        self.rounds.show(work)
        self.compare.show(work)

    @staticmethod
    def _key(work: Work) -> tuple:
        section = work.self_assessment
        return tuple(sorted(section.ratings.items())), tuple((r.name, r.kept_on) for r in section.rounds)

    def update(self) -> None:
        """After the team's answers were saved: show them again if a rating or a round changed
        (not for every letter of the reasons typed)."""
        if self._key(self.store.work) != self._shown:
            self.show()
