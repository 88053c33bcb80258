"""Group analysis of 1,000 generated work files: time, and its ratio to just reading them.

Budgets, each against the time to read and parse the same files as JSON:
- the dashboard's analysis (read, validate, aggregate, queue, themes, priorities, completion,
  notes) in ≤ 1 s, and ≤ 3 × reading and parsing;
- the tidy table and the roles side by side (read, validate, ``group_table``, ``compare_roles``,
  the between-roles queue) in ≤ 1 s, and ≤ 3 × reading and parsing.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_group  # noqa: E402

from plkit import group as g  # noqa: E402
from plkit import load_framework, roles  # noqa: E402

BUDGET_SECONDS = 1.0
BUDGET_RATIO = 3.0


def read_and_parse(folder: Path) -> int:
    """The floor: read every file and parse its JSON, nothing else."""
    return sum(len(json.loads(path.read_bytes())) for path in sorted(folder.glob("*.json"), key=lambda p: p.name))


def analyse(folder: Path, framework) -> int:
    """Everything the dashboard computes for a group."""
    group = g.read_group([folder], framework)
    table = g.rating_table(group, framework)
    g.disagreement_queue(table, limit=10)
    g.theme_summary(table, framework)
    g.priority_tally(group, framework)
    g.completion(group, framework)
    g.approach_notes(group)
    return len(group)


def table_and_roles(folder: Path, framework) -> int:
    """The group as a table (for a spreadsheet) and every role group's ratings side by side."""
    group = g.read_group([folder], framework)
    table = g.group_table(group, framework)
    roles.between_roles_queue(roles.compare_roles(group, framework), limit=10)
    return len(table)


def timed(function, *args) -> float:
    """CPU time of one call, with the cycle collector paused as ``timeit`` does.

    CPU time is steadier than wall time on a busy machine (there are no I/O waits here), and
    pausing the collector for both measurements keeps its pauses, which depend on what else the
    process holds, out of the comparison.
    """
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        function(*args)
        return time.process_time() - start
    finally:
        gc.enable()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    framework = load_framework()
    g.group_table(g.Group(), framework)  # pandas imported once, as in a running dashboard
    results, ok = {"files": args.files}, True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_group(folder, args.files)
        assert analyse(folder, framework) == args.files  # warm-up, and every file read
        assert table_and_roles(folder, framework) == args.files * len(framework.practices)
        for name, function in (("group analysis", analyse), ("table and roles", table_and_roles)):
            floor, full, wall = [], [], []
            for _ in range(args.runs):
                floor.append(timed(read_and_parse, folder))
                full.append(timed(function, folder, framework))
                start = time.perf_counter()  # as a facilitator waits for it: wall time, collector on
                function(folder, framework)
                wall.append(time.perf_counter() - start)
            floor_s, full_s, wall_s = statistics.median(floor), statistics.median(full), statistics.median(wall)
            ratio = full_s / floor_s
            within = wall_s <= BUDGET_SECONDS and ratio <= BUDGET_RATIO
            ok = ok and within
            print(f"{name} of {args.files} work files: median {wall_s * 1000:.0f} ms wall time "
                  f"(budget {BUDGET_SECONDS * 1000:.0f} ms); {full_s * 1000:.0f} ms CPU; "
                  f"reading and parsing the same files: {floor_s * 1000:.0f} ms; ratio {ratio:.2f} "
                  f"(budget {BUDGET_RATIO}): {'ok' if within else 'OVER BUDGET'}")
            results[name] = {"wall_s": round(wall_s, 4), "cpu_s": round(full_s, 4),
                             "read_parse_s": round(floor_s, 4), "ratio": round(ratio, 2), "ok": within}
    print("verdict:", "ok" if ok else "OVER BUDGET")
    print(json.dumps(results))
    return 0 if ok else 1

if __name__ == "__main__":
    sys.exit(main())
