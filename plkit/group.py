"""The group view: many participants' work files read together and summarized.

Pure functions, anonymous by default: participants are "Participant 1, 2, …" unless the
facilitator asks for names.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from plkit.analysis import UNRATED
from plkit.content import Framework
from plkit.errors import PlkitError
from plkit.files import FileProblem, display_name, read_regular_file, shown_file_name
from plkit.model import Work
from plkit.work import MAX_BYTES, parse_work

MAX_GROUP_FILES = 5000
TOO_MANY = f"Not read: a group holds at most {MAX_GROUP_FILES:,} files."


TEAM_FILE = ("a team file (a team's agreed answers), not one person's work: open it in "
             "“Agree as a team” with Load the team file.")


@dataclass(frozen=True)
class Member:
    label: str  # "Participant 3", or the participant's name when names are shown
    source: str  # the file it came from
    work: Work
    anon_id: str = ""  # the same for the same file on any computer, and says nothing about its writer


@dataclass
class Group:
    members: list[Member] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    names: bool = False  # read with names shown

    def __len__(self) -> int:
        return len(self.members)


def work_files(folder: str | os.PathLike) -> list[tuple[str, Path]]:
    """The entries of a folder named like work files (``*.json``, any case), in name order.

    Every such entry is listed, whatever it is (a file, a folder, a pipe, a link); reading
    decides. Raises ``PlkitError`` if the folder cannot be listed.
    """
    folder = Path(folder)
    return [(name, folder / name) for name in _work_file_names(folder)]


def _work_file_names(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return sorted(entry.name for entry in entries if entry.name.lower().endswith(".json"))
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or "not a folder that can be opened"
        raise PlkitError("folder-unreadable", f"The folder {display_name(folder)} could not be read ({reason}).") from None


def read_work_file(path: str | os.PathLike) -> bytes:
    """A work file's bytes: an ordinary file no larger than a work file may be, never read further."""
    try:
        return read_regular_file(path, MAX_BYTES)
    except FileProblem as problem:
        raise PlkitError(problem.code, f"Not read: {problem.message}.") from None


def _sources(items: Iterable[str | os.PathLike | tuple[str, bytes]]) -> Iterator[tuple[str, bytes | str | PlkitError]]:
    """(name safe to show, what to read): uploaded bytes, a path, or why a folder could not be listed."""
    for item in items:
        if isinstance(item, tuple):
            name, data = item
            yield display_name(name), bytes(data)
            continue
        path = Path(item)
        if path.is_dir():
            try:
                names = _work_file_names(path)
            except PlkitError as exc:
                yield shown_file_name(path), exc
                continue
            folder = os.fspath(path)
            for name in names:
                yield display_name(name), os.path.join(folder, name)  # a plain path: faster than Path for thousands
        else:
            yield shown_file_name(path), os.fspath(path)


def read_group(
    items: Iterable[str | os.PathLike | tuple[str, bytes]], framework: Framework, names: bool = False
) -> Group:
    """Read work files (paths, folders of .json files, or (name, bytes) uploads).

    A file that cannot be read is skipped with its reason; reading never stops. Only ordinary
    files are read; past ``MAX_GROUP_FILES`` the rest are listed as skipped. Every name kept
    (a member's source, a skipped file) is safe to show.
    """
    group = Group(names=names)
    collecting = gc.isenabled()
    gc.disable()  # many small acyclic objects: pausing the cycle collector saves a fifth of the time
    try:
        _read_into(group, items, framework, names)
    finally:
        if collecting:
            gc.enable()
    return group


def _read_into(group: Group, items, framework: Framework, names: bool) -> None:
    for count, (name, source) in enumerate(_sources(items), start=1):
        if count > MAX_GROUP_FILES:
            group.skipped.append((name, TOO_MANY))
            continue
        try:
            if isinstance(source, PlkitError):
                raise source
            raw = read_work_file(source) if isinstance(source, str) else source
            work = parse_work(raw, framework)
        except PlkitError as exc:
            group.skipped.append((name, exc.message))
            continue
        if work.is_team:
            group.skipped.append((name, f"Not read: {TEAM_FILE}"))
            continue
        number = len(group.members) + 1
        label = work.participant.name.strip() if names and work.participant.name.strip() else f"Participant {number}"
        group.members.append(Member(label, name, work, anonymous_id(raw)))


def anonymous_id(raw: bytes) -> str:
    """A short id for a work file, from its bytes: the same file gives the same id anywhere."""
    return "file-" + hashlib.sha256(raw).hexdigest()[:10]


def rating_table(group: Group, framework: Framework) -> dict[str, dict[str, int]]:
    """For every practice, how many participants gave each rating (and how many did not rate it)."""
    given = Counter()  # (practice id, rating id) -> people; counted in C, not one by one
    for member in group.members:
        given.update(member.work.self_assessment.ratings.items())
    table = {pid: {rating: given[pid, rating] for rating in framework.rating_ids} for pid in framework.practices}
    for counts in table.values():  # ids and ratings were checked against the framework on reading
        counts[UNRATED] = len(group.members) - sum(counts.values())
    return table


def disagreement(counts: dict[str, int]) -> float:
    """0 when every rating given agrees, 1 when they are spread evenly over every choice.

    ``counts`` has one entry per choice on the rating scale (zeros included) plus ``unrated``.
    The score is the share of ratings that differ from the most common one, divided by its
    largest possible value, 1 - 1/k for a scale of k choices: with three choices, a 15/15 split
    between two of them scores 0.75, and 10/10/10 scores 1. Fewer than two ratings score 0.
    """
    given = [v for k, v in counts.items() if k != UNRATED]
    rated = sum(given)
    if rated < 2 or len(given) < 2:
        return 0.0
    return (1 - max(given) / rated) / (1 - 1 / len(given))


@dataclass(frozen=True)
class QueueItem:
    practice_id: str
    score: float
    rated: int
    counts: dict[str, int]


def disagreement_queue(table: dict[str, dict[str, int]], limit: int | None = None) -> list[QueueItem]:
    """Practices to discuss first: the most split, then the most rated, then framework order."""
    items = [
        QueueItem(pid, disagreement(counts), sum(v for k, v in counts.items() if k != UNRATED), counts)
        for pid, counts in table.items()
    ]
    order = {pid: i for i, pid in enumerate(table)}
    items = [item for item in items if item.score > 0]
    items.sort(key=lambda item: (-round(item.score, 9), -item.rated, order[item.practice_id]))
    return items[:limit] if limit else items


def theme_summary(table: dict[str, dict[str, int]], framework: Framework) -> dict[str, dict[str, int]]:
    """All the group's ratings added up theme by theme."""
    summary = {}
    for theme in framework.themes:
        totals = Counter()
        for practice in theme.practices:
            totals.update(table[practice.id])
        summary[theme.id] = {key: totals[key] for key in (*framework.rating_ids, UNRATED)}
    return summary


def priority_name(priority, framework: Framework) -> str:
    """How a priority is named in the group's tally: its practice, or its own title as typed
    (every text shows as typed in the report); empty for a blank title, not counted."""
    if priority.practice in framework.practices:
        return framework.practices[priority.practice].text
    return priority.title.strip()


def priority_tally(group: Group, framework: Framework) -> list[tuple[str, int]]:
    """The action-plan priorities the group chose, most common first (own ones by their title)."""
    tally = Counter()
    for member in group.members:
        for priority in member.work.action_plan.priorities:
            if name := priority_name(priority, framework):
                tally[name] += 1
    return sorted(tally.items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True)
class PlanProgress:
    """How far the group's action plans have come: steps done of steps written."""

    done: int
    planned: int
    plans: int  # participants with at least one priority
    by_priority: dict[str, tuple[int, int]]  # named as in ``priority_tally`` -> (done, planned)


def plan_progress(group: Group, framework: Framework) -> PlanProgress:
    """Steps done of steps planned, across the group's plans and for each priority chosen."""
    from plkit.plan import step_progress

    by_priority: dict[str, tuple[int, int]] = {}
    plans = 0
    for member in group.members:
        priorities = member.work.action_plan.priorities
        plans += bool(priorities)
        for priority in priorities:
            if not (name := priority_name(priority, framework)):
                continue
            done, planned = step_progress(priority)
            before = by_priority.get(name, (0, 0))
            by_priority[name] = (before[0] + done, before[1] + planned)
    done = sum(d for d, _ in by_priority.values())
    planned = sum(p for _, p in by_priority.values())
    return PlanProgress(done, planned, plans, by_priority)


def completion(group: Group, framework: Framework) -> dict[str, int]:
    """How many participants completed (or started) each part of the kit."""
    total = len(framework.practices)

    def count(test) -> int:
        return sum(1 for member in group.members if test(member.work))

    return {
        "participants": len(group.members),
        "sorted classroom scenes (workbook 1)": count(lambda w: bool(w.understanding.vignettes)),
        "started the self-assessment": count(lambda w: bool(w.self_assessment.ratings)),
        "rated every practice": count(lambda w: len(w.self_assessment.ratings) >= total),
        "judged research claims (workbook 3)": count(lambda w: bool(w.claims.judgements)),
        "wrote an action plan": count(lambda w: bool(w.action_plan.priorities)),
    }


def approach_notes(group: Group) -> dict[str, list[tuple[str, str]]]:
    """Notes and evidence per approach, each with its writer's label (anonymous unless names are on)."""
    notes: dict[str, list[tuple[str, str]]] = {}
    for member in group.members:
        section = member.work.self_assessment
        for kind, answers in (("Notes", section.notes), ("Evidence", section.evidence)):
            for approach_id, text in answers.items():
                if text.strip():
                    notes.setdefault(approach_id, []).append((member.label, f"{kind}: {text.strip()}"))
    return notes


TABLE_COLUMNS = ("participant", "role", "theme", "approach", "practice", "practice_text", "rating", "rating_label")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def group_table(group: Group, framework: Framework, names: bool = False):
    """The group's ratings as a tidy ``pandas.DataFrame``: one row per participant and practice.

    ``participant`` is "Participant N" unless ``names`` (and the group was read with names);
    ``rating`` is the rating's id and ``rating_label`` its words, both empty when not rated.
    """
    import numpy as np
    import pandas as pd  # only the table needs pandas; `import plkit` stays light

    practices = [(theme.id, practice.approach_id, practice.id, practice.text)
                 for theme in framework.themes for practice in theme.practices]
    members, each = group.members, len(practices)
    person = np.repeat(np.arange(len(members), dtype=np.int32), each)  # row -> its member
    practice = np.tile(np.arange(each, dtype=np.int32), len(members))  # row -> its practice
    rating_ids = ("", *framework.rating_ids)
    position = {rating: i for i, rating in enumerate(rating_ids)}
    ids = [pid for _, _, pid, _ in practices]
    rated = np.array([position[member.work.self_assessment.ratings.get(pid, "")]
                      for member in members for pid in ids], dtype=np.int32)
    labels = {option.id: option.label for option in framework.scale} | {"": ""}

    def column(values: list[str], rows) -> pd.Categorical:
        """Each row's value, stored once per distinct value (a table of 29,000 rows builds in ms)."""
        distinct = list(dict.fromkeys(values))
        code = {value: i for i, value in enumerate(distinct)}
        return pd.Categorical.from_codes(np.array([code[v] for v in values], dtype=np.int32)[rows], distinct)

    people = [member.label if names else f"Participant {number}" for number, member in enumerate(members, start=1)]
    return pd.DataFrame({
        "participant": column(people, person),
        "role": column([member.work.participant.role for member in members], person),
        **{name: column([row[i] for row in practices], practice)
           for i, name in enumerate(("theme", "approach", "practice", "practice_text"))},
        "rating": column(list(rating_ids), rated),
        "rating_label": column([labels[rating] for rating in rating_ids], rated),
    }, columns=list(TABLE_COLUMNS))


def group_csv(group: Group, framework: Framework, names: bool = False) -> str:
    """The group's table as a CSV file's text, marked as UTF-8 (a BOM) so spreadsheets read it right."""
    return "\ufeff" + table_csv(group_table(group, framework, names))


def table_csv(table) -> str:
    """The tidy table as CSV for a spreadsheet; a cell that would start a formula is kept as text."""
    safe = table.copy()
    for column in safe.columns:
        cells = safe[column].astype(str)
        starts_formula = cells.str.startswith(_FORMULA_START)
        safe[column] = cells.where(~starts_formula, "'" + cells)
    return safe.to_csv(index=False, lineterminator="\n")
