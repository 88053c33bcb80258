"""The ``plkit`` command: check files, export an action plan or a self-assessment, report on a group."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from plkit.content import load_framework
from plkit.errors import PlkitError
from plkit.files import display_name, shown_file_name
from plkit.work import Work, read_work


def validate(path: Path, framework_path: Path | None) -> str:
    """Check a work file (against the framework) or a framework CSV; return what it holds."""
    if path.suffix.lower() == ".csv":
        framework = load_framework(path)
        return (
            f"{shown_file_name(path)}: a valid framework, '{framework.title}': {len(framework.themes)} themes, "
            f"{len(framework.approaches)} approaches, {len(framework.practices)} practices, "
            f"{len(framework.scale)} rating choices."
        )
    framework = load_framework(framework_path)
    work = read_work(path, framework)
    if work.is_team:
        from plkit.consensus import progress

        team = work.participant.team.strip()
        return (f"{shown_file_name(path)}: a valid team file{f' ({team})' if team else ''}; "
                f"{progress(work, framework).text} (of the {len(framework.practices)} practices), "
                f"from {work.team.members} members' files.")
    rated = len(work.self_assessment.ratings)
    return f"{shown_file_name(path)}: a valid work file; {rated} of {len(framework.practices)} practices rated."


def export_plan(path: Path, out: Path, framework_path: Path | None) -> str:
    """Write a work file's action plan as HTML or Markdown (by the output's suffix)."""
    from plkit.report import plan_html, plan_markdown

    framework = load_framework(framework_path)
    work = read_work(path, framework)
    if not work.action_plan.priorities:
        raise PlkitError("plan-empty", f"{shown_file_name(path)} has no action plan yet: add a priority in Workbook 4.")
    page = plan_markdown(work, framework) if out.suffix.lower() == ".md" else plan_html(work, framework)
    write_output(out, page)
    return f"Wrote {display_name(out)} ({len(work.action_plan.priorities)} priorities)."


def export_summary(path: Path, out: Path, framework_path: Path | None) -> str:
    """Write a work file's self-assessment (or a team file's agreed answers) as HTML or Markdown."""
    from plkit.summary import summary_html, summary_markdown

    framework = load_framework(framework_path)
    work = read_work(path, framework)
    page = summary_markdown(work, framework) if out.suffix.lower() == ".md" else summary_html(work, framework)
    write_output(out, page)
    rated = len(work.self_assessment.ratings)
    rounds = len(work.self_assessment.rounds)
    since = f", compared with the last of {rounds} kept round{'' if rounds == 1 else 's'}" if rounds else ""
    return (f"Wrote {display_name(out)} ({rated} of {len(framework.practices)} practices "
            f"{'agreed' if work.is_team else 'rated'}{since}).")


def group_report(items: list[Path], out: Path | None, names: bool, framework_path: Path | None,
                 csv_out: Path | None = None, team_path: Path | None = None) -> str:
    """Write the group report (HTML or Markdown) and, if asked, the group as a table (CSV).

    With ``team_path`` (a team file), the report shows the team's agreed picture too.
    """
    from plkit.group import TEAM_FILE, group_csv, read_group
    from plkit.report import group_html, group_markdown

    framework = load_framework(framework_path)
    team = read_team(team_path, framework) if team_path is not None else None
    group = read_group(items, framework, names=names)
    if not len(group):
        raise PlkitError("group-empty", "No work file could be read, so there is no report. "
                         + " ".join(f"{name}: {reason}" for name, reason in group.skipped[:5]))
    written = []
    if out is not None:
        write = group_markdown if out.suffix.lower() == ".md" else group_html
        write_output(out, write(group, framework, names=names, team=team))
        written.append(display_name(out))
    if csv_out is not None:
        write_output(csv_out, group_csv(group, framework, names=names))
        written.append(display_name(csv_out))
    skipped = "".join(f"\n  skipped {name}: {reason}" for name, reason in group.skipped)
    if team is None and any(reason.endswith(TEAM_FILE) for _, reason in group.skipped):
        skipped += "\n  To add a team's agreed answers to the report, give its team file with --team."
    agreed = f" With the team's agreed answers from {shown_file_name(team_path)}." if team is not None and out else ""
    return (f"Wrote {' and '.join(written)}: {len(group)} participants"
            f"{', names shown' if names else ', anonymous'}.{agreed}{skipped}")


def read_team(path: Path, framework) -> Work:
    """A team file for the group report; a plain ``PlkitError`` if it is one person's work."""
    from plkit.model import TEAM
    from plkit.store import wrong_kind

    work = read_work(path, framework)
    problem = wrong_kind(work, TEAM)
    if problem:
        raise PlkitError("work-kind", f"{shown_file_name(path)} (given with --team): {problem}")
    return work


def write_output(out: Path, text: str) -> None:
    """Write a page the command made; a plain ``PlkitError`` if it cannot be written there."""
    shown = display_name(out)
    if out.is_dir():
        raise PlkitError(
            "out-folder",
            f"{shown} is a folder. Give --out a file name, such as {shown}{os.sep}report.html.",
        )
    if not out.parent.is_dir():
        raise PlkitError(
            "out-no-folder",
            f"Cannot write {shown}: there is no folder {display_name(out.parent)}. "
            "Create it first, or choose another --out.",
        )
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        raise PlkitError(
            "out-not-text", f"Nothing was written to {shown}: the page holds text that is not valid."
        ) from None
    try:
        with open(out, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise PlkitError(
            "out-unwritable",
            f"Cannot write {shown} ({exc.strerror or exc}). Choose another --out, in a folder you can write to.",
        ) from None


def say(text: str, stream) -> None:
    """Print ``text`` so that any terminal can show it (what it cannot encode is replaced)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    text = text.encode("utf-8", "replace").decode("utf-8")
    print(text.encode(encoding, "replace").decode(encoding), file=stream)


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
    summary = commands.add_parser("summary", help="export the self-assessment in a work file (.html or .md)")
    summary.add_argument("file", type=Path)
    summary.add_argument("--out", type=Path, default=Path("summary.html"), help="summary.html (default) or summary.md")
    summary.add_argument("--framework", type=Path, help="the framework CSV the work file was made with")
    group = commands.add_parser("group", help="a group report from many work files or folders")
    group.add_argument("files", type=Path, nargs="+", help="work files, or folders of them")
    group.add_argument("--out", type=Path, help="report.html (the default) or report.md")
    group.add_argument("--csv", type=Path, help="also (or, without --out, only) the group as a table: group.csv")
    group.add_argument("--team", type=Path, help="a team file (plkit-team.json): adds the team's agreed answers")
    group.add_argument("--names", action="store_true", help="show participants' names (off by default)")
    group.add_argument("--framework", type=Path, help="the framework CSV the work files were made with")
    link = commands.add_parser("link", help="print the launch links (nbgitpuller) for every workbook on a JupyterHub")
    link.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.org")
    link.add_argument("--repo", required=True, help="the kit's git repository, e.g. https://github.com/plkit-org/plkit")
    link.add_argument("--branch", default="main", help="the branch to pull (main by default)")
    link.add_argument("--folder", default="plkit", help="the folder in each person's home the kit is pulled into")
    link.add_argument("--workbooks", type=Path, default=Path("workbooks"), help="the kit's workbooks folder")
    args = parser.parse_args(argv)
    try:
        if args.command == "link":
            from plkit.hub_links import links_text, workbook_links, workbook_names

            links = workbook_links(args.hub, args.repo, workbook_names(args.workbooks), branch=args.branch,
                                   target=args.folder)
            say(links_text(links), sys.stdout)
        elif args.command == "group":
            out = args.out if args.out is not None or args.csv is not None else Path("report.html")
            say(group_report(args.files, out, args.names, args.framework, args.csv, args.team), sys.stdout)
        elif args.command == "plan":
            say(export_plan(args.file, args.out, args.framework), sys.stdout)
        elif args.command == "summary":
            say(export_summary(args.file, args.out, args.framework), sys.stdout)
        else:
            say(validate(args.file, args.framework), sys.stdout)
    except PlkitError as exc:
        say(f"Problem: {exc.message}", sys.stderr)
        return 1
    except KeyboardInterrupt:
        say("Stopped.", sys.stderr)
        return 130
    except Exception as exc:  # a bug in plkit: said plainly, without a traceback
        say(
            f"Problem: plkit met an error it did not expect ({type(exc).__name__}: {exc}). "
            "Please report it, with the command you ran.",
            sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
