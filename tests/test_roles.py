"""Roles side by side (``plkit.roles``): small role groups merged so no one can be identified, and
how differently role groups rated, with expectations worked out by hand."""

from __future__ import annotations

from itertools import product

import pytest

from plkit import roles
from plkit.group import Group, Member
from plkit.model import Participant, SelfAssessment, Work

VOICE, FACILITATORS = "how.voice.choices", "how.voice.facilitators"
MATERIALS, EVIDENCE, PROFILES = "what.goals.materials", "assessed.authentic.evidence", "what.goals.profiles"


def person(role: str, ratings: dict[str, str] | None = None) -> Member:
    work = Work(participant=Participant(role=role), self_assessment=SelfAssessment(ratings=dict(ratings or {})))
    return Member(label="Participant", source="x.json", work=work)


def group_of(**sizes: int) -> Group:
    """A group with ``sizes[role]`` people of each role (``none`` for no role given)."""
    names = {"teacher": "teacher", "leader": "school leader", "district": "district staff", "coach": "coach",
             "none": "", "other": "other"}
    return Group(members=[person(names[role]) for role, n in sizes.items() for _ in range(n)])


def sizes(found: roles.RoleGroups) -> dict[str, int]:
    return {label: len(group) for label, group in found.groups.items()}


def test_the_demo_groups_roles(framework):
    found = roles.role_groups(group_of(teacher=18, leader=5, coach=4, district=2, other=1))
    assert sizes(found) == {"Teachers": 18, "School leaders": 5, "Coaches and specialists": 4, "Other roles": 3}
    assert found.merged == ("District or state staff (2)",)
    assert found.note == ("So that no one can be identified, role groups of fewer than 3 people are shown "
                          "together as “Other roles”: district or state staff (2).")
    assert found.comparable


def test_other_roles_still_too_small_takes_the_smallest_named_group():
    """Teachers 5, leaders 4, coaches 2: coaches go to Other roles (2), still fewer than 3, so the
    smallest named group, the leaders, joins them: Teachers 5, Other roles 6."""
    found = roles.role_groups(group_of(teacher=5, leader=4, coach=2))
    assert sizes(found) == {"Teachers": 5, "Other roles": 6}
    assert found.merged == ("Coaches and specialists (2)", "School leaders (4)")
    assert found.note.endswith(
        "“Other roles”: coaches and specialists (2). So that “Other roles” also has at least 3, it "
        "includes school leaders (4).")
    assert found.comparable


def test_merging_that_leaves_one_group_says_roles_cannot_be_compared():
    found = roles.role_groups(group_of(teacher=4, leader=1))
    assert sizes(found) == {"Other roles": 5}
    assert not found.comparable
    assert found.note.endswith("That leaves one group, so roles cannot be compared in this group.")


def test_roles_not_given():
    found = roles.role_groups(group_of(none=6))
    assert sizes(found) == {"Role not given": 6} and found.note == "" and not found.comparable
    found = roles.role_groups(group_of(teacher=3, none=4))
    assert sizes(found) == {"Teachers": 3, "Role not given": 4} and found.comparable
    found = roles.role_groups(group_of(teacher=3, none=2, other=1))
    assert sizes(found) == {"Teachers": 3, "Other roles": 3}
    assert "people who gave no role (2)" in found.note


def test_a_role_the_kit_does_not_offer_counts_as_other_roles():
    members = [person(role) for role in ("librarian", "Principal", "<b>x</b>", "teacher", " teacher ", "teacher")]
    found = roles.role_groups(Group(members=members))
    assert sizes(found) == {"Teachers": 3, "Other roles": 3}
    assert found.merged == () and found.note == ""


def test_no_role_group_shown_has_fewer_than_three_people():
    """Every mix of up to 4 teachers and leaders, 3 district staff, coaches and no-role, 2 others."""
    for counts in product(range(5), range(5), range(4), range(4), range(4), range(3)):
        group = group_of(**dict(zip(("teacher", "leader", "district", "coach", "none", "other"), counts, strict=True)))
        found = roles.role_groups(group)
        shown = sizes(found)
        assert sum(shown.values()) == len(group), counts  # everyone is in exactly one group
        small = [label for label, n in shown.items() if n < roles.MIN_GROUP]
        if small:  # only a whole group of one or two people, and then nothing is compared
            assert shown == {small[0]: len(group)} and not found.comparable, (counts, shown)
        assert found.comparable == (len(shown) >= 2)


@pytest.mark.parametrize(("a", "b", "expected"), [
    ({"now": 3, "different": 1, "not-sure": 0, "unrated": 5}, {"now": 1, "different": 1, "not-sure": 2}, 0.5),
    ({"now": 2}, {"now": 5, "unrated": 3}, 0.0),  # the same shares; not rated left out
    ({"now": 2}, {"different": 7}, 1.0),
    ({"now": 1, "different": 1}, {"now": 3, "different": 1}, 0.25),
    ({"unrated": 4}, {"now": 3}, 0.0),  # no rating in one group: nothing to compare
])
def test_distance(a, b, expected):
    assert roles.distance(a, b) == pytest.approx(expected)
    assert roles.distance(b, a) == pytest.approx(expected)


def test_shares():
    assert roles.shares({"now": 3, "different": 1, "unrated": 9}) == {"now": 0.75, "different": 0.25}
    assert roles.shares({"unrated": 2}) == {}


def two_roles() -> Group:
    """4 teachers and 4 school leaders whose ratings differ by known amounts."""
    teachers = [{VOICE: "now", FACILITATORS: "different", MATERIALS: "now", PROFILES: "now",
                 EVIDENCE: "now" if i < 2 else "different"} for i in range(4)]
    leaders = [{VOICE: "different", FACILITATORS: "not-sure", MATERIALS: "now" if i < 3 else "different",
                EVIDENCE: "now", **({PROFILES: "now"} if i < 3 else {})} for i in range(4)]
    return Group(members=[person("teacher", r) for r in teachers] + [person("school leader", r) for r in leaders])


def test_compare_roles_counts_each_role_group(framework):
    comparison = roles.compare_roles(two_roles(), framework)
    assert comparison.sizes == {"Teachers": 4, "School leaders": 4}
    assert comparison.practices["Teachers"][EVIDENCE] == {"now": 2, "different": 2, "not-sure": 0, "unrated": 0}
    assert comparison.practices["School leaders"][PROFILES] == {"now": 3, "different": 0, "not-sure": 0, "unrated": 1}
    # theme "what" has 6 practices: teachers rated 2 of them (8 ratings), so 16 not rated
    assert comparison.themes["Teachers"]["what"] == {"now": 8, "different": 0, "not-sure": 0, "unrated": 16}
    assert comparison.themes["School leaders"]["what"] == {"now": 6, "different": 1, "not-sure": 0, "unrated": 17}


def test_between_roles_queue_most_different_first_then_framework_order(framework):
    """Facilitators and choices differ completely (1.0, in framework order), evidence by 0.5
    (half and half against all one rating), materials by 0.25, profiles not at all."""
    comparison = roles.compare_roles(two_roles(), framework)
    queue = roles.between_roles_queue(comparison)
    assert [(gap.practice_id, round(gap.score, 6)) for gap in queue] == [
        (FACILITATORS, 1.0), (VOICE, 1.0), (EVIDENCE, 0.5), (MATERIALS, 0.25)]
    assert all((gap.first, gap.second) == ("Teachers", "School leaders") for gap in queue)
    assert [gap.practice_id for gap in roles.between_roles_queue(comparison, limit=2)] == [FACILITATORS, VOICE]
    assert [gap.practice_id for gap in roles.between_roles_queue(comparison, threshold=0.3)] == [
        FACILITATORS, VOICE, EVIDENCE]


def test_between_roles_queue_names_the_two_groups_that_differ_most(framework):
    ratings = {"teacher": "now", "school leader": "now", "coach": "different"}
    group = Group(members=[person(role, {VOICE: rating}) for role, rating in ratings.items() for _ in range(3)])
    [gap] = roles.between_roles_queue(roles.compare_roles(group, framework))
    assert (gap.practice_id, gap.score, gap.first, gap.second) == (VOICE, 1.0, "Teachers", "Coaches and specialists")


def test_between_roles_queue_of_a_group_with_one_role_is_empty(framework):
    group = Group(members=[person("teacher", {VOICE: r}) for r in ("now", "different", "now")])
    assert roles.between_roles_queue(roles.compare_roles(group, framework)) == []
    assert roles.between_roles_queue(roles.compare_roles(Group(), framework)) == []


@pytest.mark.parametrize(("counts", "said"), [
    ({"now": 7, "different": 2, "not-sure": 0, "unrated": 1}, "mostly We do this now (7 of 9)"),
    ({"now": 2, "different": 2, "not-sure": 1}, "split: We do this now / This is different (2 each of 5)"),
    ({"now": 0, "unrated": 3}, "no ratings"),
])
def test_most_common(framework, counts, said):
    assert roles.most_common(counts, framework) == said


def test_a_role_typed_with_capitals_counts_as_that_role():
    """The screens save "teacher"; a file made by hand may say "Teacher" or "SCHOOL LEADER"."""
    members = [person(role) for role in ("Teacher", "TEACHER", "teacher", "School Leader", "school leader ",
                                         "SCHOOL LEADER")]
    assert sizes(roles.role_groups(Group(members=members))) == {"Teachers": 3, "School leaders": 3}
