"""Time `import plkit` in a fresh interpreter against the three heavy imports the workbooks need."""

# Each figure is the import statement alone, timed inside a fresh interpreter (start-up left out,
# so it does not dilute the ratio). Statements alternate to share machine noise; one warm-up run
# of each is discarded. Usage: .venv/bin/python benchmarks/import_time.py [--runs N]

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

BUDGET = 1.1
DEFAULT_RUNS = 15
FLOOR = "import ipywidgets, pandas, matplotlib.pyplot"
MEASURED = "import plkit"
INFO = "import plkit.ui"
STACKED = FLOOR + ", plkit.ui"
HEAVY = ("ipywidgets", "IPython", "pandas", "matplotlib", "numpy")

TIMER = "import time; t = time.perf_counter(); {stmt}; print(time.perf_counter() - t)"
MODULES = "import sys; {stmt}; print(','.join(m for m in {heavy!r} if m in sys.modules))"


def child_env() -> dict[str, str]:
    """The environment for fresh interpreters: as a user has it, so bytecode caches are written."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def run_python(code: str, cwd: str) -> str:
    """Run code in a fresh interpreter of this venv and return its last output line."""
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=child_env(),
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{code!r} failed:\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def time_import(stmt: str, cwd: str) -> float:
    """Seconds one fresh interpreter spends on the import statement."""
    return float(run_python(TIMER.format(stmt=stmt), cwd))


def heavy_modules_after(stmt: str, cwd: str) -> list[str]:
    """Which heavy packages a fresh interpreter holds after the statement."""
    out = run_python(MODULES.format(stmt=stmt, heavy=HEAVY), cwd)
    return [name for name in out.split(",") if name]


def measure(runs: int) -> dict[str, list[float]]:
    """Alternate the three statements for `runs` rounds after one discarded warm-up round."""
    stmts = (FLOOR, MEASURED, INFO, STACKED)
    times: dict[str, list[float]] = {stmt: [] for stmt in stmts}
    with tempfile.TemporaryDirectory(prefix="plkit-bench-") as cwd:
        for stmt in stmts:
            time_import(stmt, cwd)
        for _ in range(runs):
            for stmt in stmts:
                times[stmt].append(time_import(stmt, cwd))
    return times


def check_modules() -> dict[str, list[str]]:
    """Heavy packages loaded by `import plkit` and by `import plkit.ui`."""
    with tempfile.TemporaryDirectory(prefix="plkit-bench-") as cwd:
        return {stmt: heavy_modules_after(stmt, cwd) for stmt in (MEASURED, INFO)}


def main(runs: int = DEFAULT_RUNS) -> dict:
    """Measure, print a report and return the results."""
    times = measure(runs)
    floor = statistics.median(times[FLOOR])
    medians = {stmt: statistics.median(values) for stmt, values in times.items()}
    loaded = check_modules()
    result = {
        "benchmark": "import_time",
        "runs": runs,
        "floor_stmt": FLOOR,
        "floor_ms": round(floor * 1000, 1),
        "plkit_ms": round(medians[MEASURED] * 1000, 1),
        "plkit_ui_ms": round(medians[INFO] * 1000, 1),
        "ratio": round(medians[MEASURED] / floor, 3),
        "plkit_ui_ratio": round(medians[INFO] / floor, 3),
        "floor_plus_plkit_ui_ms": round(medians[STACKED] * 1000, 1),
        "floor_plus_plkit_ui_ratio": round(medians[STACKED] / floor, 3),
        "budget": BUDGET,
        "plkit_imports_ipywidgets": "ipywidgets" in loaded[MEASURED],
        "heavy_after_import_plkit": loaded[MEASURED],
        "heavy_after_import_plkit_ui": loaded[INFO],
    }
    result["ok"] = result["ratio"] <= BUDGET and not result["plkit_imports_ipywidgets"]
    print_report(times, result)
    return result


def print_report(times: dict[str, list[float]], result: dict) -> None:
    """Print median, min and max of each statement, then the verdict."""
    print(f"Import time in a fresh interpreter, {result['runs']} runs each (ms):")
    for stmt, values in times.items():
        ms = sorted(v * 1000 for v in values)
        print(f"  {stmt:<55} median {statistics.median(ms):7.1f}  "
              f"min {ms[0]:7.1f}  max {ms[-1]:7.1f}")
    lines = {
        f"ratio import plkit / floor (budget <= {BUDGET})": result["ratio"],
        "ratio import plkit.ui / floor (information)": result["plkit_ui_ratio"],
        "ratio floor + plkit.ui / floor (information)": result["floor_plus_plkit_ui_ratio"],
        "import plkit imports ipywidgets": result["plkit_imports_ipywidgets"],
        "heavy packages after import plkit": result["heavy_after_import_plkit"] or "none",
        "heavy packages after import plkit.ui": result["heavy_after_import_plkit_ui"] or "none",
    }
    for label, value in lines.items():
        print(f"  {label + ':':<48} {value}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS,
                        help="measured runs per statement")
    return parser.parse_args(argv)


if __name__ == "__main__":
    outcome = main(parse_args().runs)
    print(json.dumps(outcome))
    sys.exit(0 if outcome["ok"] else 1)
