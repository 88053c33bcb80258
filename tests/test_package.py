"""Package rules: a small public API, no UI imports outside plkit.ui, nothing done at import."""

import subprocess
import sys
from pathlib import Path

import pytest

import plkit


def test_public_api():
    assert set(plkit.__all__) == {
        "ContentError",
        "Framework",
        "PlkitError",
        "Work",
        "WorkFileError",
        "load_framework",
        "read_work",
        "write_work",
    }
    assert issubclass(plkit.PlkitError, ValueError)


def test_core_never_imports_widgets_or_pyplot():
    code = (
        "import sys, plkit, plkit.analysis, plkit.charts, plkit.store, plkit.work, plkit.content\n"
        "import plkit.model, plkit.validation, plkit.understanding, plkit.cli, plkit.group, plkit.plan\n"
        "import plkit.report, plkit.claims, plkit.claim_checks, plkit.claims_charts, plkit.effect_sizes\n"
        "import plkit.consensus, plkit.roles, plkit.rounds, plkit.summary, plkit.collected, plkit.files\n"
        "bad = [m for m in ('ipywidgets', 'IPython', 'matplotlib.pyplot', 'pandas') if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_import_reads_no_files(tmp_path):
    code = (
        "import builtins, io\n"
        "opened = []\n"
        "real = io.open\n"
        "def spy(file, *a, **k):\n"
        "    opened.append(str(file)); return real(file, *a, **k)\n"
        "builtins.open = io.open = spy\n"
        "import plkit\n"
        "print([f for f in opened if 'data' in f or f.endswith('.csv')])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.slow_build
def test_non_editable_install_ships_the_data(tmp_path):
    """`pip install .` (not editable) gives a package that finds its framework."""
    root = Path(__file__).resolve().parent.parent
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(root),
        ],
        check=True,
        capture_output=True,
    )
    assert (target / "plkit" / "data" / "framework.csv").is_file()
    code = "import plkit, plkit.content as c; print(c.data_dir()); print(len(plkit.load_framework().practices))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    )
    where, count = result.stdout.split()
    assert Path(where) == target / "plkit" / "data"
    assert int(count) == 29
