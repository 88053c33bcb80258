"""Saving survives being killed, and workbooks open at once lose nothing of each other's.

Each workbook is a process of its own (``edit_worker.py``), as each notebook has its own kernel.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from edit_worker import key

from plkit import load_framework, read_work
from plkit.store import WorkStore
from plkit.work import TEMP_PREFIX, TEMP_SUFFIX, WORK_FILE_NAME

WORKER = Path(__file__).with_name("edit_worker.py")
KILLS = 100


def start(folder: Path, prefix: str, first: int, count: int, max_pause_ms: int = 0, seed: int = 0):
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(folder), prefix, str(first), str(count), str(max_pause_ms), str(seed)],
        env={**os.environ, "PYTHONPATH": str(WORKER.parent)},
    )


def saved_keys(folder: Path, prefix: str) -> list[str]:
    work = read_work(folder / WORK_FILE_NAME, load_framework())
    return sorted(k for k in work.claims.judgements if k.startswith(prefix))


def leftovers(folder: Path) -> list[Path]:
    return list(folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))


def test_killed_while_saving_the_file_always_opens_and_holds_a_prefix_of_the_edits(tmp_path):
    rng = random.Random(20261123)
    path = tmp_path / WORK_FILE_NAME
    done, killed_mid_save = 0, 0
    for turn in range(KILLS):
        before = path.stat().st_mtime_ns if path.exists() else None
        worker = start(tmp_path, "k", done, 100_000)
        while worker.poll() is None:  # wait on state: the first save of this run has landed
            if path.exists() and path.stat().st_mtime_ns != before:
                break
        if turn % 2:  # half the kills land while a save is being written: a temp file is there
            for _ in range(200_000):
                if any(name.startswith(TEMP_PREFIX) for name in os.listdir(tmp_path)):
                    break
        else:  # the other half, anywhere: after a random number of looks at the folder
            for _ in range(rng.randrange(0, 2_000)):
                os.listdir(tmp_path)
        worker.send_signal(signal.SIGKILL)
        assert worker.wait() == -signal.SIGKILL
        killed_mid_save += bool(leftovers(tmp_path))
        keys = saved_keys(tmp_path, "k")  # the file opens
        assert keys == [key("k", n) for n in range(len(keys))], "a prefix of the edits, in order"
        assert len(keys) > done, "each run saved at least one edit before it was killed"
        done = len(keys)
        store = WorkStore(load_framework(), tmp_path)  # a workbook opened after the kill
        assert store.problem == ""
        assert not leftovers(tmp_path), "what the killed save left behind is cleaned up"
    print(f"\n{KILLS} kills, {killed_mid_save} in the middle of writing a save; {done} edits kept, none lost")
    assert killed_mid_save > 0, "some kills should land in the middle of a save"


@pytest.mark.parametrize(
    ("workers", "edits", "max_pause_ms", "trials"),
    [(3, 50, 0, 4), (2, 30, 30, 2)],
    ids=["3 workbooks at full speed", "2 workbooks with human pauses"],
)
def test_workbooks_open_at_once_lose_no_answers(tmp_path, workers, edits, max_pause_ms, trials):
    lost = 0
    for trial in range(trials):
        folder = tmp_path / f"trial-{trial}"
        running = [start(folder, f"w{n}-", 0, edits, max_pause_ms, seed=trial * 10 + n) for n in range(workers)]
        assert [worker.wait(timeout=120) for worker in running] == [0] * workers
        for n in range(workers):
            kept = saved_keys(folder, f"w{n}-")
            lost += edits - len(kept)
    print(f"\n{workers} workbooks x {edits} edits x {trials} trials: {lost} answers lost")
    assert lost == 0
