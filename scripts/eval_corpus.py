"""Per-pattern precision/recall on the labelled corpus: python scripts/eval_corpus.py [-v]."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from test_corpus_quality import EXPORTS, score  # noqa: E402


def main() -> None:
    verbose = "-v" in sys.argv
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for folder in EXPORTS:
        expected, found = score(folder)
        for d, p in expected & found:
            tp[p] += 1
        for d, p in found - expected:
            fp[p] += 1
            if verbose:
                print(f"FP {folder.name} {d} {p}")
        for d, p in expected - found:
            fn[p] += 1
            if verbose:
                print(f"FN {folder.name} {d} {p}")
    print(f"{'pattern':32} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'rec':>6}")
    for p in sorted(set(tp) | set(fp) | set(fn)):
        prec = tp[p] / (tp[p] + fp[p]) if tp[p] + fp[p] else 1.0
        rec = tp[p] / (tp[p] + fn[p]) if tp[p] + fn[p] else 1.0
        print(f"{p:32} {tp[p]:4} {fp[p]:4} {fn[p]:4} {prec:6.2f} {rec:6.2f}")
    t, f, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(f"{'ALL':32} {t:4} {f:4} {n:4} {t / max(t + f, 1):6.2f} {t / max(t + n, 1):6.2f}")


if __name__ == "__main__":
    main()
