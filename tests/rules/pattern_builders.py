"""Build small pipelines from case tables: days are counted back from a fixed as-of."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rules.model import (
    Activity,
    ActivityKind,
    Contact,
    ContactRole,
    Deal,
    DealStatus,
    Direction,
    HistoryEntry,
    Owner,
    Pipeline,
)

AS_OF = date(2026, 6, 15)


def ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


def build(case: dict[str, Any]) -> Pipeline:
    d = case.get("deal", {})
    deal = Deal(
        id="D1",
        name=d.get("name", "Acme - Workforce Analytics"),
        account=d.get("account", "Acme"),
        owner_id="U1",
        stage=d.get("stage", "Qualification"),
        amount=d.get("amount", 50000.0),
        created=ago(d.get("age", 200)),
        close_date=ago(-d["close_in"]) if "close_in" in d else None,
        next_step=d.get("next_step", ""),
        status=DealStatus(d.get("status", "open")),
    )
    contacts = tuple(
        Contact(c["id"], c.get("name", c["id"]), c.get("title", ""), role=c.get("role", ""))
        for c in case.get("contacts", [])
    )
    roles = tuple(
        ContactRole("D1", c["id"], c["deal_role"])
        for c in case.get("contacts", [])
        if "deal_role" in c
    )
    activities = tuple(
        Activity(
            id=f"A{i}",
            deal_id="D1",
            kind=ActivityKind(a.get("kind", "task")),
            direction=Direction(a.get("direction", "unknown")),
            subject=a.get("subject", ""),
            body=a.get("body", ""),
            date=ago(a["ago"]),
            contact_id=a.get("contact", ""),
            owner_id="U1",
            done=a["ago"] >= 0,
        )
        for i, a in enumerate(case.get("activities", []))
    )
    history = tuple(
        HistoryEntry(
            "D1", ago(h["ago"]), h.get("stage", ""),
            ago(-h["close_in"]) if "close_in" in h else None,
        )
        for h in case.get("history", [])
    )  # fmt: skip
    return Pipeline(
        deals=(deal,),
        activities=activities,
        contacts=contacts,
        owners=(Owner("U1", "Sam Rep", "sam@example.com"),),
        history=history,
        contact_roles=roles,
    )
