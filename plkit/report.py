"""Printable exports: the action plan and the group report, as self-contained web pages and as
Markdown.

Participant and framework text may contain anything (HTML, script, Markdown, maths markup): the
pages come from Jinja2 templates in ``templates/`` with autoescaping on, and the Markdown escapes
every character with a meaning in Markdown, so the text always shows as typed.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from plkit.content import Framework
from plkit.model import STEP_LABELS, Priority, Work
from plkit.plan import (
    long_date,
    plan_problems,
    progress_text,
    resources_for,
    step_progress,
    timeline_alt,
    written_steps,
)

if TYPE_CHECKING:
    from jinja2 import Environment


@cache
def _templates() -> Environment:
    """The page templates shipped in ``plkit/templates`` (loaded on first use, not at import)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(loader=PackageLoader("plkit", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def render_page(template: str, **values) -> str:
    """A page from one of the kit's templates; every value is escaped as it goes in."""
    return _templates().get_template(template).render(**values)


SHIPPED_FRAMEWORK = "air-whwwpl"


def credit(framework: Framework) -> str:
    """Where the practices come from: AIR's tool, or the district's own framework."""
    if framework.id == SHIPPED_FRAMEWORK:
        return (f"Practices from {framework.title} (American Institutes for Research), "
                "in plkit's words.")
    return f"Practices from {framework.title}."


def _when(iso: str) -> str:
    """A date as people write it; a text that is not a date is shown as it is."""
    try:
        return date.fromisoformat(iso).strftime("%d %B %Y") if iso else "not set"
    except ValueError:
        return iso


def _origin_rows(priority: Priority, framework: Framework, work: Work | None) -> list[tuple[str, str]]:
    """Where a priority comes from: the self-assessment, or the team's agreed answer (and, for a
    practice with no agreement yet, the evidence still needed and who finds it)."""
    from plkit.consensus import answer_label, recorded
    from plkit.model import NO_AGREEMENT

    origin = framework.practices.get(priority.practice)
    if work is None or not work.is_team:
        return [("From the self-assessment", origin.text if origin else "My own priority")]
    rows = [("From the team's agreed answers", origin.text if origin else "The team's own priority")]
    agreement = work.team.consensus.get(priority.practice) if origin else None
    if recorded(agreement):
        answer = answer_label(agreement.rating, framework)
        rows.append(("The team's answer", f"{answer}. {agreement.reasons.strip()}" if agreement.reasons.strip()
                     else answer))
        if agreement.rating == NO_AGREEMENT:
            rows += [("Evidence still needed", agreement.evidence_needed), ("Who finds it", agreement.who_finds)]
    return rows


@dataclass(frozen=True)
class Listed:
    """A plan detail that is a list: a line saying how many, then entries of (lead, text)."""

    summary: str
    entries: list[tuple[str, str]]
    ordered: bool = False


def _steps(priority: Priority) -> Listed:
    """Each written step with its status and due date, and how many are done."""
    entries = [(STEP_LABELS.get(step.status, step.status),
                f"{step.text.strip()} ({'due ' + long_date(step.due) if step.due else 'no due date'})")
               for _, step in written_steps(priority)]
    return Listed(progress_text(*step_progress(priority)), entries, ordered=True)


def _check_ins(priority: Priority) -> Listed:
    """Each check-in: its date, what happened and the evidence seen."""
    entries = [(_when(c.on), f"What happened: {c.happened.strip() or 'not written'}\n"
                             f"Evidence seen: {c.evidence_seen.strip() or 'not written'}")
               for c in priority.check_ins]
    return Listed("" if entries else "None yet", entries)


def _rows(priority: Priority, framework: Framework, work: Work | None = None) -> list[tuple[str, str | Listed]]:
    chosen = {r.id: r.title for r in resources_for(priority, framework)}
    return [
        *_origin_rows(priority, framework, work),
        ("Goal for students", priority.goal),
        ("Steps", _steps(priority)),
        ("Who is involved", priority.people),
        ("Dates", f"{_when(priority.start)} to {_when(priority.end)}"
                  if priority.start or priority.end else "not set yet"),
        ("Evidence of progress", priority.evidence),
        ("Support needed", priority.support),
        ("Resources", "; ".join(chosen[r] for r in priority.resources if r in chosen)),
        ("Check-ins", _check_ins(priority)),
        ("Next review", _when(priority.review) if priority.review else "not set yet"),
    ]


def _png_src(fig) -> str:
    from plkit.charts import to_png

    return "data:image/png;base64," + base64.b64encode(to_png(fig)).decode("ascii")


PLAN_HEADING = "My personalized learning action plan"
TEAM_PLAN_HEADING = "Our team's personalized learning action plan"


def plan_html(work: Work, framework: Framework, today: date | None = None) -> str:
    """The action plan as one self-contained web page (chart embedded) that prints well."""
    from plkit.charts import timeline

    today = today or date.today()
    participant = work.participant
    priorities = work.action_plan.priorities
    chart = None
    if priorities:
        title = "Our team's action plan: timeline" if work.is_team else "My action plan: timeline"
        chart = {"src": _png_src(timeline(priorities, title=title)), "alt": timeline_alt(priorities)}
    if work.is_team:
        from plkit.consensus import team_line

        team_name = participant.team.strip() or "Team name not given"
        who = {"who": f"{team_name}: the team's", "heading": TEAM_PLAN_HEADING, "name": f"Team: {team_name}",
               "team": "", "agreed": team_line(work)}
    else:
        who = {"who": f"{participant.name.strip() or 'Action plan'}:", "heading": PLAN_HEADING,
               "name": participant.name.strip() or "Name not given",
               "team": " · ".join(x for x in (participant.role, participant.team) if x.strip()), "agreed": ""}
    return render_page(
        "plan.html.j2",
        **who,
        today=f"{today:%d %B %Y}",
        problems=plan_problems(work),
        timeline=chart,
        priorities=[{"title": p.title, "rows": _rows(p, framework, work)} for p in priorities],
        credit=credit(framework),
    )


# --- Markdown -----------------------------------------------------------------------------------
# CommonMark (and GitHub's and JupyterLab's Markdown) read a backslash before any ASCII punctuation
# as "this character, as text". These characters mean something wherever they are: code, emphasis,
# links and images, headings, tables, strikethrough, maths in JupyterLab.
_MARKUP = re.compile(r"[\\`*_\[\]#|~$]")
# These mean something at the start of a line: a list, a setext heading's underline, "1." or "1)".
_LINE_START = re.compile(r"^([ \t]*)([-+=]|\d+[.)])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # "&amp;" typed stays "&amp;", never "&"
_LINE_END = re.compile(r"\r\n|\r|\n")
# A pasted web address goes into a code span: shown exactly (a backslash inside it would show, and
# GitHub would link to it with the backslash), never made a link. One with a backtick is escaped.
_ADDRESS = re.compile(r"((?:(?:https?|ftp)://|www\.)[^\s<>`]+)", re.IGNORECASE)


def _md_escape_text(text: str) -> str:
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return _MARKUP.sub(r"\\\g<0>", text)


def _md_escape_line(line: str) -> str:
    pieces = _ADDRESS.split(line)  # text, address, text, address, …, text
    line = "".join(f"`{piece}`" if i % 2 else _md_escape_text(piece) for i, piece in enumerate(pieces))
    return _LINE_START.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], line)


def md_line(text: str) -> str:
    """Text for one line of Markdown (a heading, a list item): shown as typed, line breaks as spaces.

    Plain text stays readable ("Room 5 & co" is unchanged); only characters that would become
    Markdown are escaped, so no text can make a link, an image, a heading or HTML."""
    return " ".join(_md_escape_line(line) for line in _LINE_END.split(text))


def md_block(text: str, indent: str = "  ") -> str:
    """Text inside a list item, keeping its line breaks (as Markdown hard breaks)."""
    lines = _LINE_END.split(text)
    while lines and not lines[-1].strip():  # a hard break cannot end a paragraph
        lines.pop()
    return ("\\\n" + indent).join(_md_escape_line(line) for line in lines)


def _md(text: str) -> str:
    """Participant text for a Markdown list item: escaped, kept inside its item."""
    return md_block(text) if text.strip() else "_not filled in yet_"


def _md_row(label: str, value: str | Listed) -> list[str]:
    """One plan detail as a list item; a list (steps, check-ins) as a list inside it."""
    if isinstance(value, str):
        return [f"- **{label}:** {_md(value)}"]
    lines = [f"- **{label}:** {md_line(value.summary)}".rstrip()]
    for number, (lead, text) in enumerate(value.entries, start=1):
        marker = f"{number}." if value.ordered else "-"
        indent = " " * (len(marker) + 3)
        lines.append(f"  {marker} **{md_line(lead)}**: {md_block(text, indent)}")
    return lines


def plan_markdown(work: Work, framework: Framework, today: date | None = None) -> str:
    """The action plan as Markdown, for a shared document or an email."""
    today = today or date.today()
    if work.is_team:
        from plkit.consensus import team_line

        lines = [f"# {TEAM_PLAN_HEADING}", ""]
        lines += [f"Team: {md_line(work.participant.team.strip() or 'Team name not given')} · {today:%d %B %Y}", ""]
        lines += [md_line(team_line(work)), ""]
    else:
        lines = [f"# {PLAN_HEADING}", ""]
        who = [work.participant.name, work.participant.role, work.participant.team]
        lines += [" · ".join(md_line(x) for x in who if x.strip()) + f" · {today:%d %B %Y}", ""]
    problems = plan_problems(work)
    if problems:  # one list item each: lines of a quote or a paragraph would run together as rendered
        lines += ["**Still to do:**", ""]
        lines += [f"- {md_line(problem)}" for problem in problems]
    for number, priority in enumerate(work.action_plan.priorities, start=1):
        lines += ["", f"## Priority {number}: {md_line(priority.title)}", ""]
        for label, value in _rows(priority, framework, work):
            lines += _md_row(label, value)
    lines += ["", f"_Made with plkit. {md_line(credit(framework))}_", ""]
    return "\n".join(lines)


# --- the group report ---------------------------------------------------------------------------

def _in_framework_order(notes: dict[str, list], framework: Framework) -> dict[str, list]:
    order = list(framework.approaches)
    return dict(sorted(notes.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))


def group_sections(group, framework: Framework, names: bool = False, team: Work | None = None) -> dict[str, object]:
    """What the group report says, computed once for its HTML and Markdown forms."""
    from plkit import group as g

    table = g.rating_table(group, framework)
    return {
        "table": table,
        "queue": g.disagreement_queue(table, limit=10),
        "themes": g.theme_summary(table, framework),
        "priorities": g.priority_tally(group, framework),
        "completion": g.completion(group, framework),
        "notes": _in_framework_order(g.approach_notes(group), framework),
        "skipped": [(name if names else f"File {i}", reason) for i, (name, reason) in enumerate(group.skipped, 1)],
        "team": _team_picture(team, framework, names) if team is not None else None,
        "roles": _roles_side_by_side(group, framework),
    }


def _counts_text(counts: dict[str, int], framework: Framework) -> str:
    labels = {o.id: o.label for o in framework.scale} | {"unrated": "Not rated"}
    return ", ".join(f"{labels[k]} {v}" for k, v in counts.items() if v)


def _split_text(split: dict[str, int], framework: Framework) -> str:
    """A saved split in words, in the scale's order: "We do this now 12, This is different 10, Not rated 3"."""
    from plkit.analysis import UNRATED

    labels = {o.id: o.label for o in framework.scale} | {UNRATED: "Not rated"}
    keys = [k for k in labels if k in split] + [k for k in split if k not in labels]
    return ", ".join(f"{labels.get(k, k)} {split[k]}" for k in keys if split[k]) or "not saved"


def _team_picture(team: Work, framework: Framework, names: bool) -> dict[str, object]:
    """The team's agreed answers for the report: each beside the group's split then, the open
    questions, and what is still to agree. Names of who agreed only when the report shows names."""
    from dataclasses import replace

    from plkit import consensus

    shown = team if names else replace(team, team=replace(team.team, names_shown=False))
    agreed = consensus.agreed_practices(team, framework)
    done = {item.practice.id for item in agreed}
    return {
        "name": team.participant.team.strip(),
        "who": consensus.team_line(shown),
        "progress": consensus.progress(team, framework).text,
        "answers": [(item.practice.text, consensus.answer_label(item.agreement.rating, framework),
                     _split_text(item.agreement.split, framework), item.agreement.reasons.strip())
                    for item in agreed],
        "open": [(item.practice.text, item.agreement.evidence_needed.strip(), item.agreement.who_finds.strip())
                 for item in consensus.open_questions(team, framework)],
        "to_agree": [p.text for t in framework.themes for p in t.practices if p.id not in done],
    }


def _roles_side_by_side(group, framework: Framework) -> dict[str, object]:
    """Each role group's ratings, theme by theme, and where two role groups differ most; every
    group shown holds at least three people (``plkit.roles`` merges smaller ones)."""
    from plkit import roles

    comparison = roles.compare_roles(group, framework)
    comparable = comparison.roles.comparable
    gaps = roles.between_roles_queue(comparison, limit=10) if comparable else []
    practice = {p.id: p.text for p in framework.practices.values()}
    return {
        "comparable": comparable,
        "note": comparison.roles.note,
        "cannot": "" if comparable or comparison.roles.merged else (  # else the note says it
            f"Roles cannot be compared in this group: it takes at least two role groups of "
            f"{roles.MIN_GROUP} or more people, so that no one can be identified."),
        "sizes": list(comparison.sizes.items()) if comparable else [],
        "themes": [(t.title, [_counts_text(comparison.themes[label][t.id], framework) for label in comparison.sizes])
                   for t in framework.themes] if comparable else [],
        "practices": [(p.text, [roles.most_common(comparison.practices[label][p.id], framework)
                                for label in comparison.sizes])
                      for t in framework.themes for p in t.practices] if comparable else [],
        "gaps": [(practice[gap.practice_id], gap.score,
                  gap.first, roles.most_common(comparison.practices[gap.first][gap.practice_id], framework),
                  gap.second, roles.most_common(comparison.practices[gap.second][gap.practice_id], framework))
                 for gap in gaps],
    }


def _approach_title(approach_id: str, framework: Framework) -> str:
    return framework.approaches[approach_id].text if approach_id in framework.approaches else approach_id


def group_html(group, framework: Framework, names: bool = False, today: date | None = None,
               team: Work | None = None) -> str:
    """The group report as one self-contained web page; anonymous unless ``names``. With a team
    file (``team``), it shows the team's agreed picture too."""
    from plkit.charts import agreement_heatmap, stacked_ratings

    today = today or date.today()
    s = group_sections(group, framework, names, team)
    practice = {p.id: p.text for p in framework.practices.values()}
    themes = {t.id: t.title for t in framework.themes}
    figures = []
    if len(group):
        figures = [
            {"heading": "Themes",
             "src": _png_src(stacked_ratings(s["themes"], themes, framework,
                                             "The group's ratings, theme by theme")),
             "alt": "; ".join(f"{themes[t]}: {_counts_text(c, framework)}" for t, c in s["themes"].items())},
            {"heading": "Every practice",
             "src": _png_src(agreement_heatmap(s["table"], practice, framework)),
             "alt": "Heat map of ratings per practice; the same numbers are in the Markdown report."},
        ]
    return render_page(
        "group.html.j2",
        framework_title=framework.title,
        size=len(group),
        today=f"{today:%d %B %Y}",
        names=names,
        completion=[(k.capitalize(), v) for k, v in s["completion"].items()],
        skipped=s["skipped"],
        queue=[(practice[q.practice_id], q.score, _counts_text(q.counts, framework)) for q in s["queue"]],
        figures=figures,
        priorities=s["priorities"],
        notes=[(_approach_title(a, framework), notes) for a, notes in s["notes"].items()],
        team=s["team"],
        roles=s["roles"],
        credit=credit(framework),
    )


def group_markdown(group, framework: Framework, names: bool = False, today: date | None = None,
                   team: Work | None = None) -> str:
    """The group report as Markdown; anonymous unless ``names``; with the team's agreed picture
    if a team file (``team``) is given."""
    today = today or date.today()
    s = group_sections(group, framework, names, team)
    practice = {p.id: p.text for p in framework.practices.values()}
    lines = ["# Group report: where the group stands", "",
             f"{len(group)} participants · {today:%d %B %Y} · {'names shown' if names else 'anonymous'}", "",
             "## Who completed what", ""]
    lines += [f"- {md_line(k.capitalize())}: {v}" for k, v in s["completion"].items()]
    if s["skipped"]:
        lines += ["", f"Files that could not be read and are left out: {len(s['skipped'])}", ""]
        lines += [f"- {md_line(n)}: {md_line(r)}" for n, r in s["skipped"]]
    if s["team"] is not None:
        lines += _team_markdown(s["team"])
    lines += ["", "## Discuss first: where the group disagrees most", ""]
    lines += [f"{i}. {md_line(practice[q.practice_id])} (disagreement {q.score:.2f}; "
              f"{md_line(_counts_text(q.counts, framework))})"
              for i, q in enumerate(s["queue"], 1)] or ["No disagreements yet."]
    lines += ["", "## Themes", ""]
    lines += [f"- {md_line(t.title)}: {md_line(_counts_text(s['themes'][t.id], framework))}"
              for t in framework.themes]
    lines += ["", "## Every practice", ""]
    # the ratings in brackets after the practice: "…community service.: We do this now 3" read badly
    lines += [f"- {md_line(practice[pid])} ({md_line(_counts_text(c, framework))})" for pid, c in s["table"].items()]
    lines += _roles_markdown(s["roles"])
    lines += ["", "## Priorities chosen in action plans", ""]
    lines += [f"- {md_line(t)} ({n})" for t, n in s["priorities"]] or ["No action plans yet."]
    if s["notes"]:
        lines += ["", "## Participants' notes"]
        for approach_id, notes in s["notes"].items():
            lines += ["", f"### {md_line(_approach_title(approach_id, framework))}", ""]
            lines += [f"- **{md_line(who)}**: {_md(text)}" for who, text in notes]
    return "\n".join(lines) + "\n"


def _team_markdown(team: dict) -> list[str]:
    lines = ["", "## The team's agreed picture", "",
             f"{md_line(team['name']) if team['name'] else 'Team name not given'} · {md_line(team['who'])} · "
             f"{md_line(team['progress'])}", ""]
    lines += [f"- {md_line(practice)}\\\n  The team: **{md_line(answer)}** (the group then: {md_line(split)})"
              + (f"\\\n  Reasons: {md_block(reasons)}" if reasons else "")
              for practice, answer, split, reasons in team["answers"]] or ["No answers agreed yet."]
    if team["open"]:
        lines += ["", "### No agreement yet: evidence to find", ""]
        lines += [f"- {md_line(practice)}\\\n  Evidence that would settle it: {_md(evidence)}\\\n"
                  f"  Who will find it: {md_line(who) if who else '_not said yet_'}"
                  for practice, evidence, who in team["open"]]
    if team["to_agree"]:
        count = len(team["to_agree"])
        lines += ["", f"Still to agree: {count} practice{'' if count == 1 else 's'}", ""]
        lines += [f"- {md_line(text)}" for text in team["to_agree"]]
    return lines


def _roles_markdown(roles: dict) -> list[str]:
    lines = ["", "## Roles side by side", ""]
    if roles["note"]:
        lines += [md_line(roles["note"]), ""]
    if not roles["comparable"]:
        return lines + ([md_line(roles["cannot"])] if roles["cannot"] else [])
    lines += ["Role groups: " + ", ".join(f"{md_line(label)} ({size})" for label, size in roles["sizes"]) + ".", ""]
    for title, cells in roles["themes"]:
        lines.append(f"- {md_line(title)}")
        lines += [f"  - {md_line(label)}: {md_line(cell) or 'no ratings'}"
                  for (label, _), cell in zip(roles["sizes"], cells, strict=True)]
    lines += ["", "### Every practice, by role", ""]
    for text, cells in roles["practices"]:
        lines.append(f"- {md_line(text)}")
        lines += [f"  - {md_line(label)}: {md_line(cell)}" for (label, _), cell in zip(roles["sizes"], cells, strict=True)]
    lines += ["", "### Where roles see it differently", ""]
    lines += [f"{i}. {md_line(practice)} (difference {score:.2f}): {md_line(first)} {md_line(first_says)}; "
              f"{md_line(second)} {md_line(second_says)}"
              for i, (practice, score, first, first_says, second, second_says) in enumerate(roles["gaps"], 1)]
    return lines if roles["gaps"] else lines + ["No practice where role groups differ much."]
