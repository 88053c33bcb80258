"""Run every scripted benchmark (Run All time, import time) and print a summary table."""

# The browser benchmark (rating click -> progress text) is benchmarks/browser_click.py, run apart.
# Usage: .venv/bin/python benchmarks/run_all.py [--runs N]   (N overrides both scripts' defaults)

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from importlib.metadata import version

import import_time
import notebook_run


def versions() -> dict[str, str]:
    """Versions that shape the figures."""
    return {"python": platform.python_version(), "jupyterlab": version("jupyterlab"),
            "ipywidgets": version("ipywidgets"), "ipykernel": version("ipykernel"),
            "nbclient": version("nbclient")}


def load() -> str:
    """The 1, 5 and 15 minute load averages, to judge how busy the machine was."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def table_rows(notebooks: dict, imports: dict) -> list[tuple[str, str, str, str, str, str]]:
    """One row per budgeted figure: name, measured, floor, ratio, budget, verdict."""
    rows = []
    for name, row in notebooks["notebooks"].items():
        rows.append((f"Run All {name}", f"{row['median_s']:.2f} s", f"{notebooks['floor_s']:.2f} s",
                     f"{row['ratio']:.2f}", f"<= {notebooks['budget']}",
                     verdict(row["ratio"] <= notebooks["budget"])))
    rows.append(("import plkit", f"{imports['plkit_ms']:.0f} ms", f"{imports['floor_ms']:.0f} ms",
                 f"{imports['ratio']:.2f}", f"<= {imports['budget']}", verdict(imports["ok"])))
    rows.append(("import plkit.ui (info)", f"{imports['plkit_ui_ms']:.0f} ms",
                 f"{imports['floor_ms']:.0f} ms", f"{imports['plkit_ui_ratio']:.2f}", "-", "-"))
    return rows


def verdict(ok: bool) -> str:
    """'ok' or 'OVER'."""
    return "ok" if ok else "OVER"


def print_table(rows: list[tuple[str, ...]]) -> None:
    """Print rows as an aligned text table."""
    header = ("benchmark", "median", "floor", "ratio", "budget", "")
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        cells = (str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())


def main(runs: int | None = None) -> dict:
    """Run both benchmarks, print the table and return the combined results."""
    print(" ".join(f"{name} {value}" for name, value in versions().items()),
          f"| cores {os.cpu_count()} | load before {load()}")
    notebooks = notebook_run.main(runs or notebook_run.DEFAULT_RUNS)
    print()
    imports = import_time.main(runs or import_time.DEFAULT_RUNS)
    print()
    print_table(table_rows(notebooks, imports))
    print("browser click -> progress text: see benchmarks/browser_click.py")
    print(f"load after {load()}")
    return {"benchmark": "run_all", "versions": versions(), "cores": os.cpu_count(),
            "load_after": load(), "notebook_run": notebooks, "import_time": imports,
            "ok": notebooks["ok"] and imports["ok"]}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=None,
                        help="measured runs for both benchmarks (default: 7 notebook, 15 import)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    outcome = main(parse_args().runs)
    print(json.dumps(outcome))
    sys.exit(0 if outcome["ok"] else 1)
