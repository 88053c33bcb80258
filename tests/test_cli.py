"""The ``plkit validate`` command."""

import subprocess
import sys

from plkit.cli import main
from plkit.content import FRAMEWORK_FILE, data_dir
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
