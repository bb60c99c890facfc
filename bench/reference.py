"""The scan's reference: DuckDB reads the same CSV files and computes, per deal, the number
of activities and the last activity date (tasks and events joined to opportunities).

Run as ``python -m bench.reference EXPORT_DIR``; prints one JSON object. It is the floor
for "read a 1M-row export and group it by deal" on this machine, not a re-implementation
of the patterns.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

QUERY = """
WITH acts AS (
    SELECT WhatId AS deal_id, TRY_CAST(ActivityDate AS DATE) AS day
    FROM read_csv('{tasks}', header = true)
    UNION ALL
    SELECT WhatId, TRY_CAST(ActivityDate AS DATE)
    FROM read_csv('{events}', header = true)
)
SELECT o.Id AS deal_id, count(a.deal_id) AS activities, max(a.day) AS last_activity
FROM read_csv('{opps}', header = true) AS o
LEFT JOIN acts AS a ON a.deal_id = o.Id
GROUP BY o.Id
"""


def run(export: Path) -> dict[str, object]:
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect()
    sql = QUERY.format(
        tasks=export / "Task.csv", events=export / "Event.csv", opps=export / "Opportunity.csv"
    )
    rows = con.execute(sql).fetchall()
    seconds = time.perf_counter() - started
    return {
        "deals": len(rows),
        "activities_linked": sum(int(r[1]) for r in rows),
        "deals_with_activity": sum(1 for r in rows if r[2] is not None),
        "seconds_in_process": seconds,
        "duckdb": duckdb.__version__,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m bench.reference EXPORT_DIR", file=sys.stderr)
        return 2
    print(json.dumps(run(Path(argv[0]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
