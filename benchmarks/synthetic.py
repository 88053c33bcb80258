"""Make synthetic work files: the demo group in data/demo/ and large groups for benchmarks.

    python benchmarks/synthetic.py --demo            # rewrite data/demo/ (30 files + 1 broken)
    python benchmarks/synthetic.py --count 1000 DIR  # 1,000 files for the group benchmark

Every file is clearly labelled synthetic: the names say so, and so does the team.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

from plkit import load_framework
from plkit.claims import load_claims
from plkit.model import Priority, Work
from plkit.work import write_work

ROOT = Path(__file__).resolve().parent.parent
ROLES = ["teacher"] * 6 + ["school leader", "coach", "district staff"]
# The demo group's 30 roles: enough teachers, leaders and coaches to compare, and two district
# staff and one "other" to show small role groups merged into "Other roles".
DEMO_ROLES = ["teacher"] * 18 + ["school leader"] * 5 + ["coach"] * 4 + ["district staff"] * 2 + ["other"]
NOTES = [
    "We do this in some classrooms but not across the school.",
    "Grade-level teams started this last year.",
    "Depends on the teacher; no shared approach yet.",
    "Our schedule makes this hard.",
    "The new report card should help here.",
    "Students like it when we try it.",
]
EVIDENCE = ["Lesson plans", "Student portfolios", "The master schedule", "Walkthrough notes", "Survey results"]
OWN = ["Family learning nights", "Common planning time", "Student-led conferences"]
CLAIMS = load_claims()


def synthetic_work(number: int, rng: random.Random, framework) -> Work:
    """One participant's answers, with a leaning per theme so the group agrees on some practices.

    Every fourth practice is one nearly everyone agrees on, and school leaders see the how, when
    and where of learning more rosily than teachers do: a group to reach consensus with.
    """
    work = Work(framework=framework.id)
    work.participant.name = f"Synthetic participant {number:02d}"
    role = DEMO_ROLES[(number * 7) % len(DEMO_ROLES)] if number <= len(DEMO_ROLES) else rng.choice(ROLES)
    work.participant.role = role
    work.participant.team = f"Demo school {'ABC'[number % 3]} (synthetic)"
    leanings = {"what": (0.6, 0.3), "how": (0.3, 0.5), "when-where": (0.15, 0.6), "assessed": (0.35, 0.35)}
    for theme in framework.themes:
        now, different = leanings.get(theme.id, (0.34, 0.33))
        if role == "school leader" and theme.id in ("how", "when-where"):
            now, different = 0.75, 0.15
        for index, practice in enumerate(theme.practices):
            roll = rng.random()
            if index % 4 == 1:  # a practice nearly everyone agrees on
                rating = ("now", "different")[len(practice.id) % 2] if roll < 0.93 else "not-sure"
                work.self_assessment.ratings[practice.id] = rating
                continue
            if roll < 0.06:
                continue  # left unrated
            rating = "now" if roll < now else "different" if roll < now + different else "not-sure"
            work.self_assessment.ratings[practice.id] = rating
        for approach in theme.approaches:
            if rng.random() < 0.35:
                work.self_assessment.notes[approach.id] = rng.choice(NOTES)
            if rng.random() < 0.2:
                work.self_assessment.evidence[approach.id] = rng.choice(EVIDENCE)
    gaps = [pid for pid, r in work.self_assessment.ratings.items() if r == "different"]
    start = date(2027, 1, 11) + timedelta(days=7 * rng.randrange(8))
    for pid in rng.sample(gaps, k=min(len(gaps), rng.choice([0, 1, 2, 2, 3]))):
        work.action_plan.priorities.append(Priority(
            title=framework.practices[pid].text[:60], practice=pid, goal="Students notice the change.",
            start=start.isoformat(), end=(start + timedelta(days=120)).isoformat(),
        ))
    if rng.random() < 0.2 and len(work.action_plan.priorities) < 3:
        work.action_plan.priorities.append(Priority(title=rng.choice(OWN)))
    if rng.random() < 0.6:
        work.understanding.myths = {"only-gifted": "myth", "technology-goal": rng.choice(["myth", "fact"])}
        work.understanding.vignettes = {"stations": rng.choice([["student-centered"], ["agency"]]),
                                        "same-chapter": ["traditional"]}
    if rng.random() < 0.4:
        for claim in CLAIMS.claims[:3]:
            work.claims.judgements[claim.id] = {q.id: rng.choice(q.options).id for q in CLAIMS.questions}
    return work


def write_group(folder: Path, count: int, seed: int = 2026) -> list[Path]:
    framework = load_framework()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    return [write_work(synthetic_work(n, rng, framework), folder / f"synthetic-{n:04d}.json")
            for n in range(1, count + 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--demo", action="store_true", help="rewrite data/demo/")
    args = parser.parse_args()
    folder = ROOT / "data" / "demo" if args.demo else args.folder
    if folder is None:
        parser.error("give a folder, or --demo")
    paths = write_group(folder, args.count)
    if args.demo:
        (folder / "synthetic-broken-example.json").write_text(
            '{"format": "plkit-work", "version": 4, "participant": {"name": "Synthetic broken file"',
            encoding="utf-8",
        )
    print(f"wrote {len(paths)} synthetic work files to {folder}")


if __name__ == "__main__":
    main()
