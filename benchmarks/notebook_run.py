"""Time a headless Run All of every workbook against a floor notebook of the bare imports."""

# A run is kernel start plus executing every cell, as nbclient does it (kernel shutdown is left
# out). Each notebook runs in a temporary copy of workbooks/ with PLKIT_WORK_DIR set to a fresh
# temporary folder, so the checkout is never written to. One warm-up run of each notebook is
# discarded; then rounds alternate floor and workbooks, reversing the order every other round.
# Usage: .venv/bin/python benchmarks/notebook_run.py [--runs N]

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from import_time import child_env
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

BUDGET = 1.3
DEFAULT_RUNS = 7
KERNEL = "python3"
WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"
FLOOR_NAME = "floor.ipynb"
# The floor: the three imports every workbook needs, and one trivial widget shown.
FLOOR_SOURCE = 'import ipywidgets, pandas, matplotlib.pyplot\n\nipywidgets.Label("floor")'


def write_floor(folder: Path) -> Path:
    """Write the floor notebook into folder and return its path."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(FLOOR_SOURCE)]
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    path = folder / FLOOR_NAME
    nbformat.write(nb, path)
    return path


def copy_workbooks(folder: Path) -> Path:
    """Copy workbooks/ (without saved work or checkpoints) into folder and return the copy."""
    ignore = shutil.ignore_patterns("my_work", ".ipynb_checkpoints")
    return Path(shutil.copytree(WORKBOOKS, folder / "workbooks", ignore=ignore))


def run_notebook(path: Path, scratch: Path) -> float:
    """Seconds to start a kernel and execute every cell of the notebook once."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=600,
                            resources={"metadata": {"path": str(path.parent)}})
    work_dir = tempfile.mkdtemp(prefix="work-", dir=scratch)
    env = child_env() | {"PLKIT_WORK_DIR": work_dir}
    start = time.perf_counter()
    with client.setup_kernel(env=env, stderr=subprocess.DEVNULL):  # kernel log noise
        client.wait_for_reply(client.kc.kernel_info())
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        elapsed = time.perf_counter() - start
    return elapsed


def measure(notebooks: list[Path], floor: Path, runs: int, scratch: Path) -> dict[str, list[float]]:
    """Warm up each notebook once, then time `runs` alternating rounds."""
    order = [floor, *notebooks]
    times: dict[str, list[float]] = {path.name: [] for path in order}
    for path in order:
        run_notebook(path, scratch)
    for round_number in range(runs):
        for path in order if round_number % 2 == 0 else reversed(order):
            times[path.name].append(run_notebook(path, scratch))
    return times


def kernel_description() -> str:
    """Where the kernel spec lives and what it runs ("python" means this venv's python)."""
    spec = KernelSpecManager().get_kernel_spec(KERNEL)
    python = sys.executable if spec.argv[0] in ("python", "python3") else spec.argv[0]
    return f"{KERNEL} ({spec.resource_dir}) -> {python}"


def summarize(times: dict[str, list[float]]) -> dict[str, dict]:
    """Median, min, max and ratio to the floor for every workbook."""
    floor = statistics.median(times[FLOOR_NAME])
    rows = {}
    for name, values in times.items():
        median = statistics.median(values)
        rows[name] = {"median_s": round(median, 3), "min_s": round(min(values), 3),
                      "max_s": round(max(values), 3), "ratio": round(median / floor, 3)}
    return rows


def main(runs: int = DEFAULT_RUNS) -> dict:
    """Measure, print a report and return the results."""
    notebooks = sorted(WORKBOOKS.glob("*.ipynb"))
    with tempfile.TemporaryDirectory(prefix="plkit-bench-") as tmp:
        folder = copy_workbooks(Path(tmp))
        scratch = Path(tmp) / "scratch"
        scratch.mkdir()
        floor = write_floor(folder)
        copies = [folder / path.name for path in notebooks]
        times = measure(copies, floor, runs, scratch)
        stray = (folder / "my_work").exists()
    rows = summarize(times)
    floor_row = rows.pop(FLOOR_NAME)
    result = {
        "benchmark": "notebook_run",
        "runs": runs,
        "kernel": kernel_description(),
        "floor_source": FLOOR_SOURCE,
        "floor_s": floor_row["median_s"],
        "floor": floor_row,
        "notebooks": rows,
        "budget": BUDGET,
        "wrote_beside_notebooks": stray,
        "ok": all(row["ratio"] <= BUDGET for row in rows.values()) and not stray,
    }
    print_report(result)
    return result


def print_report(result: dict) -> None:
    """Print one line per notebook and the verdict."""
    print(f"Headless Run All (kernel start + all cells), {result['runs']} runs each (s):")
    print(f"  kernel: {result['kernel']}")
    rows = {FLOOR_NAME + " (floor)": result["floor"], **result["notebooks"]}
    for name, row in rows.items():
        print(f"  {name:<32} median {row['median_s']:6.2f}  min {row['min_s']:6.2f}  "
              f"max {row['max_s']:6.2f}  ratio {row['ratio']:.3f}")
    print(f"  budget: ratio <= {BUDGET}; within budget: {result['ok']}")
    if result["wrote_beside_notebooks"]:
        print("  WARNING: a notebook wrote my_work/ beside itself; PLKIT_WORK_DIR was not honoured")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="measured runs per notebook")
    return parser.parse_args(argv)


if __name__ == "__main__":
    outcome = main(parse_args().runs)
    print(json.dumps(outcome))
    sys.exit(0 if outcome["ok"] else 1)
