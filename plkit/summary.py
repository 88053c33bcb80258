"""The printable self-assessment: every rating, note, evidence and reflection, the strengths, gaps
and open questions, and what moved since the last kept round, as a web page and as Markdown.

Like the plan (``plkit.report``), the page comes from an autoescaped template and the Markdown
escapes everything typed, so every text shows as it was written.
"""

from __future__ import annotations

from datetime import date

from plkit import analysis
from plkit.content import Framework, Theme
from plkit.model import Work
from plkit.report import _counts_text, _png_src, _when, credit, md_block, md_line, render_page

HEADING = "My self-assessment"
TEAM_HEADING = "Our team's self-assessment"
# The same words as Workbook 2's Summary tab.
RATING_HEADINGS = {
    "now": "Strengths: what we do now",
    "different": "Gaps: what would be different from our current approach",
    "not-sure": "Open questions: what we are not sure about yet",
}
NOT_RATED = "Not rated yet"
NOT_AGREED = "Not agreed yet"


def _since(work: Work, framework: Framework) -> dict[str, object] | None:
    """The comparison with the last kept round: the practices that moved, in framework order, and
    the notes of their approaches then and now where they changed (None without a kept round)."""
    from plkit.rounds import compare

    rounds = work.self_assessment.rounds
    if not rounds:
        return None
    last = rounds[-1]
    comparison = compare(last, work.self_assessment, framework)
    moves = comparison.moves
    notes, seen = [], set()
    for move in moves:
        if move.approach.id in seen:
            continue
        seen.add(move.approach.id)
        for label, then, now in (("Notes", move.notes_then, move.notes_now),
                                 ("Evidence", move.evidence_then, move.evidence_now)):
            if then.strip() != now.strip():
                notes.append({"about": f"{label} on “{move.approach.text}”",
                              "then": then.strip(), "now": now.strip()})
    return {
        "name": last.name.strip() or "The last round",
        "kept_on": _when(last.kept_on),
        "moves": [{"practice": m.practice.text, "theme": m.theme.title, "then": m.then_words, "now": m.now_words}
                  for m in moves],
        "notes": notes,
        "counts": (comparison.counts_then, comparison.counts_now),
    }


def _rating_words(rating: str | None, framework: Framework) -> str:
    return framework.rating_label(rating) if rating in framework.rating_ids else NOT_RATED


def _answer(work: Work, practice_id: str, framework: Framework) -> tuple[str, str]:
    """A practice's rating in words, and for a team file the team's reasons."""
    if not work.is_team:
        return _rating_words(work.self_assessment.ratings.get(practice_id), framework), ""
    from plkit.consensus import answer_label, recorded

    agreement = work.team.consensus.get(practice_id)
    if not recorded(agreement):
        return NOT_AGREED, ""
    return answer_label(agreement.rating, framework) or NOT_AGREED, agreement.reasons.strip()


def _who(work: Work) -> dict[str, str]:
    participant = work.participant
    if work.is_team:
        from plkit.consensus import team_line

        team = participant.team.strip() or "Team name not given"
        return {"heading": TEAM_HEADING, "title": f"{team}: the team's self-assessment",
                "who": f"Team: {team}", "agreed": team_line(work)}
    name = participant.name.strip()
    details = [x.strip() for x in (participant.role, participant.team) if x.strip()]
    return {"heading": HEADING, "title": f"{name}: self-assessment" if name else "Self-assessment",
            "who": " · ".join([name or "Name not given", *details]), "agreed": ""}


def _theme(work: Work, theme: Theme, framework: Framework) -> dict[str, object]:
    section = work.self_assessment
    return {
        "title": theme.title,
        "approaches": [
            {"title": f"Approach {number}: {approach.text}",
             "practices": [(practice.text, *_answer(work, practice.id, framework)) for practice in approach.practices],
             "notes": section.notes.get(approach.id, "").strip(),
             "evidence": section.evidence.get(approach.id, "").strip()}
            for number, approach in enumerate(theme.approaches, start=1)
        ],
        "reflections": [(p.text, section.reflections.get(p.id, "").strip()) for p in theme.prompts],
    }


def summary_sections(work: Work, framework: Framework) -> dict[str, object]:
    """What the printable self-assessment says, computed once for its web page and Markdown."""
    summarized = analysis.summarize(work, framework)
    lists = [(RATING_HEADINGS.get(option.id, option.label),
              [(practice.text, theme.title) for theme, practice in summarized.by_rating[option.id]])
             for option in framework.scale]
    open_team = []
    if work.is_team:
        from plkit.consensus import open_questions

        open_team = [(item.practice.text, item.agreement.evidence_needed.strip(), item.agreement.who_finds.strip())
                     for item in open_questions(work, framework)]
    return {
        **_who(work),
        "progress": analysis.progress(work, framework).text,
        "lists": lists,
        "unrated": _unrated_sentence(len(summarized.unrated), work.is_team),
        "open_team": open_team,
        "last": _since(work, framework),
        "themes": [_theme(work, theme, framework) for theme in framework.themes],
        "overall": [(p.text, work.self_assessment.reflections.get(p.id, "").strip())
                    for p in framework.overall_prompts],
    }


def _unrated_sentence(count: int, team: bool) -> str:
    if not count:
        return ""
    practices = "1 practice has" if count == 1 else f"{count} practices have"
    return f"{practices} no {'agreed rating' if team else 'rating'} yet."


def _alt(counts: dict[str, dict[str, int]], labels: dict[str, str], framework: Framework) -> str:
    return "Bar chart. " + "; ".join(f"{labels[key]}: {_counts_text(c, framework)}" for key, c in counts.items())


def _charts(work: Work, framework: Framework) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The whole picture (a bar per theme) and one chart per theme (a bar per approach), embedded."""
    from plkit.charts import stacked_ratings

    whose = "The team's" if work.is_team else "Your"
    counts = analysis.counts_by_theme(work, framework)
    labels = {t.id: t.title for t in framework.themes}
    overall = {"src": _png_src(stacked_ratings(counts, labels, framework, f"{whose} ratings, theme by theme")),
               "alt": _alt(counts, labels, framework)}
    per_theme = []
    for theme in framework.themes:
        counts = analysis.counts_by_approach(work, theme, framework)
        labels = {a.id: f"{i}. {a.text}" for i, a in enumerate(theme.approaches, start=1)}
        per_theme.append({"src": _png_src(stacked_ratings(counts, labels, framework, theme.title)),
                          "alt": _alt(counts, labels, framework)})
    return overall, per_theme


def _then_and_now_chart(last: dict, framework: Framework) -> dict[str, str]:
    """Each theme's ratings in the last round above its ratings now."""
    from plkit.charts import then_and_now

    then, now = last["counts"]
    titles = {t.id: t.title for t in framework.themes}
    alt = "; ".join(f"{titles[theme]}: {last['name']} {_counts_text(then[theme], framework)}, "
                    f"now {_counts_text(now[theme], framework)}" for theme in titles)
    return {"src": _png_src(then_and_now(then, now, titles, framework, last["name"])),
            "alt": f"Bar chart, theme by theme, then and now. {alt}"}


def summary_html(work: Work, framework: Framework, today: date | None = None) -> str:
    """The self-assessment as one self-contained web page (charts embedded) that prints well."""
    today = today or date.today()
    s = summary_sections(work, framework)
    overall, per_theme = _charts(work, framework)
    if s["last"] is not None:
        s["last"]["chart"] = _then_and_now_chart(s["last"], framework)
    return render_page(
        "summary.html.j2",
        **s,
        today=f"{today:%d %B %Y}",
        team=work.is_team,
        overall_chart=overall,
        theme_charts=per_theme,
        credit=credit(framework),
    )


def _written(text: str) -> str:
    return md_block(text) if text else "_not written yet_"


def summary_markdown(work: Work, framework: Framework, today: date | None = None) -> str:
    """The self-assessment as Markdown, for a shared document or an email."""
    today = today or date.today()
    s = summary_sections(work, framework)
    lines = [f"# {s['heading']}", "", f"{md_line(s['who'])} · {today:%d %B %Y}", ""]
    if s["agreed"]:
        lines += [md_line(s["agreed"]), ""]
    lines += [f"{md_line(s['progress'])}.", "", "## The whole picture"]
    for heading, items in s["lists"]:
        lines += ["", f"### {md_line(heading)} ({len(items)})", ""]
        lines += [f"- {md_line(text)} ({md_line(theme)})" for text, theme in items] or ["None yet."]
    if s["unrated"]:
        lines += ["", md_line(s["unrated"])]
    if s["open_team"]:
        lines += ["", "### No agreement yet: evidence to find", ""]
        lines += [f"- {md_line(text)}\\\n  Evidence that would settle it: {_written(evidence)}\\\n"
                  f"  Who will find it: {md_line(who) if who else '_not said yet_'}"
                  for text, evidence, who in s["open_team"]]
    lines += _since_markdown(s["last"])
    for theme in s["themes"]:
        lines += ["", f"## {md_line(theme['title'])}"]
        for approach in theme["approaches"]:
            lines += ["", f"### {md_line(approach['title'])}", ""]
            lines += [f"- {md_line(text)} — **{md_line(answer)}**" + (f"\\\n  Reasons: {md_block(reasons)}" if reasons else "")
                      for text, answer, reasons in approach["practices"]]
            lines += ["", f"- **Notes:** {_written(approach['notes'])}",
                      f"- **Evidence:** {_written(approach['evidence'])}"]
        if theme["reflections"]:
            lines += ["", "### Reflections", ""]
            lines += [f"- **{md_line(prompt)}**\\\n  {_written(answer)}" for prompt, answer in theme["reflections"]]
    if s["overall"]:
        lines += ["", "## Looking across the themes", ""]
        lines += [f"- **{md_line(prompt)}**\\\n  {_written(answer)}" for prompt, answer in s["overall"]]
    lines += ["", f"_Made with plkit. {md_line(credit(framework))}_", ""]
    return "\n".join(lines)


def _since_markdown(last: dict | None) -> list[str]:
    if last is None:
        return []
    lines = ["", f"## Since last time: {md_line(last['name'])} ({md_line(last['kept_on'])})", ""]
    if not last["moves"]:
        return lines + ["No rating has changed since then."]
    count = len(last["moves"])
    lines += [f"{count} practice{' has' if count == 1 else 's have'} moved:", ""]
    lines += [f"- {md_line(m['practice'])} ({md_line(m['theme'])}): {md_line(m['then'])} → **{md_line(m['now'])}**"
              for m in last["moves"]]
    if last["notes"]:
        lines += ["", "### What was written then and now", ""]
        lines += [f"- **{md_line(n['about'])}**\\\n  Then: {_written(n['then'])}\\\n  Now: {_written(n['now'])}"
                  for n in last["notes"]]
    return lines
