"""Headless tests of workbook 3's screen: every judgement saved, feedback specific, charts lazy."""

import json
import shutil

import pytest

from plkit import load_framework, read_work
from plkit.claims import load_claims
from plkit.content import data_dir
from plkit.effect_sizes import improvement_index, r_to_d, u3
from plkit.store import WorkStore
from plkit.ui.claims import ResearchClaimsScreen, research_claims

RAND_2015 = {
    "compared": "matched",
    "size": "noeffect",
    "sure": "some",
    "who": "selected",
    "cause": "partly",
}


@pytest.fixture
def screen(tmp_path):
    return research_claims(work_dir=tmp_path)


def saved(screen):
    return read_work(screen.store.path).claims


def answer(checker, answers):
    for question_id, value in answers.items():
        checker.toggles[question_id].value = value


def test_starts_on_the_first_claim_with_nothing_drawn(screen):
    assert "0 of 16 steps done" in screen.progress_text.value
    assert list(screen.tabs.titles) == [
        "1. Check the claims",
        "2. Your judgements",
        "3. Translate an effect size",
        "4. All claims side by side",
        "5. Back to the FAQ",
    ]
    checker = screen.checker
    assert "Claim 1 of 15: RAND 2015: greater progress" in checker.heading.value
    assert checker.previous.disabled and not checker.next.disabled
    assert all(t.value is None for t in checker.toggles.values())
    assert "Answer all five questions" in checker.facts.value
    assert screen.translator.chart.value == "" and screen.forest.value == ""  # drawn lazily
    assert not screen.store.path.exists()


def test_each_answer_is_saved_and_gets_specific_feedback(screen):
    checker = screen.checker
    checker.toggles["compared"].value = "matched"
    feedback = checker.feedback["compared"].value
    assert "<strong>Right.</strong>" in feedback and "up to 51 similar students" in feedback
    assert saved(screen).judgements == {"rand-2015-progress": {"compared": "matched"}}
    checker.toggles["size"].value = "larger"
    feedback = checker.feedback["size"].value
    assert (
        "<strong>Not quite.</strong>" in feedback
        and "plkit's reading: “No effect size given”" in feedback
    )
    assert "could not be checked" in feedback
    checker.toggles["sure"].value = "weak"
    assert "<strong>Reasonable too.</strong>" in checker.feedback["sure"].value
    assert "Answer all five" in checker.facts.value
    assert "0 of 16 steps done" in screen.progress_text.value


def test_facts_appear_once_all_five_are_answered(screen):
    checker = screen.checker
    answer(checker, RAND_2015)
    facts = checker.facts.value
    assert "The study&#x27;s facts" in facts or "The study's facts" in facts
    assert "Not reported here." in facts  # the 2015 effect sizes are not verified
    assert "Quoted secondhand" in facts and "RR-1365-BMGF" in facts
    assert checker.reveal.layout.display == "none"
    assert "1 of 16 steps done" in screen.progress_text.value
    assert saved(screen).judgements == {"rand-2015-progress": RAND_2015}


def test_unsure_and_translated_feedback(screen):
    checker = screen.checker
    checker.picker.value = "rand-2017-math"
    checker.toggles["size"].value = "unsure"
    feedback = checker.feedback["size"].value
    assert "Here is what the study shows." in feedback and "0.09 SD" in feedback
    assert f"above {u3(0.09):.1f}% of the comparison group" in feedback
    assert "+1 month of additional progress" in feedback
    checker.reveal.click()
    assert ">Effect size</th>" in checker.facts.value


def test_show_facts_without_answering(screen):
    checker = screen.checker
    checker.picker.value = "relationships-roorda"
    checker.reveal.click()
    facts = checker.facts.value
    assert f"would be {r_to_d(0.16):.2f}: a correlation, not an effect" in facts
    assert "not reported here" in facts  # no interval
    assert not screen.store.path.exists()  # looking is not answering


def test_clearing_an_answer_removes_it(screen):
    checker = screen.checker
    checker.toggles["who"].value = "selected"
    checker.toggles["who"].value = None
    assert checker.feedback["who"].value == ""
    assert saved(screen).judgements == {}


def test_previous_next_and_picker(screen):
    checker = screen.checker
    answer(checker, {"compared": "norms"})
    checker.next.click()
    assert "Claim 2 of 15" in checker.heading.value and checker.picker.value == "rand-2015-behind"
    assert all(t.value is None for t in checker.toggles.values())
    checker.picker.value = "hattie-relationships"
    assert "Claim 15 of 15" in checker.heading.value and checker.next.disabled
    checker.picker.value = "rand-2015-progress"
    assert checker.toggles["compared"].value == "norms"  # the saved answer is shown again
    assert "Not quite" in checker.feedback["compared"].value
    for _ in range(20):
        checker.next.click()
    assert checker.index == 14
    checker.previous.click()
    assert checker.picker.value == "hattie-feedback"


def test_summary_of_judgements(screen):
    answer(screen.checker, RAND_2015)
    screen.checker.next.click()
    answer(screen.checker, {"compared": "matched", "cause": "yes"})
    screen.tabs.selected_index = 1
    summary = screen.summary.value
    assert "1 of 15 claims judged" in summary
    assert "Fairly sure: 0, Somewhat: 1, Not sure: 0" in summary
    assert "RAND 2015: greater progress, RAND 2015: students who started behind" in summary
    assert (
        "matched plkit&#x27;s reading in 5 of 7" in summary
        or "matched plkit's reading in 5 of 7" in summary
    )
    assert "✓ Matched similar students" in summary and "✗ Yes: a fair test" in summary
    assert "≈ Matched similar students" in summary


def test_translator(screen):
    screen.tabs.selected_index = 2
    translator = screen.translator
    assert (
        '<div class="plkit-chart"' in translator.chart.value and "<img src=\"data:image/png" in translator.chart.value
        and 'alt="Two bell curves' in translator.chart.value
    )
    result = translator.result.value
    assert "d = 0.25" in result and "Percentile (Cohen&#x27;s U3): 59.9" not in result
    assert "Percentile (Cohen's U3): 59.9." in result and "WWC improvement index: +10." in result
    assert "+3 months of additional progress" in result and "Baird &amp; Pane (2019" in result
    assert "least" in result and "reliable" in result
    assert "Kraft (2023" in result and "doi 10.3102/0013189X231155154" in result
    assert "36% of effect sizes" in result and "with standardized achievement outcomes" in result
    translator.d.value = 0.09
    assert translator.r.value == pytest.approx(0.045, abs=1e-3)
    assert "+1 month of additional progress" in translator.result.value
    assert f"{u3(0.09):.1f}%" in translator.chart.value  # redrawn: the alt text follows the slider
    translator.r.value = 0.3
    assert translator.d.value == 0.63 and translator.r.value == 0.3
    result = translator.result.value
    assert "from r = 0.30" in result and f"U3): {u3(r_to_d(0.3)):.1f}." in result
    assert f"index: {round(improvement_index(r_to_d(0.3))):+d}." in result
    translator.r.value = 0.8
    assert translator.d.value == 1.5 and "beyond this slider" in translator.message.value
    assert "d = 2.67" in translator.result.value
    translator.r.value = 1.2
    assert "lies between −1 and 1" in translator.message.value
    assert "d = 2.67" in translator.result.value  # unchanged
    translator.d.value = -0.4
    assert "less progress" in translator.result.value and translator.message.value == ""


def test_translator_examples_use_a_claims_effect(screen):
    translator = screen.translator
    labels = [label for label, _ in translator.example.options]
    assert "RAND 2017: math: 0.09" in labels and not any(
        label.startswith("EEF") for label in labels
    )
    assert translator.example.value == "" and labels[0] == "Choose a claim…"
    translator.example.value = "RAND 2017: math"
    assert translator.d.value == 0.09 and "d = 0.09" in translator.result.value
    assert translator.chart.value == ""  # its tab is not shown yet


def test_forest_plot_tab(screen):
    screen.tabs.selected_index = 3
    forest = screen.forest.value
    assert '<div class="plkit-chart"' in forest and "<img src=\"data:image/png" in forest and "RAND 2017: math: 0.09" in forest
    notes = screen.forest_page.children[2].value
    assert "EEF: feedback: EEF months of progress" in notes
    assert "Roorda 2011: relationships: a correlation, not an effect" in notes
    assert "RAND 2015: greater progress: no effect size is reported here" in notes
    assert "Teach to One 2014" not in forest  # growth against norms is not an effect
    assert (
        "Teach to One 2014 (vs national norms): growth compared with national norms on the test, "
        "with no comparison group of similar students, so it is not an effect of the program"
    ) in notes


def test_teach_to_one_2014_is_explained_never_translated(screen):
    translator = screen.translator
    assert not any(label.startswith("Teach to One") for label, _ in translator.example.options)
    notes = translator.left_out.value
    assert "Teach to One 2014 (vs national norms): growth compared with national norms" in notes
    assert "not an effect of the program" in notes
    checker = screen.checker
    checker.picker.value = "teach-to-one-2014"
    checker.toggles["size"].value = "larger"
    feedback = checker.feedback["size"].value
    assert "plkit&#x27;s reading: “No effect size given”" in feedback or (
        "plkit's reading: “No effect size given”" in feedback
    )
    assert "not an effect of the program" in feedback
    assert "translation" not in feedback and "comparison group (improvement index" not in feedback
    checker.reveal.click()
    facts = checker.facts.value
    assert "0.35 SD above national-norm growth" in facts
    assert ">Size reported</th>" in facts and ">Effect size</th>" not in facts
    assert "plkit does not turn this number into percentiles or months" in facts
    assert "In plkit&#x27;s translation" not in facts and "In plkit's translation" not in facts
    assert "improvement index" not in facts and "EEF table" not in facts


def test_back_to_the_faq_and_the_verdict(tmp_path):
    screen = research_claims(work_dir=tmp_path)
    page = screen.tabs.children[4].children[0].value
    assert "A recent RAND study finds that high-quality personalized learning models" in page
    assert "[Quoted from the FAQ]" in page and "[Seen in the primary source]" in page
    assert "[Quoted secondhand]" in page and "the evidence base is very weak" in page
    assert "Judge the RAND claims in step 1 first" in screen.rand_judgements.value
    answer(screen.checker, RAND_2015)
    assert "RAND 2015: greater progress: Somewhat" in screen.rand_judgements.value
    screen.verdict.value = "Promising <but> thin: matched, not random; 0.09 SD in math."
    assert saved(screen).verdict == "Promising <but> thin: matched, not random; 0.09 SD in math."
    assert "2 of 16 steps done" in screen.progress_text.value


def test_everything_survives_a_new_screen(tmp_path):
    first = research_claims(work_dir=tmp_path)
    answer(first.checker, RAND_2015)
    first.checker.picker.value = "summit-learning"
    first.checker.toggles["sure"].value = "weak"
    first.verdict.value = "My verdict."
    second = research_claims(work_dir=tmp_path)
    assert {k: t.value for k, t in second.checker.toggles.items()} == RAND_2015
    assert (
        "The study" in second.checker.facts.value
        and "Right." in second.checker.feedback["who"].value
    )
    assert second.verdict.value == "My verdict."
    assert "2 of 16 steps done" in second.progress_text.value
    second.checker.picker.value = "summit-learning"
    assert second.checker.toggles["sure"].value == "weak"


def test_unknown_saved_judgements_are_kept_and_ignored(tmp_path):
    (tmp_path / "plkit-work.json").write_text(
        json.dumps(
            {
                "format": "plkit-work",
                "version": 4,
                "claims": {
                    "judgements": {
                        "a-retired-claim": {"compared": "matched"},
                        "rand-2015-progress": {"compared": "not-an-option"},
                    }
                },
            }
        ),
        encoding="utf-8",
    )
    screen = research_claims(work_dir=tmp_path)
    assert screen.checker.toggles["compared"].value is None
    assert "0 of 16 steps done" in screen.progress_text.value
    screen.checker.toggles["who"].value = "selected"
    judgements = saved(screen).judgements
    assert judgements["a-retired-claim"] == {"compared": "matched"}
    assert judgements["rand-2015-progress"]["who"] == "selected"


def test_content_text_is_escaped(tmp_path):
    folder = tmp_path / "claims"
    shutil.copytree(data_dir() / "claims", folder)
    path = folder / "claims.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("RAND 2015: greater progress", "RAND <b>2015</b>: greater progress", 1),
        encoding="utf-8",
    )
    store = WorkStore(load_framework(), tmp_path / "work")
    screen = ResearchClaimsScreen(store, load_claims(folder))
    assert "RAND &lt;b&gt;2015&lt;/b&gt;" in screen.checker.heading.value
    assert "<b>2015</b>" not in screen.checker.heading.value
    answer(screen.checker, RAND_2015)
    screen.tabs.selected_index = 1
    assert "<b>2015</b>" not in screen.summary.value


def test_start_over_clears_workbook_3(tmp_path):
    screen = research_claims(work_dir=tmp_path)
    answer(screen.checker, {"compared": "matched"})
    screen.verdict.value = "Thin."
    screen.save_bar.start_over.click()
    screen.save_bar.confirm_reset.click()
    assert screen.checker.toggles["compared"].value is None
    assert screen.checker.feedback["compared"].value == "" and screen.verdict.value == ""
    assert "0 of 16 steps done" in screen.progress_text.value


def test_workbooks_share_one_file(tmp_path):
    from plkit.ui import understanding

    one = understanding(work_dir=tmp_path)
    three = research_claims(work_dir=tmp_path)
    one.myths.answers["only-gifted"].value = "myth"
    three.checker.toggles["cause"].value = "partly"
    three.verdict.value = "Thin evidence."
    work = read_work(tmp_path / "plkit-work.json")
    assert work.understanding.myths == {"only-gifted": "myth"}
    assert work.claims.judgements == {"rand-2015-progress": {"cause": "partly"}}
    assert work.claims.verdict == "Thin evidence."
