"""A workbook that keeps editing: run by the kill and concurrency tests as its own process.

    python edit_worker.py FOLDER PREFIX START COUNT MAX_PAUSE_MS SEED

Edit number i records the answer "<PREFIX><i>" (a research-claim judgement) and saves, as a
workbook does on every change; between edits it pauses up to MAX_PAUSE_MS, like a person.
"""

import random
import sys
import time

from plkit import load_framework
from plkit.store import WorkStore


def key(prefix: str, number: int) -> str:
    return f"{prefix}{number:05d}"


def main(folder: str, prefix: str, start: int, count: int, max_pause_ms: int, seed: int) -> None:
    store = WorkStore(load_framework(), folder)
    rng = random.Random(seed)
    for number in range(start, start + count):
        store.edit(lambda work, n=number: work.claims.judgements.__setitem__(key(prefix, n), {"sure": "weak"}))
        if max_pause_ms:
            time.sleep(rng.uniform(0, max_pause_ms) / 1000)


if __name__ == "__main__":
    folder, prefix, *numbers = sys.argv[1:]
    main(folder, prefix, *map(int, numbers))
