"""Formatting shared by every report and every Slack surface."""

from __future__ import annotations


def money(amount: float | None, currency: str = "") -> str:
    """An amount as people read it ("$48,000", "€9,500", "CHF 1,200"); "-" when unknown."""
    if amount is None:
        return "-"
    symbol = {"USD": "$", "EUR": "€", "GBP": "£", "": "$"}.get(currency, f"{currency} ")
    return f"{symbol}{amount:,.0f}"
