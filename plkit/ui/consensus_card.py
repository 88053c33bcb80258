"""What "Agree as a team" shows as text: a practice's card, a recorded answer, the team file's answers.

Every piece of text from a work file or the framework is escaped here.
"""

from __future__ import annotations

from plkit import consensus
from plkit.analysis import UNRATED
from plkit.content import Framework
from plkit.group import disagreement
from plkit.model import NO_AGREEMENT, Agreement, Work
from plkit.roles import RoleComparison, most_common
from plkit.ui.common import escape


def counts_text(counts: dict[str, int], framework: Framework) -> str:
    """'We do this now: 12 · This is different: 10 · Not sure yet: 5 · Not rated: 3'."""
    parts = [f"{option.label}: {counts.get(option.id, 0)}" for option in framework.scale]
    if counts.get(UNRATED):
        parts.append(f"Not rated: {counts[UNRATED]}")
    return " · ".join(parts)


def practice_number(practice_id: str, framework: Framework) -> int:
    """A practice's number in the framework (1 for the first), as the self-assessment lists them."""
    return list(framework.practices).index(practice_id) + 1


def practice_card_html(practice_id: str, framework: Framework, counts: dict[str, int],
                       comparison: RoleComparison | None, notes: list[tuple[str, str]]) -> str:
    """The practice, the group's counts and split, its ratings by role, and what people wrote."""
    practice = framework.practices[practice_id]
    theme = framework.theme_of(practice_id)
    approach = framework.approaches[practice.approach_id]
    parts = [
        f'<div class="plkit-card"><p><small>{escape(theme.title)} · Approach: {escape(approach.text)}</small></p>'
        f"<h3>{practice_number(practice_id, framework)}. {escape(practice.text)}</h3>",
        f"<p><strong>The group:</strong> {escape(counts_text(counts, framework))}<br>"
        f"How split: {disagreement(counts):.2f} (0 = all agree, 1 = evenly split)</p>",
    ]
    if comparison is not None and comparison.roles.comparable:
        lines = "".join(
            f"<li>{escape(label)} ({comparison.sizes[label]}): "
            f"{escape(most_common(comparison.practices[label][practice_id], framework))}</li>"
            for label in comparison.roles.groups)
        parts.append(f"<p><strong>By role:</strong></p><ul>{lines}</ul>")
        if comparison.roles.note:
            parts.append(f"<p><small>{escape(comparison.roles.note)}</small></p>")
    if notes:
        items = "".join(f"<li><strong>{escape(who)}</strong>: {escape(text)}</li>" for who, text in notes)
        parts.append(f"<p><strong>What people wrote about this approach:</strong></p><ul>{items}</ul>")
    else:
        parts.append("<p>No one wrote notes or evidence for this approach.</p>")
    return "".join(parts) + "</div>"


def recorded_line_html(agreement: Agreement, framework: Framework) -> str:
    """A recorded answer, read-only: the answer, the reasons, and for no agreement what is needed."""
    label = consensus.answer_label(agreement.rating, framework)
    text = f"<p><strong>Recorded: {escape(label)}.</strong>"
    if agreement.reasons.strip():
        text += f" Reasons: {escape(agreement.reasons)}"
    if agreement.rating == NO_AGREEMENT:
        text += (f"<br>Evidence that would settle it: {escape(agreement.evidence_needed)}"
                 f"<br>Who will find it: {escape(agreement.who_finds)}")
    if agreement.split:
        text += f"<br><small>The group when it was recorded: {escape(counts_text(agreement.split, framework))}</small>"
    return text + "</p>"


def recorded_list_html(work: Work, framework: Framework) -> str:
    """Every answer a team file records, with the group's split then (readable with no group loaded)."""
    items = consensus.agreed_practices(work, framework)
    if not items:
        return "<p>No answers are recorded in this team file yet.</p>"
    rows = []
    for item in items:
        agreement = item.agreement
        line = (f"<li><strong>{practice_number(item.practice.id, framework)}. {escape(item.practice.text)}</strong>: "
                f"{escape(consensus.answer_label(agreement.rating, framework))}.")
        if agreement.reasons.strip():
            line += f" {escape(agreement.reasons)}"
        if agreement.rating == NO_AGREEMENT:
            line += (f"<br>Evidence that would settle it: {escape(agreement.evidence_needed)}; "
                     f"who will find it: {escape(agreement.who_finds)}")
        line += (f"<br><small>The group then: {escape(counts_text(agreement.split, framework))} "
                 f"(how split: {item.score:.2f})</small></li>")
        rows.append(line)
    return f"<p>The team's recorded answers ({len(items)}):</p><ul>{''.join(rows)}</ul>"
