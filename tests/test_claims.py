"""Workbook 3: the effect-size maths, the claims data (every number sourced), the checks, the charts."""

import csv
import math
import re
import subprocess
import sys
from itertools import pairwise

import pytest
from content_edits import copy_content, edit_once

from plkit import ContentError
from plkit.claim_checks import check_answer, claim_judged, steps_done, summarize_judgements
from plkit.claims import EFFECT_METRIC, EVIDENCE, NO_COMPARISON, UNSURE, load_claims
from plkit.claims_charts import (
    curves_alt_text,
    effect_curves,
    forest_alt_text,
    forest_plot,
    forest_rows,
)
from plkit.content import data_dir
from plkit.effect_sizes import d_to_r, eef_band, eef_months, improvement_index, r_to_d, u3
from plkit.work import Work

FOLDER = data_dir() / "claims"


@pytest.fixture(scope="module")
def content():
    return load_claims()


# --- the maths, against published worked examples ---------------------------------------------


def test_u3_and_the_wwc_improvement_index():
    assert u3(0) == 50
    assert u3(0.25) == pytest.approx(59.87, abs=0.005)
    assert round(improvement_index(0.25)) == 10  # WWC Procedures Handbook: d = 0.25 -> index 10
    assert improvement_index(0) == 0
    assert improvement_index(-0.25) == pytest.approx(-improvement_index(0.25))


@pytest.mark.parametrize(("d", "percent"), [(0.2, 57.9), (0.5, 69.1), (0.8, 78.8)])
def test_u3_matches_cohens_table(d, percent):
    assert round(u3(d), 1) == percent  # Cohen (1988), U3 for small, medium and large effects


def test_r_to_d_and_back():
    assert r_to_d(0.3) == pytest.approx(2 * 0.3 / math.sqrt(0.91))
    assert round(r_to_d(0.3), 3) == 0.629
    assert r_to_d(0.5) == pytest.approx(1.1547, abs=5e-5)
    assert r_to_d(0) == 0 and r_to_d(-0.3) == pytest.approx(-r_to_d(0.3))
    for r in (-0.9, -0.16, 0.0, 0.16, 0.5, 0.95):
        assert d_to_r(r_to_d(r)) == pytest.approx(r)


@pytest.mark.parametrize("bad", [1, -1, 1.5, math.nan, math.inf])
def test_r_to_d_refuses_impossible_correlations(bad):
    with pytest.raises(ValueError):
        r_to_d(bad)


@pytest.mark.parametrize(
    ("d", "months"),
    [
        (-0.01, 0),
        (0, 0),
        (0.01, 0),
        (0.02, 1),
        (0.09, 1),
        (0.10, 2),
        (0.18, 2),
        (0.19, 3),
        (0.26, 3),
        (0.27, 4),
        (0.35, 4),
        (0.36, 5),
        (0.44, 5),
        (0.45, 6),
        (0.52, 6),
        (0.53, 7),
        (0.61, 7),
        (0.62, 8),
        (0.69, 8),
        (0.70, 9),
        (0.78, 9),
        (0.79, 10),
        (0.87, 10),
        (0.88, 11),
        (0.95, 11),
        (0.96, 12),
        (1.00, 12),
    ],
)
def test_eef_bands_at_their_published_edges(d, months):
    assert eef_months(d) == months
    assert not eef_band(d).beyond


@pytest.mark.parametrize(
    ("d", "months"), [(0.014, 0), (0.015, 1), (0.094, 1), (0.095, 2), (0.184, 2), (0.185, 3)]
)
def test_eef_rounds_to_two_decimals_first(d, months):
    assert eef_months(d) == months


def test_eef_above_the_table_stays_at_twelve_and_says_so():
    for d in (1.004, 1.01, 1.5, 3):
        band = eef_band(d)
        assert band.months == 12
        assert band.beyond == (d > 1.005)
    assert "the EEF table stops at 1.00" in eef_band(1.2).text


@pytest.mark.parametrize(
    ("d", "months"), [(-0.02, -1), (-0.09, -1), (-0.10, -2), (-0.45, -6), (-1.00, -12)]
)
def test_negative_effects_mirror_the_bands(d, months):
    band = eef_band(d)
    assert band.months == months and not band.beyond
    assert band.low <= d <= band.high
    assert "less progress" in band.text
    assert eef_band(-1.3).months == -12 and eef_band(-1.3).beyond


def test_bands_have_no_gaps():
    steps = [eef_months(n / 100) for n in range(-100, 101)]
    assert all(0 <= b - a <= 1 for a, b in pairwise(steps))
    assert eef_band(0.3).text == "+4 months of additional progress"
    assert eef_band(0).text.startswith("0 months")


# --- the data: every claim cited, labelled, and every number found in its source note ---------

NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+")
FACT_COLUMNS = (
    "short",
    "claim",
    "study",
    "design",
    "sample",
    "comparison",
    "outcome",
    "effect_reported",
    "significance",
    "caveats",
)


def numbers(text: str) -> set[str]:
    """The numbers in a text, written as in '0.16' (so '.16' and '0.16' match)."""
    found = set()
    for token in NUMBER.findall(text.replace("\u2212", "-")):
        found.add("0" + token if token.startswith(".") else token)
    return found


def rows(name):
    with open(FOLDER / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_numbers_helper():
    assert numbers("r ≈ .16, 0.20 and 11,134 students; −0.15") == {"0.16", "0.20", "11,134", "0.15"}


def test_every_claim_has_a_citation_an_evidence_label_and_a_source_note():
    claims = rows("claims.csv")
    assert len(claims) >= 10
    for row in claims:
        assert row["source"].strip() and row["source_note"].strip(), row["id"]
        assert row["evidence"] in ("primary", "secondary"), row["id"]


def test_no_numeric_field_holds_a_value_absent_from_its_source_note():
    for row in rows("claims.csv"):
        noted = numbers(row["source_note"])
        for column in ("effect_size", "ci_low", "ci_high"):
            if row[column]:
                assert numbers(row[column]) <= noted, (row["id"], column, row[column])


def test_every_number_in_the_facts_is_in_the_source_note_or_citation():
    for row in rows("claims.csv"):
        allowed = numbers(row["source_note"]) | numbers(row["source"])
        for column in FACT_COLUMNS:
            assert numbers(row[column]) <= allowed, (
                row["id"],
                column,
                numbers(row[column]) - allowed,
            )


def test_every_number_in_the_feedback_is_sourced(content):
    thresholds = set().union(
        *(numbers(o.label + o.detail) for q in content.questions for o in q.options)
    )
    notes = {
        row["id"]: numbers(row["source_note"]) | numbers(row["source"])
        for row in rows("claims.csv")
    }
    for row in rows("answers.csv"):
        assert numbers(row["feedback"]) <= notes[row["claim"]] | thresholds, (
            row["claim"],
            row["question"],
        )
    for row in rows("seed.csv"):
        allowed = numbers(row["source_note"]) | numbers(row["source"])
        assert numbers(row["title"] + " " + row["text"]) <= allowed, row["id"]


def test_unverified_figures_are_left_empty(content):
    for claim_id in (
        "rand-2015-progress",
        "rand-2015-behind",
        "summit-learning",
        "teach-to-one-2019",
    ):
        claim = content.claim(claim_id)
        assert claim.effect_size is None and claim.ci_low is None, claim_id
    assert "could not be checked" in content.claim("rand-2015-progress").effect_reported


def test_eef_stays_in_months_and_correlations_stay_correlations(content):
    eef = [c for c in content.claims if c.id.startswith("eef-")]
    assert {c.effect_size for c in eef} == {6, 7, 4}
    assert all(c.effect_metric == "EEF months" and not c.is_effect for c in eef)
    roorda = content.claim("relationships-roorda")
    assert roorda.effect_metric.startswith("r") and not roorda.is_effect
    assert "correlational" in roorda.design.lower() or "correlations" in roorda.design


def test_claims_cover_the_seed_topics(content):
    text = " ".join(c.claim + c.study for c in content.claims).lower()
    for topic in (
        "rand",
        "formative",
        "metacognition",
        "feedback",
        "relationships",
        "individualised",
    ):
        assert topic in text, topic
    assert {c.evidence for c in content.claims} == set(EVIDENCE)


def test_questions_and_expected_answers(content):
    assert [q.id for q in content.questions] == ["compared", "size", "sure", "who", "cause"]
    for question in content.questions:
        assert 2 <= len(question.options) <= 5
        expected = {c.expected[question.id].answer for c in content.claims}
        assert len(expected) >= 3, question.id  # the right answer really depends on the claim
        assert UNSURE not in expected
    for claim in content.claims:
        assert set(claim.expected) == {q.id for q in content.questions}
        assert all(e.feedback for e in claim.expected.values())


def test_seed_passages(content):
    sides = {p.side for p in content.seed}
    assert sides == {"faq", "report", "critic", "notice"}
    faq = next(p for p in content.seed if p.id == "faq-rand")
    assert faq.text.startswith('"A recent RAND study finds') and faq.evidence == "quoted"
    critics = " ".join(p.text for p in content.seed if p.side == "critic")
    assert "the evidence base is very weak" in critics and "threshold" in critics


# --- research corrections (issue 10): each held by a test ----------------------------------------

PANE = "the evidence base is very weak at this point"
HEROLD = "Herold, B. (2017, November 7). 6 Key Insights: RAND Corp. Researchers Talk Personalized Learning. Education Week."


def all_rows():
    """Every row of the three text files, as (file, row id, the row's text)."""
    for name in ("claims.csv", "answers.csv", "seed.csv"):
        for row in rows(name):
            key = row.get("id") or f"{row['claim']}/{row['question']}"
            yield name, key, " ".join(v for k, v in row.items() if k != "source_note")


def test_pane_is_quoted_whole_and_cited_to_herold_2017(content):
    for claim_id in ("rand-2017-math", "rand-2017-reading"):
        claim = content.claim(claim_id)
        assert PANE in claim.caveats and "Herold, 7 November 2017" in claim.caveats, claim_id
        assert claim.source.endswith("Quotation: " + HEROLD), claim_id
    passage = next(p for p in content.seed if p.id == "pane-edweek")
    assert PANE in passage.text and passage.source == HEROLD
    assert passage.evidence == "secondary"  # an interview reported by a journalist, not the report
    for name, key, text in all_rows():
        assert "case(s) against" not in text.lower(), (name, key)  # the old, wrong citation
        if "evidence base is very weak" in text:
            assert PANE in text, (name, key)  # never cut short
            assert "Herold" in text or "November 2017" in text, (name, key)


def test_teach_to_one_2014_is_growth_against_norms_never_an_effect(content):
    claim = content.claim("teach-to-one-2014")
    assert claim.effect_size == 0.35 and claim.effect_metric == "SD growth vs national norms"
    assert not claim.is_effect and not claim.translatable
    assert "not an effect of the program" in claim.why_not_an_effect
    assert "national norms" in claim.why_not_an_effect
    assert claim.short not in {r.label for r in forest_rows(content)}
    assert claim.expected["size"].answer == "noeffect" and not claim.expected["size"].also
    assert "not an effect of the program" in claim.expected["size"].feedback


def test_a_claim_without_a_comparison_group_is_never_translated_or_charted(content):
    charted = {r.label for r in forest_rows(content)}
    for claim in content.claims:
        if claim.expected["compared"].answer in NO_COMPARISON:
            assert not claim.is_effect and claim.short not in charted, claim.id
            assert claim.why_not_an_effect, claim.id
        if claim.is_effect:
            assert claim.short in charted and claim.effect_metric == EFFECT_METRIC, claim.id


def test_the_loader_refuses_an_effect_size_without_a_comparison_group(tmp_path):
    folder = _copy(tmp_path)
    edit_once(folder / "claims.csv", ",SD growth vs national norms,", ",SD (effect size),")
    with pytest.raises(ContentError) as caught:
        load_claims(folder)
    assert caught.value.message.startswith("claims.csv, row 6, column M (effect_metric)")
    assert "needs a comparison group" in caught.value.message


def test_the_loader_refuses_an_unknown_kind_of_number(tmp_path):
    folder = _copy(tmp_path)
    edit_once(folder / "claims.csv", ",SD growth vs national norms,", ",SD gain,")
    with pytest.raises(ContentError) as caught:
        load_claims(folder)
    assert "column M (effect_metric)" in caught.value.message
    assert "'SD gain' is not a kind of number plkit knows" in caught.value.message


def test_eef_figures_carry_their_toolkit_version(content):
    feedback = content.claim("eef-feedback")
    assert "2021 version" in feedback.claim and "2021 version" in feedback.source
    assert feedback.effect_reported.startswith("+6 months in the 2021 Toolkit")
    assert "Before 2021 the Toolkit gave +8 months" in feedback.effect_reported
    metacognition = content.claim("eef-metacognition")
    assert metacognition.effect_reported.startswith("+7 months in the 2021 Toolkit")
    assert "November 2025" in metacognition.caveats and "not checked" in metacognition.caveats
    assert "+8" not in metacognition.effect_reported  # the unchecked figure is never the claim's
    individualised = content.claim("eef-individualised")
    assert "not recorded" in individualised.effect_reported  # no version is known: say so
    for claim in (feedback, metacognition, individualised):
        size = claim.expected["size"].feedback
        assert "2021 Toolkit" in size or "version is not recorded" in size, claim.id


def test_rand_2015_school_counts_are_labelled_secondhand(content):
    method = next(p for p in content.seed if p.id == "rand-2015-method")
    assert method.evidence == "primary"
    assert "23 schools" in method.text and "WR-1061" in method.source
    assert not {"62", "21"} & numbers(method.text)
    for passage in content.seed:
        if "62" in numbers(passage.text):
            assert passage.evidence == "secondary" or "secondhand" in passage.text, passage.id
    for claim in content.claims:
        if "62" in numbers(claim.sample):
            assert claim.evidence == "secondary", claim.id


def test_rand_2015_lower_starters_a_large_proportion_not_all():
    said = 0
    for name, key, text in all_rows():
        if re.search(r"(started|starting) (lower|behind|with lower).*grew faster", text):
            said += 1
            assert '"a large proportion of"' in text, (name, key)
    assert said >= 3


def test_forest_labels_are_drawn_as_written(tmp_path):
    from plkit.claims_charts import ForestRow

    rows = [ForestRow("Raise $$ for laptops", 0.2, None, None, "", "primary")]
    fig = forest_plot(rows)
    fig.savefig(tmp_path / "forest.png")  # maths parsing would raise on "$$"
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Raise $$ for laptops"]


# --- checking judgements ----------------------------------------------------------------------


def test_check_answer(content):
    claim, question = content.claim("rand-2017-reading"), content.question("size")
    assert check_answer(claim, question, "small").status == "right"
    assert check_answer(claim, question, "noeffect").status == "reasonable"
    wrong = check_answer(claim, question, "larger")
    assert wrong.status == "different" and wrong.expected_label == "Small: under 0.10 SD"
    assert "0.07 SD" in wrong.feedback
    assert check_answer(claim, question, UNSURE).status == "open"


def test_summaries_and_steps(content):
    work = Work()
    assert steps_done(work, content) == (0, len(content.claims) + 1)
    work.claims.judgements = {
        "rand-2017-math": {
            "compared": "matched",
            "size": "larger",
            "sure": "some",
            "who": "selected",
            "cause": "partly",
        },
        "summit-learning": {"compared": "none", "size": "bogus"},
        "an-old-claim": {"compared": "matched"},
    }
    assert claim_judged(work, content, "rand-2017-math")
    assert not claim_judged(work, content, "summit-learning")
    summary = summarize_judgements(work, content)
    assert [c.id for c in summary.judged] == ["rand-2017-math"]
    assert (summary.answered, summary.right, summary.reasonable) == (6, 5, 0)
    assert summary.sureness == {"strong": 0, "some": 1, "weak": 0}
    assert [c.id for c in summary.causal] == ["rand-2017-math"]
    work.claims.verdict = "  "
    assert steps_done(work, content)[0] == 1
    work.claims.verdict = "The evidence is thin."
    assert steps_done(work, content)[0] == 2


# --- malformed content names the file, row and column ------------------------------------------


def _copy(tmp_path):
    return copy_content(tmp_path, "claims")


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "claims.csv",
            ",0.09,,,,SD (effect size)",
            ",0.o9,,,,SD (effect size)",
            "row 4, column I (effect_size)",
        ),
        ("claims.csv", ",0.4,0.7,range", ",0.4,,range", "column K (ci_high)"),
        ("claims.csv", ",0.4,0.7,range of reported effects,", ",0.4,0.7,,", "column L (interval)"),
        ("claims.csv", ",0.20,,,,SD (effect size),", ",0.20,,,,,", "column M (effect_metric)"),
        ("claims.csv", ',secondary,"Black', ',hearsay,"Black', "row 9, column Q (evidence)"),
        (
            "claims.csv",
            "\nsummit-learning,Summit Learning,",
            "\nsummit-learning,,",
            "row 8, column B (short)",
        ),
        ("claims.csv", "\nsummit-learning,", "\nrand-2017-math,", "row 8, column A (id)"),
        (
            "claims.csv",
            "\nsummit-learning,Summit Learning,",
            "\nsummit-learning,  Summit Learning ,",
            None,
        ),
        (
            "answers.csv",
            "\nsummit-learning,compared,",
            "\nsummit-learnin,compared,",
            "column A (claim)",
        ),
        (
            "answers.csv",
            "summit-learning,who,nobody,",
            "summit-learning,who,everyone,",
            "column C (answer)",
        ),
        (
            "answers.csv",
            "summit-learning,size,noeffect,unsure,",
            "summit-learning,size,noeffect,maybe,",
            "column D (also)",
        ),
        (
            "answers.csv",
            "summit-learning,cause,no,",
            "summit-learning,causes,no,",
            "column B (question)",
        ),
        (
            "answers.csv",
            "summit-learning,cause,no,",
            "summit-learning,cause,unsure,",
            "column C (answer)",
        ),
        ("questions.csv", "\ncompared,none,", "\ncompared,matched,", "row 6, column B (option)"),
        ("questions.csv", "\nsure,,", "\nsurely,,", "row 14, column A (question)"),
        ("seed.csv", ",notice,", ",aside,", "column B (side)"),
        ("seed.csv", ',primary,"Penuel', ',firsthand,"Penuel', "column E (evidence)"),
    ],
)
def test_malformed_content_names_file_row_and_column(tmp_path, file, old, new, expected):
    folder = _copy(tmp_path)
    edit_once(folder / file, old, new)
    if expected is None:
        assert load_claims(folder).claim("summit-learning").short == "Summit Learning"  # trimmed
        return
    with pytest.raises(ContentError) as caught:
        load_claims(folder)
    assert caught.value.message.startswith(f"{file}, row ")
    assert expected in caught.value.message


def test_missing_answers_name_the_file_and_claim(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "answers.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(
        "".join(line for line in lines if not line.startswith("summit-learning,who,")),
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match=r"answers.csv: the claim 'summit-learning' .* who"):
        load_claims(folder)


def test_every_question_is_needed(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "questions.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(
        "".join(line for line in lines if not line.startswith("who,")), encoding="utf-8"
    )
    with pytest.raises(ContentError, match=r"questions.csv: the question\(s\) who are missing"):
        load_claims(folder)


def test_missing_file_is_named(tmp_path):
    folder = _copy(tmp_path)
    (folder / "seed.csv").unlink()
    with pytest.raises(ContentError, match="seed.csv: the file was not found"):
        load_claims(folder)


# --- charts -------------------------------------------------------------------------------------


def test_forest_rows_are_the_sd_claims_smallest_first(content):
    rows = forest_rows(content)
    assert [r.label for r in rows][:2] == ["RAND 2017: reading", "RAND 2017: math"]
    centres = [r.centre for r in rows]
    assert centres == sorted(centres)
    labels = {r.label for r in rows}
    assert not any(label.startswith(("EEF", "Roorda", "Summit")) for label in labels)
    ranged = next(r for r in rows if r.effect is None)
    assert (ranged.low, ranged.high, ranged.value_text) == (0.4, 0.7, "0.40 to 0.70")


def test_forest_plot_and_alt_text(content):
    rows = forest_rows(content)
    fig = forest_plot(rows)
    ax = fig.axes[0]
    assert fig.get_facecolor()[:3] == (1, 1, 1)
    assert [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()] == [
        r.label for r in rows
    ]
    assert any(line.get_xdata()[0] == 0 for line in ax.get_lines())  # the zero line
    assert {t.get_text() for t in fig.legends[0].get_texts()} == {
        "Seen in the primary source",
        "Quoted secondhand",
        "Range of reported effects",
    }
    alt = forest_alt_text(rows)
    assert "RAND 2017: math: 0.09" in alt and "0.40 to 0.70 (range of reported effects)" in alt


def test_forest_plot_draws_confidence_intervals_on_a_given_axis():
    from matplotlib.figure import Figure

    from plkit.claims_charts import ForestRow

    ax = Figure().add_subplot()
    rows = [ForestRow("A study", 0.2, 0.1, 0.3, "95% confidence interval", "primary")]
    assert forest_plot(rows, ax=ax) is ax.figure
    assert rows[0].value_text == "0.20 (0.10 to 0.30)"


@pytest.mark.parametrize("d", [-0.5, 0, 0.25, 1.5])
def test_effect_curves(d):
    fig = effect_curves(d)
    assert fig.get_facecolor()[:3] == (1, 1, 1)
    assert f"{u3(d):.0f}%" in fig.axes[0].get_title(loc="left")
    assert f"{u3(d):.1f}%" in curves_alt_text(d)


def test_core_modules_never_import_widgets_or_pyplot():
    code = (
        "import sys, plkit.claims, plkit.claim_checks, plkit.claims_charts, plkit.effect_sizes\n"
        "from plkit.claims_charts import effect_curves, forest_plot, forest_rows\n"
        "effect_curves(0.3); forest_plot(forest_rows(plkit.claims.load_claims()))\n"
        "print([m for m in ('ipywidgets', 'IPython', 'matplotlib.pyplot') if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
