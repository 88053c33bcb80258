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
    parts.append(f'<p class="source">Made with plkit. Practices from {_e(framework.title)} '
                 "(American Institutes for Research), in plkit's words.</p></body></html>")
    return "\n".join(parts)


def _md(text: str) -> str:
    """Participant text for Markdown: HTML escaped, kept inside its list item."""
    return _e(text).replace("\n", "\n  ") if text.strip() else "_not filled in yet_"


def plan_markdown(work: Work, framework: Framework, today: date | None = None) -> str:
    """The action plan as Markdown, for a shared document or an email."""
    today = today or date.today()
    lines = ["# My personalized learning action plan", ""]
    who = [work.participant.name, work.participant.role, work.participant.team]
    lines += [" · ".join(_e(x) for x in who if x.strip()) + f" · {today:%d %B %Y}", ""]
    for problem in plan_problems(work):
        lines.append(f"> Still to do: {_e(problem)}")
    for number, priority in enumerate(work.action_plan.priorities, start=1):
        lines += ["", f"## Priority {number}: {_e(priority.title)}", ""]
        lines += [f"- **{label}:** {_md(value)}" for label, value in _rows(priority, framework)]
    lines += ["", f"_Made with plkit. Practices from {framework.title} (AIR), in plkit's words._", ""]
    return "\n".join(lines)
