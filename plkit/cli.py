"""The ``plkit`` command: check a work file or a framework file; export an action plan."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plkit.content import load_framework
from plkit.errors import PlkitError
from plkit.work import read_work


def validate(path: Path, framework_path: Path | None) -> str:
    """Check a work file (against the framework) or a framework CSV; return what it holds."""
    if path.suffix.lower() == ".csv":
        framework = load_framework(path)
        return (
            f"{path.name}: a valid framework, '{framework.title}': {len(framework.themes)} themes, "
            f"{len(framework.approaches)} approaches, {len(framework.practices)} practices, "
            f"{len(framework.scale)} rating choices."
        )
    framework = load_framework(framework_path)
    work = read_work(path, framework)
    rated = len(work.self_assessment.ratings)
    return f"{path.name}: a valid work file; {rated} of {len(framework.practices)} practices rated."


def export_plan(path: Path, out: Path, framework_path: Path | None) -> str:
    """Write a work file's action plan as HTML or Markdown (by the output's suffix)."""
    from plkit.report import plan_html, plan_markdown

    framework = load_framework(framework_path)
    work = read_work(path, framework)
    if not work.action_plan.priorities:
        raise PlkitError("plan-empty", f"{path.name} has no action plan yet: add a priority in Workbook 4.")
    page = plan_markdown(work, framework) if out.suffix.lower() == ".md" else plan_html(work, framework)
    out.write_text(page, encoding="utf-8")
    return f"Wrote {out} ({len(work.action_plan.priorities)} priorities)."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="plkit", description="Tools for the plkit workbooks.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check a work file (.json) or a framework (.csv)")
    check.add_argument("file", type=Path)
    check.add_argument("--framework", type=Path, help="the framework CSV the work file was made with")
    plan = commands.add_parser("plan", help="export the action plan in a work file (.html or .md)")
    plan.add_argument("file", type=Path)
    plan.add_argument("--out", type=Path, default=Path("plan.html"), help="plan.html (default) or plan.md")
    plan.add_argument("--framework", type=Path, help="the framework CSV the work file was made with")
    args = parser.parse_args(argv)
    try:
        if args.command == "plan":
            print(export_plan(args.file, args.out, args.framework))
        else:
            print(validate(args.file, args.framework))
    except PlkitError as exc:
        print(f"Problem: {exc.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
