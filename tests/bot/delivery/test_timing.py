"""When a message is due: local time, quiet days, a cron's firing within the grace window.

Calendar facts used below (2026): Nov 2 is a Monday, Nov 7/8 a weekend, Dec 25 a Friday,
Dec 26 a Saturday. US clocks go forward on Sun Mar 8 and back on Sun Nov 1 (Chicago: CST
is UTC-6, CDT UTC-5); Berlin is UTC+1 in November.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.appconfig import AppConfig, app_config_from_dict
from bot.delivery.timing import due_at, local_now, quiet_day

CHICAGO = ZoneInfo("America/Chicago")
BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS_9 = "0 9 * * mon-fri"
FOUR_HOURS = timedelta(hours=4)


def holidays(*days: str) -> AppConfig:
    return app_config_from_dict({"schedules": {"holidays": list(days)}}, "test.toml")


def chicago(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


# --- local_now ---


def test_local_now_is_the_same_instant_on_the_zones_clock() -> None:
    """14:00 UTC on Mon Nov 2 is 08:00 in Chicago (CST) and the same moment."""
    now = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    here = local_now(now, "America/Chicago")
    assert (here.hour, here.minute) == (8, 0)
    assert here.utcoffset() == timedelta(hours=-6)
    assert here == now


def test_local_now_follows_summer_time() -> None:
    """14:00 UTC on Jul 1 is 09:00 in Chicago (CDT)."""
    here = local_now(datetime(2026, 7, 1, 14, 0, tzinfo=UTC), "America/Chicago")
    assert (here.hour, here.utcoffset()) == (9, timedelta(hours=-5))


@pytest.mark.parametrize("bad", ["Mars/Olympus_Mons", "", "../../etc/passwd", "Not A Zone"])
def test_an_unknown_zone_falls_back(bad: str) -> None:
    """A missing or invalid person's zone uses the fallback zone (Berlin: 15:00)."""
    here = local_now(datetime(2026, 11, 2, 14, 0, tzinfo=UTC), bad, "Europe/Berlin")
    assert here.tzinfo == BERLIN
    assert here.hour == 15


def test_an_unknown_zone_and_fallback_mean_utc() -> None:
    """Both zones unknown: UTC, never an exception."""
    here = local_now(datetime(2026, 11, 2, 14, 0, tzinfo=UTC), "Nowhere/Land", "Also/Bad")
    assert here.utcoffset() == timedelta(0)
    assert here.hour == 14


# --- quiet_day ---


@pytest.mark.parametrize("day", [date(2026, 11, 7), date(2026, 11, 8)])
def test_weekends_are_quiet(day: date) -> None:
    """Saturday and Sunday get no nudges."""
    assert quiet_day(day, holidays()) == "weekend"


@pytest.mark.parametrize("offset", range(5))
def test_weekdays_are_not_quiet(offset: int) -> None:
    """Monday Nov 2 to Friday Nov 6 are working days."""
    assert quiet_day(date(2026, 11, 2) + timedelta(days=offset), holidays()) == ""


def test_configured_holidays_are_quiet() -> None:
    """Dates in [schedules] holidays are quiet; the working days around them are not."""
    config = holidays("2026-12-24", "2026-12-25")
    assert quiet_day(date(2026, 12, 24), config) == "holiday"
    assert quiet_day(date(2026, 12, 25), config) == "holiday"
    assert quiet_day(date(2026, 12, 23), config) == ""
    assert quiet_day(date(2026, 12, 28), config) == ""


def test_a_holiday_is_not_quiet_unless_configured() -> None:
    """Without the date in the config, Friday Dec 25 is a working day."""
    assert quiet_day(date(2026, 12, 25), holidays()) == ""


def test_a_holiday_on_a_weekend_reads_as_weekend() -> None:
    """Saturday Dec 26 listed as a holiday is still reported as a weekend."""
    assert quiet_day(date(2026, 12, 26), holidays("2026-12-26")) == "weekend"


# --- due_at ---


@pytest.mark.parametrize(
    ("hour", "minute"), [(9, 0), (9, 30), (12, 59)], ids=["at-9", "9:30", "12:59"]
)
def test_a_firing_within_the_grace_window_is_due(hour: int, minute: int) -> None:
    """Monday 09:00 fired; from 09:00 until 4 hours later it is due, at 09:00 local."""
    fired = due_at(WEEKDAYS_9, chicago(2026, 11, 2, hour, minute), FOUR_HOURS)
    assert fired == chicago(2026, 11, 2, 9, 0)
    assert fired is not None and fired.astimezone(UTC) == datetime(2026, 11, 2, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    "now",
    [
        chicago(2026, 11, 2, 8, 59),  # before Monday's firing; Friday's is 3 days back
        chicago(2026, 11, 2, 13, 1),  # Monday's firing is more than 4 hours back
        chicago(2026, 11, 7, 9, 30),  # Saturday: the cron is mon-fri
    ],
    ids=["before", "after-grace", "saturday"],
)
def test_outside_the_grace_window_nothing_is_due(now: datetime) -> None:
    """No firing in the last 4 hours: None."""
    assert due_at(WEEKDAYS_9, now, FOUR_HOURS) is None


def test_a_long_grace_reaches_back_over_the_weekend() -> None:
    """Monday 08:00 with 3 days' grace: Friday 09:00 is the firing in the window."""
    assert due_at(WEEKDAYS_9, chicago(2026, 11, 2, 8, 0), timedelta(days=3)) == chicago(
        2026, 10, 30, 9, 0
    )


def test_the_cron_is_read_in_the_local_zone() -> None:
    """The same instant is 09:30 in Chicago (due) and 16:30 in Berlin (not due)."""
    instant = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)
    assert due_at(WEEKDAYS_9, local_now(instant, "America/Chicago"), FOUR_HOURS) is not None
    assert due_at(WEEKDAYS_9, local_now(instant, "Europe/Berlin"), FOUR_HOURS) is None


@pytest.mark.parametrize(
    ("utc_now", "due"),
    [
        (datetime(2026, 3, 6, 14, 5, tzinfo=UTC), False),  # Fri, CST: 08:05
        (datetime(2026, 3, 6, 15, 5, tzinfo=UTC), True),  # Fri, CST: 09:05
        (datetime(2026, 3, 9, 14, 5, tzinfo=UTC), True),  # Mon, CDT: 09:05
        (datetime(2026, 10, 30, 14, 5, tzinfo=UTC), True),  # Fri, CDT: 09:05
        (datetime(2026, 11, 2, 14, 5, tzinfo=UTC), False),  # Mon, CST: 08:05
        (datetime(2026, 11, 2, 15, 5, tzinfo=UTC), True),  # Mon, CST: 09:05
    ],
)
def test_nine_local_stays_nine_local_across_dst(utc_now: datetime, due: bool) -> None:
    """Around both US clock changes, the 09:00 nudge follows the wall clock, not UTC."""
    here = local_now(utc_now, "America/Chicago")
    fired = due_at(WEEKDAYS_9, here, timedelta(minutes=30))
    assert (fired is not None) is due
    if fired is not None:
        assert (fired.date(), fired.hour, fired.minute) == (here.date(), 9, 0)
        assert fired.utcoffset() == here.utcoffset()


def test_a_firing_on_the_day_clocks_go_forward_is_at_the_new_offset() -> None:
    """Sun Mar 8: a daily 09:00 fires at 09:00 CDT, which is 14:00 UTC (not 15:00)."""
    here = local_now(datetime(2026, 3, 8, 14, 30, tzinfo=UTC), "America/Chicago")
    fired = due_at("0 9 * * *", here, FOUR_HOURS)
    assert fired is not None and fired.astimezone(UTC) == datetime(2026, 3, 8, 14, tzinfo=UTC)


def test_a_firing_on_the_day_clocks_go_back_is_at_the_new_offset() -> None:
    """Sun Nov 1: a daily 09:00 fires at 09:00 CST, which is 15:00 UTC (not 14:00)."""
    here = local_now(datetime(2026, 11, 1, 15, 30, tzinfo=UTC), "America/Chicago")
    fired = due_at("0 9 * * *", here, FOUR_HOURS)
    assert fired is not None and fired.astimezone(UTC) == datetime(2026, 11, 1, 15, tzinfo=UTC)


def test_the_latest_firing_in_the_window_is_returned() -> None:
    """Hourly cron at 09:30 with 4 h grace: 06:00, 07:00, 08:00, 09:00 fired; 09:00 is it."""
    assert due_at("0 * * * *", chicago(2026, 11, 2, 9, 30), FOUR_HOURS) == chicago(
        2026, 11, 2, 9, 0
    )


def test_the_grace_window_is_real_time_when_clocks_go_back() -> None:
    """Nov 1, 09:00 CST: midnight CDT was 10 real hours ago, outside a 9.5 h grace."""
    here = local_now(datetime(2026, 11, 1, 15, 0, tzinfo=UTC), "America/Chicago")
    assert due_at("0 0 * * *", here, timedelta(hours=9, minutes=30)) is None


def test_the_grace_window_is_real_time_when_clocks_go_forward() -> None:
    """Mar 8, 10:00 CDT: midnight CST was 9 real hours ago, inside a 9.5 h grace."""
    here = local_now(datetime(2026, 3, 8, 15, 0, tzinfo=UTC), "America/Chicago")
    fired = due_at("0 0 * * *", here, timedelta(hours=9, minutes=30))
    assert fired is not None and fired.astimezone(UTC) == datetime(2026, 3, 8, 6, tzinfo=UTC)
