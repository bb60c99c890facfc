"""Write-back: what reps chose in Slack, recorded on the deal in the CRM.

A click on "I'll ask this" (with ``[crm] write_back``) is queued in the state in the same
transaction as the click itself, before Slack gets its ack. This job writes the queue to
the CRM: one completed activity per click, found again by its marker, so a retry after a
crash, a lost reply or a restart never writes twice. A failure stays queued for the next
tick and is told to the admins once per reason, never to the rep.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.appconfig import AppConfig
from bot.ingest.crm.base import Activity, Connector, CrmError
from bot.services import Services
from bot.slack.alerts import alert_admins
from bot.slack.blocks import escape

log = logging.getLogger(__name__)

STOP_KINDS = frozenset({"auth", "permission", "network", "rate", "server", "settings"})


@dataclass
class WriteReport:
    written: int = 0
    failed: list[str] = field(default_factory=list)


def write_back(
    deps: Services, config: AppConfig, writer: Connector, alerted: set[str]
) -> WriteReport:
    """Write every queued click to the CRM; ``alerted`` holds the reasons admins were told."""
    report = WriteReport()
    for item in deps.store.pending_writebacks():
        if deps.stopping.is_set():
            break
        activity = Activity(
            item.marker, item.deal_id, item.subject, item.body, item.at or deps.clock()
        )
        try:
            crm_id = writer.record(activity)
        except CrmError as exc:
            reason = str(exc)
            deps.store.fail_writeback(item.marker, reason)
            report.failed.append(item.marker)
            if reason not in alerted:
                alerted.add(reason)
                summary = f":warning: dealnudge could not write to {writer.name}"
                alert_admins(
                    deps, config, summary,
                    f"{summary}; it keeps the reps' clicks and tries again: "
                    f"{escape(reason, 2500)}",
                )  # fmt: skip
            if exc.kind in STOP_KINDS:
                break  # the rest would fail the same way
            continue
        deps.store.finish_writeback(item.marker, crm_id)
        report.written += 1
    if report.written and not report.failed:
        alerted.clear()  # it works again: a new failure is news
    return report
