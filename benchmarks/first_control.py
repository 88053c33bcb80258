"""In a real browser: the time from opening a workbook in Voilà to its first control showing."""

# One Voilà server (tests/browser/lab.py's VoilaServer: a temporary copy of workbooks/, with the
# kit's settings and template) serves every workbook and a generated floor notebook,
# 00_floor.ipynb, whose one cell imports ipywidgets and shows one button. Headless Debian chromium
# opens each page; a script installed before the page's own measures, inside the page, the time
# from navigation start (performance.timeOrigin) to the first visible widget control (a button,
# text box, drop-down or text area inside the widgets' output). One warm-up round is discarded;
# then each round loads the floor and every notebook, in reverse order every other round, so they
# share the machine's noise. Every kernel is shut down between loads.
# Usage: .venv/bin/python benchmarks/first_control.py [--runs N]
# Prints a table and a verdict, then one JSON line; exits 1 when a workbook is over budget.

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "browser"))

import lab  # noqa: E402  (tests/browser/lab.py: the Voilà and Chromium helpers)

BUDGET = 1.25
DEFAULT_RUNS = 5
FLOOR_NAME = "00_floor.ipynb"
FLOOR_SOURCE = 'import ipywidgets\n\nipywidgets.Button(description="floor")'
# A control inside the notebook's output (the page's own menus are left out). A page with no
# widgets (the Start here page, say) counts its first link.
CONTROLS = ", ".join(f".jp-OutputArea-output {tag}"
                     for tag in ("button", "input", "select", "textarea", "a[href]"))

# Installed before the page's scripts: note when the first control inside a widget shows.
WATCH_JS = """(() => {
    const controls = window.__plkitControls;
    const shows = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    const check = () => {
        if (window.__firstControl !== undefined) return;
        if ([...document.querySelectorAll(controls)].some(shows)) {
            window.__firstControl = performance.now();
            observer.disconnect();
        }
    };
    const observer = new MutationObserver(check);
    observer.observe(document, {childList: true, subtree: true, attributes: true});
})();"""


# The first control showed, or the page shows a traceback instead.
SHOWN_OR_FAILED_JS = """(errors) => window.__firstControl !== undefined
    || [...document.querySelectorAll(errors)].some(e => e.textContent.includes('Traceback'))"""


def write_floor(folder: Path) -> Path:
    """Write the floor notebook (one button) into folder and return its path."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(FLOOR_SOURCE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / FLOOR_NAME
    nbformat.write(nb, path)
    return path


def load_once(browser, server: lab.VoilaServer, name: str) -> float:
    """Open one page in a fresh browser context; seconds until its first control showed."""
    page = lab.new_page(browser)
    try:
        page.add_init_script(f"window.__plkitControls = {json.dumps(CONTROLS)};\n{WATCH_JS}")
        page.goto(server.render_url(name), timeout=lab.KERNEL_TIMEOUT)
        page.wait_for_function(SHOWN_OR_FAILED_JS, arg=lab.ERROR_OUTPUTS,
                               timeout=lab.KERNEL_TIMEOUT, polling=100)
        errors = [text for text in lab.error_outputs(page) if "Traceback" in text]
        if errors or page.evaluate("() => window.__firstControl === undefined"):
            raise lab.LabError(f"{name} showed an error:\n" + "\n".join(errors))
        return page.evaluate("() => window.__firstControl") / 1000
    finally:
        page.context.close()
        server.shutdown_kernels()


def measure(browser, server: lab.VoilaServer, names: list[str], runs: int) -> dict[str, list[float]]:
    """One discarded warm-up round, then ``runs`` rounds alternating in order."""
    times: dict[str, list[float]] = {name: [] for name in names}
    for name in names:
        load_once(browser, server, name)
    for round_number in range(runs):
        for name in names if round_number % 2 == 0 else reversed(names):
            seconds = load_once(browser, server, name)
            times[name].append(seconds)
            print(f"round {round_number + 1}: {name} {seconds:.2f} s", flush=True)
    return times


def summarise(times: dict[str, list[float]]) -> dict:
    """Median per notebook, and its ratio to the floor's median."""
    floor = statistics.median(times[FLOOR_NAME])
    rows = {}
    for name, values in times.items():
        if name == FLOOR_NAME:
            continue
        median = statistics.median(values)
        rows[name] = {"median_s": round(median, 3), "ratio": round(median / floor, 3),
                      "runs_s": [round(v, 3) for v in values], "ok": median / floor <= BUDGET}
    return {"floor_s": round(floor, 3), "floor_runs_s": [round(v, 3) for v in times[FLOOR_NAME]],
            "notebooks": rows}


def print_table(summary: dict) -> None:
    """An aligned table: notebook, median, floor, ratio, verdict."""
    rows = [(name, f"{row['median_s']:.2f} s", f"{summary['floor_s']:.2f} s", f"{row['ratio']:.2f}",
             "ok" if row["ok"] else "OVER") for name, row in summary["notebooks"].items()]
    header = ("first control", "median", "floor", "ratio", f"<= {BUDGET}")
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def main(runs: int = DEFAULT_RUNS) -> dict:
    """Run the benchmark; print the table and verdict and return the figures."""
    from playwright.sync_api import sync_playwright

    executable = lab.find_chromium()
    if executable is None:
        raise SystemExit("no chromium: apt-get install chromium")
    with lab.VoilaServer() as server, sync_playwright() as playwright:
        write_floor(server.root)
        names = sorted(path.name for path in server.root.glob("*.ipynb"))
        browser = lab.launch_chromium(playwright, executable)
        try:
            times = measure(browser, server, names, runs)
        finally:
            browser.close()
    summary = summarise(times)
    print_table(summary)
    ok = all(row["ok"] for row in summary["notebooks"].values())
    print(f"first control, median of {runs} page loads: every workbook <= {BUDGET} x the floor: "
          f"{'ok' if ok else 'OVER'}")
    return {"benchmark": "first_control", "runs": runs, "budget_ratio": BUDGET, **summary,
            "cores": os.cpu_count(), "load": [round(x, 2) for x in os.getloadavg()], "ok": ok}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS,
                        help=f"measured page loads per notebook (default {DEFAULT_RUNS})")
    return parser.parse_args(argv)


if __name__ == "__main__":
    outcome = main(parse_args().runs)
    print(json.dumps(outcome))
    sys.exit(0 if outcome["ok"] else 1)
