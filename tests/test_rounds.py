"""Rounds of the self-assessment: keeping, renaming, removing, and what moved between two times."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plkit import rounds
from plkit.analysis import UNRATED
from plkit.content import load_framework
from plkit.errors import PlkitError
from plkit.model import MAX_ROUNDS, Round, SelfAssessment, Work
from plkit.work import parse_work, work_bytes

FRAMEWORK = load_framework()


def rated_work(**ratings: str) -> Work:
    work = Work()
    work.self_assessment.ratings = {pid.replace("_", "."): r for pid, r in ratings.items()}
    return work


def test_keeping_a_round_copies_the_answers_and_clears_nothing():
    work = rated_work(what_goals_materials="different", how_voice_choices="now")
    work.self_assessment.notes = {"what.goals": "Only in grade 6."}
    work.self_assessment.evidence = {"how.voice": "Student surveys"}
    kept = rounds.keep_round(work, "  Fall 2026 ", date(2026, 9, 14))
    assert kept == Round(
        name="Fall 2026", kept_on="2026-09-14",
        ratings={"what.goals.materials": "different", "how.voice.choices": "now"},
        notes={"what.goals": "Only in grade 6."}, evidence={"how.voice": "Student surveys"},
    )
    assert work.self_assessment.rounds == [kept]
    # the next round starts from the last one: the answers are still there
    assert work.self_assessment.ratings == {"what.goals.materials": "different", "how.voice.choices": "now"}
    assert work.self_assessment.notes == {"what.goals": "Only in grade 6."}
    # ... and a copy: changing them now does not change the round kept
    work.self_assessment.ratings["what.goals.materials"] = "now"
    work.self_assessment.notes["what.goals"] = "All grades now."
    assert kept.ratings["what.goals.materials"] == "different"
    assert kept.notes["what.goals"] == "Only in grade 6."


def test_rounds_are_kept_newest_last_and_survive_saving():
    work = rated_work(what_goals_materials="different")
    rounds.keep_round(work, "Fall 2026", "2026-09-14")
    work.self_assessment.ratings["what.goals.materials"] = "now"
    rounds.keep_round(work, "Spring 2027", date(2027, 3, 1))
    assert [r.name for r in work.self_assessment.rounds] == ["Fall 2026", "Spring 2027"]
    back = parse_work(work_bytes(work), FRAMEWORK)
    assert back.self_assessment.rounds == work.self_assessment.rounds
    assert back.self_assessment.rounds[0].ratings == {"what.goals.materials": "different"}


@pytest.mark.parametrize(("name", "message"), [
    ("", "Give the round a name first"),
    ("   ", "Give the round a name first"),
    ("fall 2026", "There is already a round called “Fall 2026”"),
    ("x" * 201, "too long: at most 200 characters"),
])
def test_a_round_needs_a_name_of_its_own(name, message):
    work = rated_work(what_goals_materials="now")
    rounds.keep_round(work, "Fall 2026", "2026-09-14")
    with pytest.raises(PlkitError) as caught:
        rounds.keep_round(work, name, "2026-10-01")
    assert message in caught.value.message
    assert len(work.self_assessment.rounds) == 1


def test_nothing_to_keep_is_refused():
    with pytest.raises(PlkitError, match="Nothing to keep yet"):
        rounds.keep_round(Work(), "Fall 2026", "2026-09-14")


def test_at_most_max_rounds():
    work = rated_work(what_goals_materials="now")
    for number in range(MAX_ROUNDS):
        rounds.keep_round(work, f"Round {number}", "2026-09-14")
    with pytest.raises(PlkitError) as caught:
        rounds.keep_round(work, "One more", "2026-09-15")
    assert f"already keeps {MAX_ROUNDS} rounds" in caught.value.message
    assert len(work.self_assessment.rounds) == MAX_ROUNDS


def test_rename_and_remove():
    work = rated_work(what_goals_materials="now")
    for name in ("Fall 2026", "Spring 2027", "Fall 2027"):
        rounds.keep_round(work, name, "2026-09-14")
    rounds.rename_round(work, 1, " Spring term 2027 ")
    assert [r.name for r in work.self_assessment.rounds] == ["Fall 2026", "Spring term 2027", "Fall 2027"]
    rounds.rename_round(work, 1, "SPRING TERM 2027")  # its own name, in other capitals: allowed
    assert work.self_assessment.rounds[1].name == "SPRING TERM 2027"
    with pytest.raises(PlkitError, match="already a round called “Fall 2027”"):
        rounds.rename_round(work, 0, "fall 2027")
    with pytest.raises(PlkitError, match="not in this file any more"):
        rounds.rename_round(work, 3, "Anything")
    removed = rounds.remove_round(work, 0)
    assert removed.name == "Fall 2026"
    assert [r.name for r in work.self_assessment.rounds] == ["SPRING TERM 2027", "Fall 2027"]
    assert work.self_assessment.ratings == {"what.goals.materials": "now"}  # the answers stay
    with pytest.raises(PlkitError, match="not in this file any more"):
        rounds.remove_round(work, -1)
    assert rounds.find_round(work, "Fall 2027") == 1
    with pytest.raises(PlkitError, match="no round called “Fall 2026”"):
        rounds.find_round(work, "Fall 2026")


def test_compare_lists_every_move_with_words_and_notes():
    then = Round(
        name="Fall 2026",
        ratings={"what.goals.materials": "different", "how.voice.choices": "now",
                 "how.voice.facilitators": "not-sure", "assessed.authentic.data": "now",
                 "what.goals.profiles": "now"},
        notes={"what.goals": "Only grade 6.", "how.voice": "Choice boards in some classes."},
        evidence={"what.goals": "Unit plans"},
    )
    now = SelfAssessment(
        ratings={"what.goals.materials": "now", "how.voice.choices": "different",
                 "how.voice.facilitators": "different", "when-where.anytime.policies": "not-sure",
                 "what.goals.profiles": "now"},
        notes={"what.goals": "All grades now.", "how.voice": "Choice boards in some classes."},
    )
    result = rounds.compare(then, now, FRAMEWORK)
    assert [(m.practice.id, m.then, m.now, m.kind) for m in result.moves] == [
        ("what.goals.materials", "different", "now", rounds.TOWARDS),
        ("how.voice.facilitators", "not-sure", "different", rounds.CHANGED),
        ("how.voice.choices", "now", "different", rounds.AWAY),
        ("when-where.anytime.policies", "", "not-sure", rounds.NEWLY_RATED),
        ("assessed.authentic.data", "now", "", rounds.NO_LONGER_RATED),
    ]
    first, third, last = result.moves[0], result.moves[2], result.moves[4]
    assert first.words == "This is different → We do this now"
    assert third.words == "We do this now → This is different"
    assert last.words == "We do this now → Not rated"
    assert result.moves[3].words == "Not rated → Not sure yet"
    assert first.theme.id == "what" and first.approach.id == "what.goals"
    assert (first.notes_then, first.notes_now) == ("Only grade 6.", "All grades now.")
    assert (first.evidence_then, first.evidence_now) == ("Unit plans", "")
    assert result.count(rounds.TOWARDS) == 1 and result.count(rounds.AWAY) == 1
    # the counts per theme, by hand: "what" has 6 practices
    assert result.counts_then["what"] == {"now": 1, "different": 1, "not-sure": 0, UNRATED: 4}
    assert result.counts_now["what"] == {"now": 2, "different": 0, "not-sure": 0, UNRATED: 4}
    assert result.counts_then["how"] == {"now": 1, "different": 0, "not-sure": 1, UNRATED: 10}
    assert result.counts_now["how"] == {"now": 0, "different": 2, "not-sure": 0, UNRATED: 10}
    assert result.counts_then["when-where"] == {"now": 0, "different": 0, "not-sure": 0, UNRATED: 5}
    assert result.counts_now["when-where"] == {"now": 0, "different": 0, "not-sure": 1, UNRATED: 4}
    assert result.counts_then["assessed"] == {"now": 1, "different": 0, "not-sure": 0, UNRATED: 5}
    assert result.counts_now["assessed"][UNRATED] == 6


def test_nothing_moved_and_ratings_off_the_scale_count_as_not_rated():
    same = {"what.goals.materials": "now"}
    assert rounds.compare(Round(ratings=same), SelfAssessment(ratings=dict(same)), FRAMEWORK).moves == []
    odd = rounds.compare(Round(ratings={"what.goals.materials": "maybe", "gone.practice": "now"}),
                         SelfAssessment(), FRAMEWORK)
    assert odd.moves == []
    assert rounds.rated(Round(ratings={"what.goals.materials": "now", "gone.practice": "now"}), FRAMEWORK) == 1


RATINGS = st.sampled_from(["now", "different", "not-sure", "odd-rating"])
ANSWERS = st.dictionaries(st.sampled_from(sorted(FRAMEWORK.practices)), RATINGS, max_size=12)


@given(then=ANSWERS, now=ANSWERS)
def test_compare_lists_exactly_the_practices_whose_rating_differs(then, now):
    def on_scale(ratings):
        return {pid: r for pid, r in ratings.items() if r in FRAMEWORK.rating_set}

    result = rounds.compare(Round(ratings=then), SelfAssessment(ratings=now), FRAMEWORK)
    a, b = on_scale(then), on_scale(now)
    assert {m.practice.id for m in result.moves} == {pid for pid in FRAMEWORK.practices if a.get(pid) != b.get(pid)}
    for move in result.moves:
        assert (move.then, move.now) == (a.get(move.practice.id, ""), b.get(move.practice.id, ""))
    for theme in FRAMEWORK.themes:
        assert sum(result.counts_then[theme.id].values()) == len(theme.practices)
        assert sum(result.counts_now[theme.id].values()) == len(theme.practices)
    # counts move by exactly the moves: every practice leaving a rating arrives at another
    for rating in (*FRAMEWORK.rating_ids, UNRATED):
        gained = sum(1 for m in result.moves if (m.now or UNRATED) == rating)
        lost = sum(1 for m in result.moves if (m.then or UNRATED) == rating)
        assert sum(c[rating] for c in result.counts_now.values()) - sum(
            c[rating] for c in result.counts_then.values()) == gained - lost


@pytest.mark.parametrize("name", ["Raise $$ for laptops", "$x^2$ term", "_hidden", "日本語" * 30])
def test_the_then_and_now_chart_draws_any_round_name_as_it_is(name):
    from matplotlib.text import Text

    from plkit import charts

    then = Round(ratings={"what.goals.materials": "different", "how.voice.choices": "now"})
    now = SelfAssessment(ratings={"what.goals.materials": "now"})
    result = rounds.compare(then, now, FRAMEWORK)
    titles = {t.id: t.title for t in FRAMEWORK.themes}
    fig = charts.then_and_now(result.counts_then, result.counts_now, titles, FRAMEWORK, name)
    assert charts.to_png(fig).startswith(b"\x89PNG")
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert not any(t.get_parse_math() for t in fig.findobj(Text))
    assert sum(1 for label in fig.axes[0].get_yticklabels() if label.get_text() == "Now") == len(FRAMEWORK.themes)
    assert any(text.startswith("What students learn: ") for text in texts)
    # the numbers on the bars, by hand: what (then 1 different + 5, now 1 now + 5), how (then 1 now + 11,
    # now 12 not rated), when and where (5, 5), assessed (6, 6)
    on_bars = sorted(int(t.get_text()) for t in fig.axes[0].texts)
    assert on_bars == sorted([1, 5, 1, 5, 1, 11, 12, 5, 5, 6, 6])
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["We do this now", "This is different", "Not sure yet", "Not rated yet"]
