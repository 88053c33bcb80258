"""Roles side by side: how teachers, leaders, district staff and coaches rated, without naming anyone.

Any role group of fewer than ``MIN_GROUP`` people is merged into *Other roles*. If that leaves
*Other roles* itself with one or two people, the smallest other group joins it too, so no group
shown (nor the whole group less the groups shown) holds fewer than three people.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from plkit.analysis import UNRATED
from plkit.content import Framework
from plkit.group import Group, rating_table, theme_summary

MIN_GROUP = 3
OTHER_ROLES = "Other roles"
# The roles the screens offer, as a group is called; any other role (or none) counts as "Other roles".
ROLE_GROUPS = {
    "teacher": "Teachers",
    "school leader": "School leaders",
    "district staff": "District or state staff",
    "coach": "Coaches and specialists",
}
NOT_GIVEN = "Role not given"


@dataclass(frozen=True)
class RoleGroups:
    groups: dict[str, Group]  # shown in this order: each at least MIN_GROUP people
    merged: tuple[str, ...]  # the role groups merged into "Other roles", with how many people
    note: str  # what was merged, and why, in a sentence ("" when nothing was)

    @property
    def comparable(self) -> bool:
        return len(self.groups) >= 2


def _listed(groups: list[tuple[str, int]]) -> str:
    return ", ".join(f"{'people who gave no role' if label == NOT_GIVEN else label.lower()} ({n})" for label, n in groups)


def _role(role: str) -> str:
    role = role.strip().lower()  # the screens save "teacher"; a hand-made file may say "Teacher"
    return ROLE_GROUPS.get(role, NOT_GIVEN if not role else OTHER_ROLES)


def role_groups(group: Group) -> RoleGroups:
    """The group split by role, small groups merged (see the module's note)."""
    buckets: dict[str, list] = {label: [] for label in (*ROLE_GROUPS.values(), NOT_GIVEN, OTHER_ROLES)}
    for member in group.members:
        buckets[_role(member.work.participant.role)].append(member)
    named = {label: members for label, members in buckets.items() if members and label != OTHER_ROLES}
    other = list(buckets[OTHER_ROLES])
    small, joined = [], []
    for label, members in list(named.items()):
        if len(members) < MIN_GROUP:
            small.append((label, len(members)))
            other.extend(named.pop(label))
    while other and len(other) < MIN_GROUP and named:  # too few even together: take the smallest group in
        label = min(reversed(named), key=lambda key: len(named[key]))
        joined.append((label, len(named[label])))
        other.extend(named.pop(label))
    groups = {label: Group(members=members, names=group.names) for label, members in named.items()}
    if other:
        groups[OTHER_ROLES] = Group(members=other, names=group.names)
    merged = small + joined
    note = ""
    if merged:
        note = (f"So that no one can be identified, role groups of fewer than {MIN_GROUP} people are shown "
                f"together as “{OTHER_ROLES}”: {_listed(small)}.")
        if joined:
            note += f" So that “{OTHER_ROLES}” also has at least {MIN_GROUP}, it includes {_listed(joined)}."
        if len(groups) < 2:
            note += " That leaves one group, so roles cannot be compared in this group."
    return RoleGroups(groups, tuple(f"{label} ({n})" for label, n in merged), note)


@dataclass(frozen=True)
class RoleComparison:
    roles: RoleGroups
    practices: dict[str, dict[str, dict[str, int]]]  # role group -> practice id -> rating counts
    themes: dict[str, dict[str, dict[str, int]]]  # role group -> theme id -> rating counts

    @property
    def sizes(self) -> dict[str, int]:
        return {label: len(group) for label, group in self.roles.groups.items()}


def compare_roles(group: Group, framework: Framework) -> RoleComparison:
    """Every practice's and theme's ratings, role group by role group."""
    roles = role_groups(group)
    practices = {label: rating_table(members, framework) for label, members in roles.groups.items()}
    themes = {label: theme_summary(table, framework) for label, table in practices.items()}
    return RoleComparison(roles, practices, themes)


def shares(counts: dict[str, int]) -> dict[str, float]:
    """Each rating's share of the ratings given (not-rated left out); empty if none were given."""
    given = {k: v for k, v in counts.items() if k != UNRATED}
    total = sum(given.values())
    return {k: v / total for k, v in given.items()} if total else {}


def distance(a: dict[str, int], b: dict[str, int]) -> float:
    """How differently two groups rated: 0 the same shares, 1 no rating in common (half the summed
    difference of the shares). 0 when either group gave no rating."""
    first, second = shares(a), shares(b)
    if not first or not second:
        return 0.0
    return sum(abs(first.get(k, 0.0) - second.get(k, 0.0)) for k in first.keys() | second.keys()) / 2


@dataclass(frozen=True)
class RoleGap:
    practice_id: str
    score: float  # the distance between the two role groups that differ most
    first: str  # those two groups
    second: str


def between_roles_queue(comparison: RoleComparison, limit: int | None = None, threshold: float = 0.25) -> list[RoleGap]:
    """Practices where role groups see things most differently (distance at least ``threshold``)."""
    labels = list(comparison.practices)
    gaps = []
    for order, pid in enumerate(next(iter(comparison.practices.values()), {})):
        best = None
        for a, b in combinations(labels, 2):
            score = distance(comparison.practices[a][pid], comparison.practices[b][pid])
            if best is None or score > best.score + 1e-9:
                best = RoleGap(pid, score, a, b)
        if best is not None and best.score >= threshold:
            gaps.append((order, best))
    gaps.sort(key=lambda item: (-round(item[1].score, 9), item[0]))
    found = [gap for _, gap in gaps]
    return found[:limit] if limit else found


def most_common(counts: dict[str, int], framework: Framework) -> str:
    """'mostly We do this now (7 of 9)' for a role group's counts; 'no ratings' when none."""
    given = {k: v for k, v in counts.items() if k != UNRATED and v}
    if not given:
        return "no ratings"
    rating, people = max(given.items(), key=lambda item: item[1])
    ties = [k for k, v in given.items() if v == people]
    total = sum(given.values())
    if len(ties) > 1:
        return f"split: {' / '.join(framework.rating_label(k) for k in ties)} ({people} each of {total})"
    return f"mostly {framework.rating_label(rating)} ({people} of {total})"
