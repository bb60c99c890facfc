"""Per-pattern precision/recall on the labelled corpus, per part and CRM format.

python scripts/eval_corpus.py            # the development part (tuned on)
python scripts/eval_corpus.py --held-out # the held-out part: report it, never tune on it
python scripts/eval_corpus.py -v         # also every false positive and miss
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from corpus.scoring import scores  # noqa: E402


def main() -> None:
    verbose = "-v" in sys.argv
    name = "held-out" if "--held-out" in sys.argv else "dev"
    by_format = scores(name)
    adjusted = scores(name, adjusted=True)
    for fmt, score in by_format.items():
        adj = adjusted[fmt]
        print(
            f"\n== {name} / {fmt}: precision {score.precision:.2f}, recall {score.recall:.2f}"
            f" (adjusted: precision {adj.precision:.2f}, recall {adj.recall:.2f})"
        )
        if fmt == "all" or verbose:
            print(score.table())
        if verbose and fmt != "all":
            print("\n".join(score.misses))


if __name__ == "__main__":
    main()
