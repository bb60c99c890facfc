"""Cell parsers: dates, amounts, flags."""

from __future__ import annotations

from datetime import date

import pytest

from bot.ingest.values import implausible_date, parse_amount, parse_bool, parse_date, parse_percent


def test_iso_date() -> None:
    """A plain ISO date parses to that day."""
    assert parse_date("2026-01-31") == date(2026, 1, 31)


def test_iso_datetime_with_offset_keeps_written_day() -> None:
    """A Salesforce datetime with a +0000 offset keeps the calendar day as written."""
    assert parse_date("2024-01-22T16:14:25.000+0000") == date(2024, 1, 22)


def test_iso_datetime_negative_offset_late_evening() -> None:
    """A late-evening datetime with a -0500 offset is not shifted to the next day."""
    assert parse_date("2025-07-01T23:30:00.000-0500") == date(2025, 7, 1)


def test_iso_datetime_with_space_and_minutes() -> None:
    """HubSpot's '2025-09-01 16:14' style parses."""
    assert parse_date("2025-09-01 16:14") == date(2025, 9, 1)


def test_us_date_four_digit_year() -> None:
    """M/D/YYYY parses month first."""
    assert parse_date("1/31/2026") == date(2026, 1, 31)


def test_us_date_two_digit_year() -> None:
    """MM/DD/YY reads 26 as 2026."""
    assert parse_date("01/31/26") == date(2026, 1, 31)


def test_two_digit_year_pivot_1900s() -> None:
    """Two-digit years from 69 up are 19xx, like strptime's %y."""
    assert parse_date("12/31/69") == date(1969, 12, 31)


def test_us_datetime_with_am_pm() -> None:
    """Excel's '02/23/26 08:55 PM' keeps the day."""
    assert parse_date("02/23/26 08:55 PM") == date(2026, 2, 23)


def test_dmy_order() -> None:
    """With DMY order 03/09/2025 is 3 September."""
    assert parse_date("03/09/2025", "DMY") == date(2025, 9, 3)


def test_first_part_over_12_read_day_first() -> None:
    """31/01/2026 is unambiguous even in MDY order."""
    assert parse_date("31/01/2026") == date(2026, 1, 31)


def test_empty_date_is_none() -> None:
    """An empty close date on an open deal is None, not an error."""
    assert parse_date("  ") is None


def test_zero_date_rejected_clearly() -> None:
    """0000-00-00 placeholders are not dates and the message says so."""
    with pytest.raises(ValueError, match=r"'0000-00-00' is not a real calendar date"):
        parse_date("0000-00-00")


def test_impossible_month_rejected() -> None:
    """31/31/99 has no valid month either way round."""
    with pytest.raises(ValueError, match=r"'31/31/99' is not a real calendar date \(month"):
        parse_date("31/31/99")


def test_garbage_date_names_expected_forms() -> None:
    """Unparseable text says what a date should look like."""
    with pytest.raises(ValueError, match="is not a date like 2026-01-31"):
        parse_date("next Tuesday")


def test_mixed_separators_rejected() -> None:
    """1/31-2026 is not accepted as a date."""
    with pytest.raises(ValueError):
        parse_date("1/31-2026")


def test_implausible_years_flagged() -> None:
    """Years before 1970 or after 2100 get a reason; ordinary ones do not."""
    assert "before 1970" in implausible_date(date(1969, 12, 31))
    assert "after 2100" in implausible_date(date(2101, 1, 1))
    assert implausible_date(date(2026, 1, 31)) == ""


def test_dollar_amount() -> None:
    """$1,200.50 is 1200.5 USD."""
    assert parse_amount("$1,200.50") == (1200.5, "USD")


def test_european_amount() -> None:
    """1.200,50 € is 1200.5 EUR."""
    assert parse_amount("1.200,50 €") == (1200.5, "EUR")


def test_amount_with_code_and_minus() -> None:
    """USD -1200 is negative 1200 USD."""
    assert parse_amount("USD -1200") == (-1200.0, "USD")


def test_parenthesised_negative() -> None:
    """(1,200) is -1200."""
    assert parse_amount("(1,200)") == (-1200.0, "")


def test_thousands_comma_only() -> None:
    """22,500 groups thousands."""
    assert parse_amount("22,500") == (22500.0, "")


def test_decimal_comma_only() -> None:
    """12,5 is a decimal comma."""
    assert parse_amount("12,5") == (12.5, "")


def test_space_grouped_amount() -> None:
    """1 200,50 is 1200.5."""
    assert parse_amount("1 200,50") == (1200.5, "")


def test_excel_scientific_amount() -> None:
    """Excel's 1.2E+05 is 120000, not 1.205."""
    assert parse_amount("1.2E+05") == (120000.0, "")


def test_empty_amount_is_none() -> None:
    """An empty amount on an open deal is (None, '')."""
    assert parse_amount("") == (None, "")


def test_non_amount_rejected() -> None:
    """N/A is not an amount and the message shows an example."""
    with pytest.raises(ValueError, match=r"'N/A' is not an amount like 1200.50"):
        parse_amount("N/A")


def test_infinite_amount_rejected() -> None:
    """1e400 overflows and is refused."""
    with pytest.raises(ValueError, match="too large"):
        parse_amount("1e400")


@pytest.mark.parametrize("text", ["1", "TRUE", "true", "Yes", "Done"])
def test_true_flags(text: str) -> None:
    """1/TRUE/true/yes/done are true."""
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["", "0", "FALSE", "false", "To do"])
def test_false_flags(text: str) -> None:
    """Empty/0/FALSE/false and Pipedrive's 'To do' are false."""
    assert parse_bool(text) is False


def test_bad_flag_rejected() -> None:
    """'maybe' is not a flag."""
    with pytest.raises(ValueError, match="'maybe' is not a yes/no value"):
        parse_bool("maybe")


def test_percent() -> None:
    """40% is 40.0 and empty is None."""
    assert parse_percent("40%") == 40.0
    assert parse_percent("") is None


def test_a_trailing_minus_is_negative() -> None:
    """1,200- and 1.200,00- € (the sign after the number, as SAP exports it) are negative."""
    assert parse_amount("1,200-") == (-1200.0, "")
    assert parse_amount("1.200,00- €") == (-1200.0, "EUR")


def test_dots_that_do_not_group_thousands_are_no_amount() -> None:
    """1.200.000 groups thousands; 1.2.3 is not a number, so it is not read as 123."""
    assert parse_amount("1.200.000") == (1200000.0, "")
    for text in ("1.2.3", "12.34.56", "1.2000.000"):
        with pytest.raises(ValueError, match="is not an amount"):
            parse_amount(text)
