"""Parsing of the cell values real CRM exports contain.

Every parser takes the raw text and returns a value or raises ``ValueError`` with a short
message saying what was expected; callers turn that into a report line naming file, line
and field.
"""

from __future__ import annotations

import html
import math
import re
from datetime import date, datetime
from typing import Literal

DateOrder = Literal["MDY", "DMY"]

_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*"
    r"(Z|[+-]\d{2}:?\d{2})?)?$"
)
_SLASHED = re.compile(
    r"^(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{2}|\d{4})"
    r"(?:[ T,]+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp][Mm])?)?$"
)
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T].*)?$")

EXPECTED_DATE = "a date like 2026-01-31, 2026-01-31T16:14:25.000+0000, 1/31/2026 or 01/31/26"
SHOWN_CHARS = 40


def shown(text: str) -> str:
    """A cell value quoted for a message; one longer than ``SHOWN_CHARS`` is cut short."""
    if len(text) <= SHOWN_CHARS:
        return repr(text)
    return f"{text[:SHOWN_CHARS] + '…'!r} ({len(text)} characters)"


def parse_date(text: str, order: DateOrder = "MDY") -> date | None:
    """Parse a date or datetime cell to a calendar date; empty text is ``None``.

    ISO dates and datetimes (with or without offsets) and slashed dates with 2- or
    4-digit years are accepted. ``order`` decides ambiguous ``01/02/26``; a first part
    above 12 is read day-first whatever the order. Datetimes keep their calendar day
    as written: an export's offset is the CRM user's, and patterns reason in days.
    """
    s = text.strip()
    if not s:
        return None
    m = _ISO.match(s)
    if m:
        return _make_date(int(m[1]), int(m[2]), int(m[3]), s)
    m = _YMD_SLASH.match(s)
    if m:
        return _make_date(int(m[1]), int(m[2]), int(m[3]), s)
    m = _SLASHED.match(s)
    if m:
        a, b, y = int(m["a"]), int(m["b"]), m["y"]
        year = int(y) if len(y) == 4 else _two_digit_year(int(y))
        month, day = (a, b) if order == "MDY" else (b, a)
        if month > 12 and day <= 12:
            month, day = day, month
        return _make_date(year, month, day, s)
    raise ValueError(f"{shown(s)} is not {EXPECTED_DATE}")


EARLIEST_PLAUSIBLE_YEAR = 1970
LATEST_PLAUSIBLE_YEAR = 2100


def implausible_date(d: date) -> str:
    """A reason to doubt a parsed date (before 1970 or after 2100), else ""."""
    if d.year < EARLIEST_PLAUSIBLE_YEAR:
        return f"{d.isoformat()} is before {EARLIEST_PLAUSIBLE_YEAR}; check the date format"
    if d.year > LATEST_PLAUSIBLE_YEAR:
        return f"{d.isoformat()} is after {LATEST_PLAUSIBLE_YEAR}; check the date format"
    return ""


def _two_digit_year(yy: int) -> int:
    # Same pivot as strptime's %y: 69-99 are 1900s, 00-68 are 2000s.
    return 1900 + yy if yy >= 69 else 2000 + yy


def _make_date(year: int, month: int, day: int, raw: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{shown(raw)} is not a real calendar date ({exc})") from None


_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "CHF": "CHF"}
_CODE = re.compile(r"\b([A-Z]{3})\b")
_NUMBER_CHARS = re.compile(r"[^0-9.,\-()]")
_PLAIN_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# Letters and operators a money cell never has once its currency is taken out: "@SUM(A1)",
# "-1+1", "5k" are not amounts, and picking their digits out would invent one. A leading
# "+" ("+1,200") is a sign.
_CURRENCY_WORD = re.compile(r"(?<![^\W\d_])[A-Z]{3}(?![^\W\d_])")
_NOT_MONEY = re.compile(r"[^\W\d_]|[=+@*/^]")


def parse_amount(text: str) -> tuple[float | None, str]:
    """Parse a money cell into (amount, ISO currency code or "").

    Handles ``$1,200.50``, ``1.200,50 €``, ``USD 1200``, ``(1,200)`` for negatives and
    ``1 200,50``. The decimal separator is the last of ``.``/``,`` when both occur; a
    lone ``,`` followed by exactly three digits groups thousands. Other text than the
    currency (``@SUM(A1)``, ``-1+1``, ``5k``) makes it no amount rather than a guess.
    """
    s = text.strip()
    if not s:
        return None, ""
    currency = ""
    for symbol, code in _CURRENCY_SYMBOLS.items():
        if symbol in s:
            currency = code
            break
    if not currency:
        m = _CODE.search(s)
        if m:
            currency = m[1]
    if _PLAIN_NUMBER.match(s):  # 1200, 1200.5, -3, 1.2E+05 (Excel scientific notation)
        return _finite(float(s), s), currency
    bare = _CURRENCY_WORD.sub(" ", s)
    for symbol in _CURRENCY_SYMBOLS:
        bare = bare.replace(symbol, " ")
    if _NOT_MONEY.search(bare.strip().removeprefix("+")):
        raise ValueError(f"{shown(s)} is not an amount like 1200.50, $1,200.50 or 1.200,50 €")
    first_digit = next((i for i, ch in enumerate(s) if ch.isdigit()), len(s))
    negative = (
        (s.startswith("(") and s.endswith(")"))
        or "-" in s[:first_digit]
        or bare.strip().endswith("-")  # 1,200- (SAP and some ledgers put the sign last)
    )
    digits = _NUMBER_CHARS.sub("", s.replace("\u00a0", "").replace(" ", "")).strip("()-")
    if not digits or not any(ch.isdigit() for ch in digits):
        raise ValueError(f"{shown(s)} is not an amount like 1200.50, $1,200.50 or 1.200,50 €")
    if "," in digits and "." in digits:
        if digits.rfind(",") > digits.rfind("."):
            digits = digits.replace(".", "").replace(",", ".")
        else:
            digits = digits.replace(",", "")
    elif "," in digits:
        if re.fullmatch(r"\d{1,3}(,\d{3})+", digits):
            digits = digits.replace(",", "")
        else:
            digits = digits.replace(",", ".")
    elif digits.count(".") > 1:
        if not re.fullmatch(r"\d{1,3}(\.\d{3})+", digits):  # 1.200.000, never 1.2.3
            raise ValueError(f"{shown(s)} is not an amount like 1200.50, $1,200.50 or 1.200,50 €")
        digits = digits.replace(".", "")
    try:
        value = float(digits)
    except ValueError:
        raise ValueError(
            f"{shown(s)} is not an amount like 1200.50, $1,200.50 or 1.200,50 €"
        ) from None
    return _finite(-value if negative else value, s), currency


def _finite(value: float, raw: str) -> float:
    if not math.isfinite(value):
        raise ValueError(f"{shown(raw)} is too large to be an amount")
    return value


_TRUE = frozenset({"1", "true", "t", "yes", "y", "x", "checked", "done", "completed"})
_FALSE = frozenset(
    {"", "0", "false", "f", "no", "n", "unchecked", "to do", "not done", "undone", "pending"}
)


def parse_bool(text: str) -> bool:
    """Parse ``1``/``TRUE``/``true``/``yes``/empty style flags."""
    s = text.strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError(f"{shown(text.strip())} is not a yes/no value like true, false, 1, 0 or empty")


def parse_percent(text: str) -> float | None:
    s = text.strip().rstrip("%").strip()
    if not s:
        return None
    try:
        return float(s.replace(",", "."))
    except ValueError:
        raise ValueError(f"{shown(text.strip())} is not a percentage like 40 or 40%") from None


def format_date(d: date | datetime | None) -> str:
    return d.isoformat()[:10] if d else ""


_BREAK_TAG = re.compile(r"<\s*(?:br\s*/?|/p|/div|/li|/h[1-6]|/tr)\s*>", re.IGNORECASE)
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?\s*>")


def plain_text(text: str) -> str:
    """A note stored as HTML (HubSpot, Pipedrive) as the plain text a person wrote.

    Only real tags go (``<p>``, ``<br/>``, ``<a href=..>``): "<3" or "a < b" stay.
    """
    if not _TAG.search(text):
        return text
    text = _BREAK_TAG.sub("\n", text)
    text = html.unescape(_TAG.sub("", text)).replace("\xa0", " ")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
