"""Writes records to a store in a loop and prints each key once its write is acknowledged.

Run by tests/bot/test_store_crash.py, which kills this process with SIGKILL at random
moments and then checks that every printed key survived.
Usage: python store_crasher.py STATE_FILE PREFIX [COMPACT_BYTES]
(a small COMPACT_BYTES makes background compactions frequent, so kills land in them too)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import bot.store
from bot.store import Store


def main() -> None:
    path, prefix = Path(sys.argv[1]), sys.argv[2]
    if len(sys.argv) > 3:
        bot.store.JOURNAL_COMPACT_BYTES = int(sys.argv[3])
    store = Store.open(path)
    print("ready", flush=True)
    i = 0
    while True:
        i += 1
        key = f"{prefix}-{i}"
        if i % 5 == 0:  # a small batch: all three keys are acknowledged together
            keys = [f"{key}a", f"{key}b", f"{key}c"]
            with store.batch():
                for k in keys:
                    store.begin_nudge(k, "rep", ["D1"], ["p"], ["q"])
            print(*keys, sep="\n", flush=True)
        else:
            store.begin_nudge(key, "rep", ["D1"], ["p"], ["q"])
            print(key, flush=True)


if __name__ == "__main__":
    main()
