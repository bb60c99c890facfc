"""The benches' server: ``dealnudge serve --http`` itself (port bound at once, the export
analysed in a child process, the scheduler running), with the clock set to the synthetic
export's "today" so the findings are the ones ``scan --as-of`` reports.

Run as ``python -m bench.serve_app PORT YYYY-MM-DD`` with the usual environment
(SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL, DEALNUDGE_SOURCE, DEALNUDGE_DB,
DEALNUDGE_CONFIG). Serves until SIGTERM; ``/healthz`` answers 200 once the export is in.
SIGUSR1 runs the scheduler's refresh job now (the bench changes the export, then asks,
instead of waiting for the next tick).
"""

from __future__ import annotations

import signal
import sys
import threading
from datetime import UTC, date, datetime
from typing import Any


def main(argv: list[str]) -> int:
    import bot.runtime
    import bot.service
    from bot.delivery.scheduler import refresh_job
    from bot.settings import Settings

    port, as_of = int(argv[0]), date.fromisoformat(argv[1])
    shift = datetime(as_of.year, as_of.month, as_of.day, 12, tzinfo=UTC) - datetime.now(UTC)

    def clock() -> datetime:
        return datetime.now(UTC) + shift

    built: list[bot.runtime.Runtime] = []
    real_build = bot.runtime.build_runtime

    def build(settings: Settings, *args: Any, **kw: Any) -> bot.runtime.Runtime:
        runtime = real_build(settings, clock, **kw)
        built.append(runtime)
        return runtime

    bot.service.build_runtime = build  # type: ignore[attr-defined]

    def refresh_now(*_: Any) -> None:
        if built:
            threading.Thread(target=refresh_job, args=(built[0],), daemon=True).start()

    signal.signal(signal.SIGUSR1, refresh_now)
    return bot.service.run(Settings.from_env(), role="all", http=True, port=port)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
