"""The team's agreed picture (``plkit.consensus``) and the team file's validation, with
expectations worked out by hand."""

from __future__ import annotations

import copy
import json

import pytest

from plkit import consensus
from plkit.errors import PlkitError
from plkit.group import Group, Member
from plkit.model import NO_AGREEMENT, PERSONAL, TEAM, VERSION, Agreement, Team, Work
from plkit.work import parse_work, read_work, work_bytes

WHEN = "2026-11-20T10:00:00+00:00"
VOICE, MATERIALS, EVIDENCE = "how.voice.choices", "what.goals.materials", "assessed.authentic.evidence"


def counts(now=0, different=0, not_sure=0, unrated=0) -> dict[str, int]:
    return {"now": now, "different": different, "not-sure": not_sure, "unrated": unrated}


def blank_table(framework) -> dict[str, dict[str, int]]:
    return {pid: counts() for pid in framework.practices}


def team_work(framework) -> Work:
    return Work(framework=framework.id, kind=TEAM)


def member(label: str, anon_id: str) -> Member:
    return Member(label=label, source=f"{anon_id}.json", work=Work(), anon_id=anon_id)


# --- majority -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "expected"), [
    (counts(now=8, different=1, unrated=1), consensus.Majority("now", 8, 10)),  # 8 of 10 is 4 in 5
    (counts(now=7, different=2, unrated=1), None),  # 7 of 10 is not
    (counts(now=8, unrated=2), consensus.Majority("now", 8, 10)),  # not rated counts in the whole group
    (counts(now=8, unrated=3), None),  # 8 of 11
    (counts(different=4), consensus.Majority("different", 4, 4)),
    (counts(now=1), None),  # one person is not a group
    (counts(unrated=6), None),  # no one rated it
    (counts(now=5, different=5), None),
])
def test_majority_is_four_in_five_of_the_whole_group(given, expected):
    assert consensus.majority(given) == expected


def test_majority_sentence(framework):
    assert (consensus.Majority("now", 8, 10).sentence(framework)
            == "Agreed with the majority: 8 of 10 rated it We do this now.")


# --- the order to go through --------------------------------------------------------------------


def test_order_is_most_split_first_then_framework_order(framework):
    table = blank_table(framework)
    table[VOICE] = counts(now=1, different=1)  # (1 - 1/2) / (1 - 1/3) = 0.75
    table[MATERIALS] = counts(now=1, different=1, not_sure=1)  # evenly over all three: 1.0
    table[EVIDENCE] = counts(now=2, different=1)  # (1 - 2/3) / (2/3) = 0.5
    ids = consensus.order(table, framework)
    rest = [pid for pid in framework.practices if pid not in (MATERIALS, VOICE, EVIDENCE)]
    assert ids == [MATERIALS, VOICE, EVIDENCE, *rest]
    assert len(ids) == 29


def test_order_filtered_by_theme(framework):
    table = blank_table(framework)
    table[VOICE] = counts(now=1, different=1)
    table[MATERIALS] = counts(now=1, different=1, not_sure=1)
    how = [p.id for t in framework.themes if t.id == "how" for p in t.practices]
    assert consensus.order(table, framework, "how") == [VOICE] + [pid for pid in how if pid != VOICE]
    assert consensus.order(table, framework, "what")[0] == MATERIALS
    assert consensus.order(table, framework, "when-where") == [
        "when-where.anytime.policies", "when-where.anytime.partnerships", "when-where.anytime.collaboration",
        "when-where.anytime.devices", "when-where.anytime.technology"]


# --- answers: what is missing, recording, reopening ---------------------------------------------


@pytest.mark.parametrize(("agreement", "problem"), [
    (Agreement(), "Choose the team's answer first."),
    (Agreement(rating="sometimes", reasons="x"), "Choose the team's answer first."),
    (Agreement(rating="now"), "Write the team's reasons in a sentence or two."),
    (Agreement(rating="now", reasons=" \n "), "Write the team's reasons in a sentence or two."),
    (Agreement(rating="now", reasons="Every class has one."), ""),
    (Agreement(rating=NO_AGREEMENT), "Write what evidence would settle it, so the team knows what to look for."),
    (Agreement(rating=NO_AGREEMENT, who_finds="Ana"),
     "Write what evidence would settle it, so the team knows what to look for."),
    (Agreement(rating=NO_AGREEMENT, evidence_needed="A student survey"), "Write who will find that evidence."),
    (Agreement(rating=NO_AGREEMENT, evidence_needed="A student survey", who_finds=" "),
     "Write who will find that evidence."),
    (Agreement(rating=NO_AGREEMENT, evidence_needed="A student survey", who_finds="Ana"), ""),  # no reasons needed
])
def test_answer_problem_names_what_is_missing(framework, agreement, problem):
    assert consensus.answer_problem(agreement, framework) == problem


def test_answer_labels_and_options(framework):
    assert consensus.answer_label("now", framework) == "We do this now"
    assert consensus.answer_label(NO_AGREEMENT, framework) == "No agreement yet"
    assert consensus.answer_label("sometimes", framework) == ""
    assert consensus.answer_options(framework) == [
        ("We do this now", "now"), ("This is different", "different"), ("Not sure yet", "not-sure"),
        ("No agreement yet", NO_AGREEMENT)]


@pytest.mark.parametrize("fields", [
    {"rating": "now"},
    {"rating": "now", "reasons": "  "},
    {"rating": NO_AGREEMENT, "who_finds": "Ana"},
    {"rating": NO_AGREEMENT, "evidence_needed": "Walkthrough notes"},
    {"reasons": "No answer chosen"},
])
def test_record_refuses_an_incomplete_answer_and_changes_nothing(framework, fields):
    work = team_work(framework)
    consensus.draft(work, VOICE, framework, **fields)
    before = copy.deepcopy(work)
    with pytest.raises(PlkitError) as refused:
        consensus.record(work, VOICE, framework, counts(now=3), WHEN)
    assert refused.value.code == "consensus-incomplete"
    assert refused.value.message == consensus.answer_problem(work.team.consensus[VOICE], framework)
    assert work == before


def test_record_refuses_an_answer_never_drafted_or_a_practice_not_in_the_framework(framework):
    work = team_work(framework)
    for pid in (VOICE, "no.such.practice"):
        with pytest.raises(PlkitError) as refused:
            consensus.record(work, pid, framework, counts(), WHEN)
        assert refused.value.code == "consensus-missing"
    assert work == team_work(framework)


def test_record_keeps_the_split_the_time_and_the_rating(framework):
    work = team_work(framework)
    consensus.draft(work, VOICE, framework, rating="different", reasons="Only in two classes.")
    split = counts(now=12, different=10, unrated=3)
    group = Group(members=[member("Ana", "file-a"), member("Boris", "file-b")])
    consensus.record(work, VOICE, framework, split, WHEN, group)
    split["now"] = 99  # the saved split is the group's then, not a live view
    agreement = work.team.consensus[VOICE]
    assert agreement.split == {"now": 12, "different": 10, "not-sure": 0, "unrated": 3}
    assert agreement.agreed_at == WHEN and consensus.recorded(agreement)
    assert work.team.started == "2026-11-20"
    assert work.self_assessment.ratings == {VOICE: "different"}
    assert (work.team.members, work.team.combined, work.team.names_shown) == (2, ["file-a", "file-b"], False)


def test_draft_checks_the_practice_the_rating_and_the_field(framework):
    work = team_work(framework)
    with pytest.raises(PlkitError) as refused:
        consensus.draft(work, "no.such.practice", framework, rating="now")
    assert refused.value.code == "consensus-practice"
    with pytest.raises(PlkitError) as refused:
        consensus.draft(work, VOICE, framework, rating="sometimes")
    assert refused.value.code == "consensus-rating"
    with pytest.raises(TypeError):
        consensus.draft(work, VOICE, framework, split="x")
    consensus.draft(work, VOICE, framework, rating="now", reasons="Yes.")
    consensus.record(work, VOICE, framework, counts(now=2), WHEN)
    with pytest.raises(PlkitError) as refused:
        consensus.draft(work, VOICE, framework, reasons="Changed")
    assert refused.value.code == "consensus-recorded"
    assert work.team.consensus[VOICE].reasons == "Yes."


def test_reopen_keeps_the_words_and_takes_the_rating_back(framework):
    work = team_work(framework)
    consensus.draft(work, VOICE, framework, rating="now", reasons="Every class.")
    consensus.record(work, VOICE, framework, counts(now=2), WHEN)
    assert consensus.progress(work, framework).agreed == 1
    consensus.reopen(work, VOICE, framework)
    agreement = work.team.consensus[VOICE]
    assert (agreement.rating, agreement.reasons, agreement.agreed_at) == ("now", "Every class.", "")
    assert agreement.split == counts(now=2)
    assert work.self_assessment.ratings == {}
    assert consensus.progress(work, framework).agreed == 0
    consensus.draft(work, VOICE, framework, rating="different")  # open again: it can change
    consensus.reopen(work, "what.goals.profiles", framework)  # nothing recorded there: nothing happens
    assert "what.goals.profiles" not in work.team.consensus


def test_sync_ratings_keeps_only_recorded_answers_on_the_scale(framework):
    work = team_work(framework)
    work.self_assessment.ratings = {EVIDENCE: "now"}  # stale: not a recorded answer
    work.team.consensus = {
        VOICE: Agreement(rating="now", reasons="x", agreed_at=WHEN),
        MATERIALS: Agreement(rating=NO_AGREEMENT, evidence_needed="e", who_finds="w", agreed_at=WHEN),
        EVIDENCE: Agreement(rating="different", reasons="still open"),
        "what.goals.profiles": Agreement(rating="not-sure", reasons="x", agreed_at=WHEN),
    }
    consensus.sync_ratings(work, framework)
    assert work.self_assessment.ratings == {VOICE: "now", "what.goals.profiles": "not-sure"}


def test_agree_with_majority_records_only_where_nearly_everyone_agreed(framework):
    work = team_work(framework)
    table = blank_table(framework)
    table[VOICE] = counts(now=8, different=1, unrated=1)
    table[MATERIALS] = counts(now=7, different=2, unrated=1)
    table[EVIDENCE] = counts(different=9, unrated=1)
    work.team.consensus[EVIDENCE] = Agreement(rating="not-sure", reasons="We looked.", agreed_at=WHEN)
    done = consensus.agree_with_majority(work, [VOICE, MATERIALS, EVIDENCE], table, framework, WHEN)
    assert done == [VOICE]
    assert work.team.consensus[VOICE].reasons == "Agreed with the majority: 8 of 10 rated it We do this now."
    assert work.team.consensus[EVIDENCE].rating == "not-sure"  # a recorded answer is not overwritten
    assert MATERIALS not in work.team.consensus


def test_note_group_is_anonymous_unless_names_are_on():
    members = [member("Ana Quill", "file-0a1b2c3d4e"), member("B" * 250, "file-ffffffffff")]
    work = Work(kind=TEAM)
    consensus.note_group(work, Group(members=members, names=False))
    assert work.team.combined == ["file-0a1b2c3d4e", "file-ffffffffff"]
    assert (work.team.members, work.team.names_shown) == (2, False)
    consensus.note_group(work, Group(members=members, names=True))
    assert work.team.combined == ["Ana Quill", "B" * 200]  # a name is kept to a line's length
    assert work.team.names_shown is True


def test_progress_text(framework):
    work = team_work(framework)
    assert consensus.progress(work, framework).text == "0 of 29 agreed"
    work.team.consensus = {
        VOICE: Agreement(rating="now", reasons="x", agreed_at=WHEN),
        "how.voice.facilitators": Agreement(rating="different", reasons="x", agreed_at=WHEN),
        MATERIALS: Agreement(rating=NO_AGREEMENT, evidence_needed="e", who_finds="w", agreed_at=WHEN),
        EVIDENCE: Agreement(rating="now", reasons="still open"),
    }
    found = consensus.progress(work, framework)
    assert (found.agreed, found.open_questions, found.total, found.to_go) == (2, 1, 29, 26)
    assert found.text == "2 of 29 agreed, 1 with no agreement yet"
    voice = [p.id for t in framework.themes for a in t.approaches if a.id == "how.voice" for p in a.practices]
    assert consensus.progress(work, framework, voice).text == f"2 of {len(voice)} agreed"


def test_agreed_practices_and_open_questions_in_framework_order(framework):
    work = team_work(framework)
    work.team.consensus = {
        VOICE: Agreement(rating="now", reasons="x", split=counts(now=1, different=1), agreed_at=WHEN),
        MATERIALS: Agreement(rating=NO_AGREEMENT, evidence_needed="e", who_finds="w", agreed_at=WHEN),
        EVIDENCE: Agreement(rating="now", reasons="still open"),
    }
    agreed = consensus.agreed_practices(work, framework)
    assert [item.practice.id for item in agreed] == [MATERIALS, VOICE]
    assert agreed[1].score == pytest.approx(0.75)
    assert [item.practice.id for item in consensus.open_questions(work, framework)] == [MATERIALS]


@pytest.mark.parametrize(("members", "combined", "names", "line"), [
    (30, ["file-1"] * 30, False, "Agreed by 30 members (anonymous)."),
    (1, ["file-1"], False, "Agreed by 1 member (anonymous)."),
    (2, ["Ana", "Boris"], True, "Agreed by 2 members: Ana, Boris."),
    (2, ["", " "], True, "Agreed by 2 members (anonymous)."),
])
def test_team_line(members, combined, names, line):
    work = Work(kind=TEAM, team=Team(members=members, combined=combined, names_shown=names))
    assert consensus.team_line(work) == line


def test_start_team_names_the_team_and_keeps_the_first_start(framework):
    work = team_work(framework)
    work.team.started = "2026-09-01"
    consensus.start_team(work, "Grade 7")
    assert (work.participant.team, work.team.started) == ("Grade 7", "2026-09-01")


# --- the team file, as saved and read -----------------------------------------------------------


def team_document(**team) -> dict:
    return {"format": "plkit-work", "version": 5, "kind": "team", "participant": {"team": "Grade 7"},
            "team": {"members": 3, "combined": ["file-a", "file-b", "file-c"], "names_shown": False,
                     "started": "2026-11-20", **team}}


def raw(document: dict) -> bytes:
    return json.dumps(document).encode("utf-8")


def test_a_team_file_round_trips(framework):
    work = team_work(framework)
    consensus.start_team(work, "Grade 7 <team>")
    consensus.draft(work, MATERIALS, framework, rating=NO_AGREEMENT, evidence_needed="Survey", who_finds="Ana")
    consensus.record(work, MATERIALS, framework, counts(now=1, different=1, not_sure=1), WHEN)
    again = read_work(work_bytes(work), framework)
    assert again == work and again.is_team and again.kind == TEAM


def test_an_unknown_practice_in_the_consensus_is_a_framework_problem(framework):
    document = team_document(consensus={"no.such.practice": {"rating": "now", "reasons": "x"}})
    with pytest.raises(PlkitError) as refused:
        parse_work(raw(document), framework)
    assert refused.value.code == "work-framework"
    assert "agreed answers for practices that are not in the framework" in refused.value.message
    assert parse_work(raw(document)).team.consensus["no.such.practice"].rating == "now"  # no framework: kept


@pytest.mark.parametrize("agreement", [
    {"rating": "sometimes", "reasons": "x"},
    {"rating": "now", "reasons": "x", "split": {"sometimes": 2}},
])
def test_a_rating_not_on_the_scale_is_a_rating_problem(framework, agreement):
    with pytest.raises(PlkitError) as refused:
        parse_work(raw(team_document(consensus={VOICE: agreement})), framework)
    assert refused.value.code == "work-rating"
    assert "ratings must be one of: We do this now, This is different, Not sure yet" in refused.value.message


def test_no_agreement_and_an_open_answer_are_on_the_scale(framework):
    document = team_document(consensus={VOICE: {"rating": NO_AGREEMENT}, MATERIALS: {"rating": ""}})
    work = parse_work(raw(document), framework)
    assert work.team.consensus[VOICE].rating == NO_AGREEMENT and work.team.consensus[MATERIALS].rating == ""


def test_a_personal_file_with_a_team_part_is_damaged(framework):
    document = {"format": "plkit-work", "version": 5, "kind": "personal", "team": {"members": 3}}
    with pytest.raises(PlkitError) as refused:
        parse_work(raw(document), framework)
    assert refused.value.code == "work-invalid"
    assert "the team's part belongs only in a team file" in refused.value.message
    document["team"] = {}
    assert parse_work(raw(document), framework).kind == PERSONAL


@pytest.mark.parametrize("members", [-1, True, False, 1.5, "3", 5001, None])
def test_a_member_count_that_is_not_a_whole_number_is_damaged(framework, members):
    with pytest.raises(PlkitError) as refused:
        parse_work(raw(team_document(members=members)), framework)
    assert refused.value.code == "work-invalid"
    assert "the number of members should be a whole number from 0 to 5,000" in refused.value.message


@pytest.mark.parametrize("count", [-1, True, 2.0])
def test_a_split_count_that_is_not_a_whole_number_is_damaged(framework, count):
    document = team_document(consensus={VOICE: {"rating": "now", "split": {"now": count}}})
    with pytest.raises(PlkitError) as refused:
        parse_work(raw(document), framework)
    assert refused.value.code == "work-invalid"


@pytest.mark.parametrize(("change", "where"), [
    ({"kind": "club"}, "the kind of file"),
    ({"team": {"names_shown": "yes"}}, "names shown"),
    ({"team": {"combined": "file-a"}}, "the list of files combined"),
    ({"team": {"consensus": []}}, "the team's answers"),
    ({"team": {"consensus": {VOICE: "now"}}}, "the team's answer for"),
    ({"team": {"consensus": {VOICE: {"rating": "now", "colour": "red"}}}}, "has parts plkit does not know"),
    ({"team": {"started": "someday"}}, "the team's start date"),
])
def test_a_damaged_team_part_is_said_plainly(framework, change, where):
    document = {"format": "plkit-work", "version": 5, "kind": "team", **change}
    with pytest.raises(PlkitError) as refused:
        parse_work(raw(document), framework)
    assert refused.value.code == "work-invalid" and where in refused.value.message


def test_a_version_4_file_becomes_one_persons(framework):
    document = {"format": "plkit-work", "version": 4, "participant": {"name": "Ana", "role": "teacher", "team": "7"},
                "self_assessment": {"ratings": {VOICE: "now"}}}
    work = parse_work(raw(document), framework)
    assert work.kind == PERSONAL and not work.is_team
    assert work.team == Team()
    assert work.self_assessment.ratings == {VOICE: "now"}
    assert json.loads(work_bytes(work))["team"] == {} and json.loads(work_bytes(work))["version"] == VERSION


def test_a_version_4_file_is_always_one_persons(framework):
    """Before version 5 there were no team files: a version-4 file claiming to be one is read as one
    person's, its team part left out."""
    document = {"format": "plkit-work", "version": 4, "kind": "team", "team": {"members": 3}}
    work = parse_work(raw(document), framework)
    assert work.kind == PERSONAL and work.team == Team()
