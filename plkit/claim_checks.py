"""Checks of a participant's judgements of research claims (workbook 3), against plkit's reading."""

from __future__ import annotations

from dataclasses import dataclass

from plkit.claims import UNSURE, Claim, ClaimsContent, Question
from plkit.work import Work


@dataclass(frozen=True)
class AnswerCheck:
    status: str  # "right", "reasonable", "different" or "open" (the participant was not sure)
    expected_label: str
    feedback: str


def check_answer(claim: Claim, question: Question, answer: str) -> AnswerCheck:
    expected = claim.expected[question.id]
    if answer == expected.answer:
        status = "right"
    elif answer == UNSURE:
        status = "open"
    elif answer in expected.also:
        status = "reasonable"
    else:
        status = "different"
    return AnswerCheck(status, question.label(expected.answer), expected.feedback)


def claim_judged(work: Work, content: ClaimsContent, claim_id: str) -> bool:
    answers = work.claims.judgements.get(claim_id, {})
    return all(_valid(content, q.id, answers.get(q.id)) for q in content.questions)


def _valid(content: ClaimsContent, question_id: str, answer: str | None) -> bool:
    return answer is not None and any(o.id == answer for o in content.question(question_id).options)


@dataclass(frozen=True)
class JudgementSummary:
    judged: tuple[Claim, ...]  # claims with all questions answered
    answered: int  # valid answers given, over all claims
    right: int
    reasonable: int
    sureness: dict[str, int]  # answer to the "sure" question -> how many claims
    causal: tuple[Claim, ...]  # claims the participant read as supporting a cause (yes or partly)


def summarize_judgements(work: Work, content: ClaimsContent) -> JudgementSummary:
    """What the participant has judged, and how often it matched plkit's reading."""
    answered = right = reasonable = 0
    sureness = {o.id: 0 for o in content.question("sure").options}
    causal = []
    for claim in content.claims:
        answers = work.claims.judgements.get(claim.id, {})
        for question in content.questions:
            answer = answers.get(question.id)
            if not _valid(content, question.id, answer):
                continue
            answered += 1
            status = check_answer(claim, question, answer).status
            right += status == "right"
            reasonable += status == "reasonable"
        if answers.get("sure") in sureness:
            sureness[answers["sure"]] += 1
        if answers.get("cause") in ("yes", "partly"):
            causal.append(claim)
    judged = tuple(c for c in content.claims if claim_judged(work, content, c.id))
    return JudgementSummary(judged, answered, right, reasonable, sureness, tuple(causal))


def steps_done(work: Work, content: ClaimsContent) -> tuple[int, int]:
    """Claims fully judged, plus the written verdict, out of all of them."""
    judged = sum(claim_judged(work, content, c.id) for c in content.claims)
    return judged + bool(work.claims.verdict.strip()), len(content.claims) + 1
