"""The ``plkit validate`` command."""

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


@pytest.mark.parametrize("command", ["group", "plan"])
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
