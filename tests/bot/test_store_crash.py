"""Acknowledged writes survive SIGKILL at any moment."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.store import Store

CRASHER = Path(__file__).with_name("store_crasher.py")
KILLS = 25
BUDGET_SECONDS = 60.0


def test_every_acknowledged_key_survives_random_sigkills(tmp_path: Path) -> None:
    """25 SIGKILLs at random moments: the store opens and holds every key printed before.
    Every other run folds its journal into the state file every few KB, so kills also land
    in the middle of a compaction."""
    path = tmp_path / "state.json"
    rng = random.Random(20261102)
    acknowledged: list[str] = []
    started = time.monotonic()
    for run in range(KILLS):
        if time.monotonic() - started > BUDGET_SECONDS:
            break
        compact = ["4096"] if run % 2 else []
        proc = subprocess.Popen(
            [sys.executable, str(CRASHER), str(path), f"r{run}", *compact],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        # A line cut off by the kill may be partial: only whole lines were acknowledged.
        lines = out.split("\n")[:-1]
        acknowledged += [line for line in lines if line]
        with Store.open(path) as store:
            missing = [
                k for k in acknowledged if not store.was_nudged(k) and store.nudge(k) is None
            ]
            assert store.recovered is None
        assert not missing, f"run {run}: lost {len(missing)} acknowledged keys, e.g. {missing[:3]}"
    assert len(acknowledged) > KILLS  # the runs did write
