"""When a message is due: a person's local time, quiet days, and a cron's latest firing.

The one owner of the time rules that nudges and digests share; ``jobs`` plans with them
and ``scheduler`` ticks with them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.appconfig import AppConfig


def local_now(now: datetime, tz: str, fallback: str = "UTC") -> datetime:
    """``now`` in the zone ``tz`` (else ``fallback``, else UTC) when the zone is known."""
    for name in (tz, fallback, "UTC"):
        if name:
            try:
                return now.astimezone(ZoneInfo(name))
            except (KeyError, ValueError):
                continue
    return now


def quiet_day(day: date, config: AppConfig) -> str:
    """Why ``day`` gets no nudges ("" when it does)."""
    if day.weekday() >= 5:
        return "weekend"
    if day.isoformat() in config.schedules.holidays:
        return "holiday"
    return ""


def due_at(cron: str, local_now: datetime, grace: timedelta) -> datetime | None:
    """The latest firing of ``cron`` (read in ``local_now``'s zone) at most ``grace`` of real
    time before ``local_now``, in that zone; None when it did not fire in that window.

    The window is real time (computed in UTC), so it is as long as ``grace`` on the nights
    clocks change too."""
    zone = local_now.tzinfo or ZoneInfo("UTC")
    trigger = CronTrigger.from_crontab(cron, timezone=zone)
    now = local_now.astimezone(UTC)
    start = now - grace

    def first_from(moment: datetime) -> datetime | None:
        """The first firing at or after ``moment``, if it is not after now (in UTC)."""
        fire = trigger.get_next_fire_time(None, moment.astimezone(zone))
        return fire.astimezone(UTC) if fire is not None and fire <= now else None

    # Widen a window back from now until it holds a firing: then its last firing is close.
    reach = min(timedelta(minutes=1), grace)
    found = first_from(max(now - reach, start))
    while found is None and reach < grace:
        reach = min(reach * 2, grace)
        found = first_from(now - reach)
    if found is None:
        return None
    while (later := first_from(found + timedelta(seconds=1))) is not None:
        found = later
    return found.astimezone(zone)
