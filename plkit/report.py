"""Printable exports: the action plan as one self-contained HTML page, and as Markdown.

All participant text is escaped: it may contain anything, including HTML or script.
"""

from __future__ import annotations

import base64
import html
from datetime import date

from plkit.charts import timeline, to_png
from plkit.content import Framework
from plkit.model import Priority, Work
from plkit.plan import plan_problems, resources_for

PRINT_CSS = """
body { font-family: Georgia, 'DejaVu Serif', serif; max-width: 50em; margin: 2em auto; padding: 0 1em;
       color: #111; background: #fff; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { font-size: 1.3em; border-bottom: 2px solid #0072B2; }
.meta { color: #444; } .problems { border-left: 4px solid #E69F00; padding: 0.2em 1em; background: #fff8e6; }
dl { display: grid; grid-template-columns: 12em 1fr; gap: 0.4em 1em; } dt { font-weight: bold; }
dd { margin: 0; white-space: pre-wrap; } img { max-width: 100%; height: auto; }
.source { font-size: 0.85em; color: #444; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  section.priority { break-inside: avoid; } .problems { display: none; }
  a { color: inherit; text-decoration: none; }
}
"""


SHIPPED_FRAMEWORK = "air-whwwpl"


def credit(framework: Framework) -> str:
    """Where the practices come from: AIR's tool, or the district's own framework."""
    if framework.id == SHIPPED_FRAMEWORK:
        return (f"Practices from {framework.title} (American Institutes for Research), "
                "in plkit's words.")
    return f"Practices from {framework.title}."


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _when(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d %B %Y") if iso else "not set"


def _rows(priority: Priority, framework: Framework) -> list[tuple[str, str]]:
    chosen = {r.id: r.title for r in resources_for(priority, framework)}
    origin = framework.practices.get(priority.practice)
    return [
        ("From the self-assessment", origin.text if origin else "My own priority"),
        ("Goal for students", priority.goal),
        ("First steps", priority.first_steps),
        ("Who is involved", priority.people),
        ("Dates", f"{_when(priority.start)} to {_when(priority.end)}"
                  if priority.start or priority.end else "not set yet"),
        ("Evidence of progress", priority.evidence),
        ("Support needed", priority.support),
        ("Resources", "; ".join(chosen[r] for r in priority.resources if r in chosen)),
    ]


def plan_html(work: Work, framework: Framework, today: date | None = None) -> str:
    """The action plan as one self-contained web page (chart embedded) that prints well."""
    today = today or date.today()
    who = work.participant.name.strip() or "Action plan"
    team = " · ".join(x for x in (work.participant.role, work.participant.team) if x.strip())
    priorities = work.action_plan.priorities
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(who)}: personalized learning action plan</title>",
        f"<style>{PRINT_CSS}</style></head><body>",
        "<h1>My personalized learning action plan</h1>",
        f'<p class="meta">{_e(work.participant.name.strip() or "Name not given")}'
        f'{(" · " + _e(team)) if team else ""} · {today:%d %B %Y}</p>',
    ]
    problems = plan_problems(work)
    if problems:
        items = "".join(f"<li>{_e(p)}</li>" for p in problems)
        parts.append(f'<div class="problems"><p><strong>Still to do:</strong></p><ul>{items}</ul></div>')
    if priorities:
        png = base64.b64encode(to_png(timeline(priorities))).decode("ascii")
        alt = "; ".join(f"{p.title}: {_when(p.start)} to {_when(p.end)}" for p in priorities)
        parts.append(f'<img src="data:image/png;base64,{png}" alt="Timeline. {_e(alt)}">')
    for number, priority in enumerate(priorities, start=1):
        rows = "".join(f"<dt>{_e(label)}</dt><dd>{_e(value) or '&nbsp;'}</dd>"
                       for label, value in _rows(priority, framework))
        parts.append(f'<section class="priority"><h2>Priority {number}: {_e(priority.title)}</h2>'
                     f"<dl>{rows}</dl></section>")
    parts.append(f'<p class="source">Made with plkit. {_e(credit(framework))}</p></body></html>')
    return "\n".join(parts)


def _m(text: str) -> str:
    """Text for Markdown: <, > and & escaped, so no participant text can become HTML."""
    return html.escape(text, quote=False)


def _md(text: str) -> str:
    """Participant text for a Markdown list item: escaped, kept inside its item."""
    return _m(text).replace("\n", "\n  ") if text.strip() else "_not filled in yet_"


def plan_markdown(work: Work, framework: Framework, today: date | None = None) -> str:
    """The action plan as Markdown, for a shared document or an email."""
    today = today or date.today()
    lines = ["# My personalized learning action plan", ""]
    who = [work.participant.name, work.participant.role, work.participant.team]
    lines += [" · ".join(_m(x) for x in who if x.strip()) + f" · {today:%d %B %Y}", ""]
    for problem in plan_problems(work):
        lines.append(f"> Still to do: {_m(problem)}")
    for number, priority in enumerate(work.action_plan.priorities, start=1):
        lines += ["", f"## Priority {number}: {_m(priority.title)}", ""]
        lines += [f"- **{label}:** {_md(value)}" for label, value in _rows(priority, framework)]
    lines += ["", f"_Made with plkit. {_m(credit(framework))}_", ""]
    return "\n".join(lines)


# --- the group report ---------------------------------------------------------------------------

def _figure(fig, alt: str) -> str:
    png = base64.b64encode(to_png(fig)).decode("ascii")
    return f'<img src="data:image/png;base64,{png}" alt="{_e(alt)}">'


def _in_framework_order(notes: dict[str, list], framework: Framework) -> dict[str, list]:
    order = list(framework.approaches)
    return dict(sorted(notes.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))


def group_sections(group, framework: Framework, names: bool = False) -> dict[str, object]:
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
    }


def _counts_text(counts: dict[str, int], framework: Framework) -> str:
    labels = {o.id: o.label for o in framework.scale} | {"unrated": "Not rated"}
    return ", ".join(f"{labels[k]} {v}" for k, v in counts.items() if v)


def group_html(group, framework: Framework, names: bool = False, today: date | None = None) -> str:
    """The group report as one self-contained web page; anonymous unless ``names``."""
    from plkit.charts import agreement_heatmap, stacked_ratings

    today = today or date.today()
    s = group_sections(group, framework, names)
    practice = {p.id: p.text for p in framework.practices.values()}
    themes = {t.id: t.title for t in framework.themes}
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Group report: {_e(framework.title)}</title>",
        f"<style>{PRINT_CSS} table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #999; "
        "padding: 0.2em 0.5em; text-align: left; vertical-align: top; }}</style></head><body>",
        "<h1>Group report: where the group stands</h1>",
        f'<p class="meta">{len(group)} participants · {today:%d %B %Y} · '
        f"{'names shown' if names else 'anonymous: participants are numbered'}</p>",
        "<h2>Who completed what</h2><table>",
        *(f"<tr><th>{_e(k.capitalize())}</th><td>{v}</td></tr>" for k, v in s["completion"].items()),
        "</table>",
    ]
    if s["skipped"]:
        items = "".join(f"<li>{_e(n)}: {_e(r)}</li>" for n, r in s["skipped"])
        parts.append(f"<p>Files that could not be read and are left out: {len(s['skipped'])}</p><ul>{items}</ul>")
    parts.append("<h2>Discuss first: where the group disagrees most</h2>")
    if s["queue"]:
        rows = "".join(
            f"<tr><td>{i}</td><td>{_e(practice[q.practice_id])}</td><td>{q.score:.2f}</td>"
            f"<td>{_e(_counts_text(q.counts, framework))}</td></tr>"
            for i, q in enumerate(s["queue"], 1))
        parts.append("<table><tr><th>#</th><th>Practice</th><th>Disagreement (0 to 1)</th>"
                     f"<th>Ratings</th></tr>{rows}</table>")
    else:
        parts.append("<p>No disagreements yet: the group agrees on every practice it rated.</p>")
    if len(group):
        parts.append("<h2>Themes</h2>")
        parts.append(_figure(stacked_ratings(s["themes"], themes, framework, "The group's ratings, theme by theme"),
                             "; ".join(f"{themes[t]}: {_counts_text(c, framework)}" for t, c in s["themes"].items())))
        parts.append("<h2>Every practice</h2>")
        parts.append(_figure(agreement_heatmap(s["table"], practice, framework),
                             "Heat map of ratings per practice; the same numbers are in the Markdown report."))
    parts.append("<h2>Priorities chosen in action plans</h2>")
    if s["priorities"]:
        parts.append("<ol>" + "".join(f"<li>{_e(t)} ({n})</li>" for t, n in s["priorities"]) + "</ol>")
    else:
        parts.append("<p>No action plans yet.</p>")
    if s["notes"]:
        parts.append("<h2>Participants' notes</h2>")
        for approach_id, notes in s["notes"].items():
            title = framework.approaches[approach_id].text if approach_id in framework.approaches else approach_id
            items = "".join(f"<li><strong>{_e(who)}</strong>: {_e(text)}</li>" for who, text in notes)
            parts.append(f"<h3>{_e(title)}</h3><ul>{items}</ul>")
    parts.append(f"<p class=\"source\">Made with plkit from participants' work files. "
                 f"{_e(credit(framework))}</p></body></html>")
    return "\n".join(parts)


def group_markdown(group, framework: Framework, names: bool = False, today: date | None = None) -> str:
    """The group report as Markdown; anonymous unless ``names``."""
    today = today or date.today()
    s = group_sections(group, framework, names)
    practice = {p.id: p.text for p in framework.practices.values()}
    lines = ["# Group report: where the group stands", "",
             f"{len(group)} participants · {today:%d %B %Y} · {'names shown' if names else 'anonymous'}", "",
             "## Who completed what", ""]
    lines += [f"- {_m(k.capitalize())}: {v}" for k, v in s["completion"].items()]
    if s["skipped"]:
        lines += ["", f"Files that could not be read and are left out: {len(s['skipped'])}", ""]
        lines += [f"- {_m(n)}: {_m(r)}" for n, r in s["skipped"]]
    lines += ["", "## Discuss first: where the group disagrees most", ""]
    lines += [f"{i}. {_m(practice[q.practice_id])} (disagreement {q.score:.2f}; {_counts_text(q.counts, framework)})"
              for i, q in enumerate(s["queue"], 1)] or ["No disagreements yet."]
    lines += ["", "## Themes", ""]
    lines += [f"- {_m(t.title)}: {_counts_text(s['themes'][t.id], framework)}" for t in framework.themes]
    lines += ["", "## Every practice", ""]
    lines += [f"- {_m(practice[pid])}: {_counts_text(c, framework)}" for pid, c in s["table"].items()]
    lines += ["", "## Priorities chosen in action plans", ""]
    lines += [f"- {_m(t)} ({n})" for t, n in s["priorities"]] or ["No action plans yet."]
    if s["notes"]:
        lines += ["", "## Participants' notes"]
        for approach_id, notes in s["notes"].items():
            title = framework.approaches[approach_id].text if approach_id in framework.approaches else approach_id
            lines += ["", f"### {_m(title)}", ""]
            lines += [f"- **{_m(who)}**: {_md(text)}" for who, text in notes]
    return "\n".join(lines) + "\n"
