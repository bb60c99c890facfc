"""When a message is due: a person's local time, quiet days, and a cron's latest firing.

The one owner of the time rules that nudges and digests share; ``jobs`` plans with them
and ``scheduler`` ticks with them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
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
    """The latest firing of ``cron`` (in ``local_now``'s zone) within ``grace``, if any."""
    trigger = CronTrigger.from_crontab(cron, timezone=local_now.tzinfo or ZoneInfo("UTC"))
    fire: datetime | None = trigger.get_next_fire_time(None, local_now - grace)
    return fire if fire is not None and fire <= local_now else None
