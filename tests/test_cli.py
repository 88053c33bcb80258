"""The ``plkit`` command: validate, plan, summary and group (with a team file)."""

import os
import subprocess
import sys

import pytest
from folder_cases import ascii_failures

from plkit.cli import main
from plkit.content import FRAMEWORK_FILE, data_dir
from plkit.model import Priority
from plkit.work import Work, write_work


def test_validate_a_good_work_file(tmp_path, capsys):
    work = Work()
    work.self_assessment.ratings["how.voice.choices"] = "now"
    path = write_work(work, tmp_path / "w.json")
    assert main(["validate", str(path)]) == 0
    assert "a valid work file; 1 of 29 practices rated" in capsys.readouterr().out


def test_validate_a_bad_work_file(tmp_path, capsys):
    path = tmp_path / "w.json"
    path.write_text('{"format": "plkit-work", "version": 99}')
    assert main(["validate", str(path)]) == 1
    assert "newer plkit" in capsys.readouterr().err


def test_validate_the_shipped_framework(capsys):
    assert main(["validate", str(data_dir() / FRAMEWORK_FILE)]) == 0
    assert "4 themes, 8 approaches, 29 practices, 3 rating choices" in capsys.readouterr().out


def test_validate_a_broken_framework(tmp_path, capsys):
    path = tmp_path / "ours.csv"
    path.write_text("type,id,parent,text,detail,source\ntheme,a,,,,src\n")
    assert main(["validate", str(path)]) == 1
    assert "ours.csv, row 2, column D (text)" in capsys.readouterr().err


def test_installed_command_runs(tmp_path):
    path = write_work(Work(), tmp_path / "w.json")
    plkit = [sys.executable, "-m", "plkit.cli"]
    result = subprocess.run([*plkit, "validate", str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and "valid work file" in result.stdout


# --- issue 10: the command never prints a traceback ------------------------------------------


def _report_folder(tmp_path):
    folder = tmp_path / "g"
    folder.mkdir()
    write_work(Work(), folder / "a.json")
    return folder


@pytest.mark.parametrize("command", ["group", "plan", "summary"])
def test_out_to_a_folder_or_a_missing_folder_is_a_plain_problem(tmp_path, capsys, command):
    """Issue 10: `--out` to a folder, or into a missing folder, printed a traceback."""
    folder = _report_folder(tmp_path)
    work = Work()
    work.action_plan.priorities = [Priority(title="Parent nights")]
    source = str(folder) if command == "group" else str(write_work(work, tmp_path / "p.json"))
    assert main([command, source, "--out", str(tmp_path)]) == 1
    assert "is a folder. Give --out a file name" in capsys.readouterr().err
    assert main([command, source, "--out", str(tmp_path / "missing" / "r.html")]) == 1
    assert "there is no folder" in capsys.readouterr().err
    assert main([command, source, "--out", "/proc/version.html"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("Problem: Cannot write /proc/version.html (") and "Traceback" not in error


def test_out_that_cannot_be_written_is_a_plain_problem(tmp_path, capsys, monkeypatch):
    folder = _report_folder(tmp_path)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("plkit.cli.open", refuse, raising=False)
    assert main(["group", str(folder), "--out", str(tmp_path / "r.html")]) == 1
    error = capsys.readouterr().err
    assert "Cannot write" in error and "(Permission denied)" in error


def test_any_plkit_error_is_a_problem_line(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nothing.json")]) == 1
    assert capsys.readouterr().err.startswith("Problem: There is no work file at")
    assert main(["validate", str(tmp_path / "nothing.csv")]) == 1
    assert capsys.readouterr().err.startswith("Problem: nothing.csv: the file was not found")


def test_an_unexpected_error_is_said_plainly_without_a_traceback(tmp_path, capsys, monkeypatch):
    def broken(*args):
        raise KeyError("surprise")

    monkeypatch.setattr("plkit.cli.validate", broken)
    assert main(["validate", str(tmp_path / "w.json")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("Problem: plkit met an error it did not expect (KeyError") and "Traceback" not in error


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_validate_a_pipe_or_a_device_is_a_plain_problem(tmp_path, capsys, suffix):
    """Issue 10: `plkit validate` on a named pipe hung; on a link to /dev/zero it read without end."""
    os.mkfifo(tmp_path / f"pipe{suffix}")
    (tmp_path / f"zero{suffix}").symlink_to("/dev/zero")
    for name in ("pipe", "zero"):
        path = tmp_path / f"{name}{suffix}"
        result = subprocess.run([sys.executable, "-m", "plkit.cli", "validate", str(path)],
                                capture_output=True, text=True, timeout=20)
        assert result.returncode == 1
        assert result.stderr.startswith("Problem: ") and "not an ordinary file" in result.stderr


@ascii_failures()
def test_a_framework_that_is_not_utf8_and_a_file_name_that_is_not_utf8(tmp_path, capsys):
    name = os.fsdecode(b"district-\xe9\x1b[2J.csv")
    path = tmp_path / name
    path.write_bytes((data_dir() / FRAMEWORK_FILE).read_text(encoding="utf-8").replace(
        "Students", "Élèves", 1).encode("cp1252"))
    assert main(["validate", str(path)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("Problem: district-\ufffd[2J.csv, row ") and "'CSV UTF-8'" in error


# --- issue 11: plkit group --team --------------------------------------------------------------


def _team_folder(tmp_path):
    """Three people's files and the team file agreed from them, in one folder."""
    from plkit import consensus
    from plkit.content import load_framework
    from plkit.group import rating_table, read_group
    from plkit.model import TEAM

    framework = load_framework()
    folder = tmp_path / "g"
    for i, rating in enumerate(("now", "now", "different")):
        work = Work()
        work.self_assessment.ratings["how.voice.choices"] = rating
        write_work(work, folder / f"{i}.json")
    group = read_group([folder], framework)
    team = Work(framework=framework.id, kind=TEAM)
    consensus.start_team(team, "Grade 7")
    consensus.draft(team, "how.voice.choices", framework, rating="now", reasons="Choice boards in every room.")
    consensus.record(team, "how.voice.choices", framework, rating_table(group, framework)["how.voice.choices"],
                     "2026-11-20T10:00:00+00:00", group)
    write_work(team, folder / "plkit-team.json")
    return folder


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_group_with_the_team_file_adds_the_teams_agreed_picture(tmp_path, capsys, suffix):
    folder = _team_folder(tmp_path)
    out = tmp_path / f"report{suffix}"
    assert main(["group", str(folder), "--team", str(folder / "plkit-team.json"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"Wrote {out}: 3 participants, anonymous. "
                              "With the team's agreed answers from plkit-team.json.")
    # the team file in the folder is not read as a person's: it is listed with its reason
    assert "\n  skipped plkit-team.json: Not read: a team file (a team's agreed answers)" in printed
    assert "give its team file with --team" not in printed
    report = out.read_text(encoding="utf-8")
    assert "The team's agreed picture" in report and "Choice boards in every room." in report
    assert "1 of 29 agreed" in report and "We do this now 2, This is different 1" in report


def test_group_without_the_team_file_says_how_to_add_it(tmp_path, capsys):
    folder = _team_folder(tmp_path)
    out = tmp_path / "report.html"
    assert main(["group", str(folder), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "skipped plkit-team.json: Not read: a team file" in printed
    assert printed.rstrip().endswith("To add a team's agreed answers to the report, give its team file with --team.")
    assert "agreed picture" not in out.read_text(encoding="utf-8")


def test_group_with_a_personal_file_as_the_team_file_is_a_plain_problem(tmp_path, capsys):
    folder = _team_folder(tmp_path)
    out = tmp_path / "report.html"
    assert main(["group", str(folder), "--team", str(folder / "0.json"), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.err == ("Problem: 0.json (given with --team): This is one person's work file, not a team "
                            "file. A team file comes from the facilitator's workbook (“Agree as a team”, then "
                            "“Download the team file”).\n")
    assert captured.out == "" and not out.exists()


@pytest.mark.parametrize(("content", "said"), [
    (None, "Problem: There is no work file at"),
    (b'{"format": "plkit-work", "version": 5, "kind": "team", "team": {"members": -1}}',
     "Problem: This work file is damaged: the number of members should be a whole number"),
    (b'{"format": "plkit-work", "version": 5, "kind": "team", "team": {"consensus": {"x.y": {}}}}',
     "Problem: This team file has agreed answers for practices that are not in the framework in use"),
])
def test_group_with_a_team_file_that_cannot_be_read_is_a_plain_problem(tmp_path, capsys, content, said):
    folder = _team_folder(tmp_path)
    team = tmp_path / "team.json"
    if content is not None:
        team.write_bytes(content)
    assert main(["group", str(folder), "--team", str(team), "--out", str(tmp_path / "r.html")]) == 1
    error = capsys.readouterr().err
    assert error.startswith(said) and "Traceback" not in error
    assert not (tmp_path / "r.html").exists()


def test_validate_a_team_file_says_it_is_a_teams(tmp_path, capsys):
    from plkit.model import NO_AGREEMENT, TEAM, Agreement

    work = Work(kind=TEAM)
    work.participant.team = "Lincoln MS"
    work.team.members = 12
    work.team.consensus = {
        "how.voice.choices": Agreement(rating="now", reasons="Seen in every room.", agreed_at="2026-11-23T10:00:00+00:00"),
        "how.voice.facilitators": Agreement(rating=NO_AGREEMENT, evidence_needed="Walkthrough notes",
                                            who_finds="Ms Rivera", agreed_at="2026-11-23T10:05:00+00:00"),
        "what.goals.materials": Agreement(rating="different", reasons="Still a draft."),  # not recorded yet
    }
    path = write_work(work, tmp_path / "team.json")
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip() == (
        "team.json: a valid team file (Lincoln MS); 1 of 29 agreed, 1 with no agreement yet "
        "(of the 29 practices), from 12 members' files.")
