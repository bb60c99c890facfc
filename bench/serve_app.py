"""The /deal bench's server: what ``dealnudge serve --http`` runs, with the clock set to the
synthetic export's "today" so the findings are the ones ``scan --as-of`` reports.

Run as ``python -m bench.serve_app PORT YYYY-MM-DD`` with the usual environment
(SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL, DEALNUDGE_SOURCE, DEALNUDGE_DB,
DEALNUDGE_CONFIG). Serves until killed; ``/healthz`` answers 200 once the export is loaded.
"""

from __future__ import annotations

import logging
import sys
import time
from datetime import UTC, date, datetime


def main(argv: list[str]) -> int:
    from bot.runtime import build_runtime
    from bot.settings import Settings
    from bot.slack.app import create_app
    from bot.slack.server import serve_http

    port, as_of = int(argv[0]), date.fromisoformat(argv[1])
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    settings = Settings.from_env()
    _, secret = settings.require_slack()
    shift = datetime(as_of.year, as_of.month, as_of.day, 12, tzinfo=UTC) - datetime.now(UTC)

    def clock() -> datetime:
        return datetime.now(UTC) + shift

    started = time.perf_counter()
    runtime = build_runtime(settings, clock)
    runtime.refresh()
    snap = runtime.deps.snapshots.current
    if snap is None:
        print(f"bench.serve_app: the export did not load: {runtime.deps.snapshots.last_error}",
              file=sys.stderr)  # fmt: skip
        return 3
    print(
        f"bench.serve_app: loaded {len(snap.pipeline.deals)} deals, {len(snap.by_deal)} flagged, "
        f"in {time.perf_counter() - started:.1f}s",
        file=sys.stderr,
        flush=True,
    )
    app = create_app(runtime.deps, secret)
    serve_http(app, runtime.deps.snapshots, port, host="127.0.0.1")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
