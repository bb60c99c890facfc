"""Rendering an ``IngestReport`` for people (text) and for programs (JSON)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from bot.ingest.coverage import coverage_lines, coverage_text
from bot.ingest.loader import LoadResult
from bot.ingest.report import Problem, Status
from bot.ingest.values import format_date
from rules.model import Pipeline

SHOWN = 20


def check_json(result: LoadResult) -> dict[str, Any]:
    p, r = result.pipeline, result.report

    def problems(status: Status) -> list[dict[str, Any]]:
        return [
            {"file": x.file, "line": x.line, "field": x.field, "reason": x.reason}
            for x in r.problems
            if x.status == status
        ]

    return {
        "usable": True,
        "files": [
            {
                "path": f.path,
                "format": f.format,
                "kind": f.kind,
                "encoding": f.encoding,
                "rows": f.rows,
                "loaded": f.loaded,
                "rejected": f.rejected,
                "unlinked": f.unlinked,
                "linked_by_contact": f.by_contact,
                "linked_by_account": f.by_account,
                "first_date": format_date(f.first_date) or None,
                "last_date": format_date(f.last_date) or None,
            }
            for f in r.files
        ],
        "skipped": [{"path": path, "reason": why} for path, why in r.skipped],
        "deals": len(p.deals),
        "open_deals": sum(1 for d in p.deals if d.is_open),
        "activities": p.activity_count,
        "contacts": len(p.contacts),
        "owners": len(p.owners),
        "history": len(p.history),
        "owners_not_reachable": owner_gaps(p),
        "coverage": [c.as_dict() for c in coverage_lines(p, r)],
        "rejected": problems("rejected"),
        "unlinked": problems("unlinked"),
        "warnings": problems("warning"),
    }


def check_text(result: LoadResult) -> str:
    p, r = result.pipeline, result.report
    rows = [("file", "format", "kind", "rows", "loaded", "rejected", "unlinked", "dates")]
    for f in r.files:
        dates = (
            f"{format_date(f.first_date)} .. {format_date(f.last_date)}" if f.first_date else "-"
        )
        rows.append((Path(f.path).name, f.format, f.kind, str(f.rows), str(f.loaded),
                     str(f.rejected), str(f.unlinked), dates))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    numeric = {3, 4, 5, 6}
    lines = [
        "  ".join(
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]
    open_deals = sum(1 for d in p.deals if d.is_open)
    lines.append("")
    lines.append(
        f"Loaded {len(p.deals)} deals ({open_deals} open), {p.activity_count} activities, "
        f"{len(p.contacts)} contacts, {len(p.owners)} owners, {len(p.history)} history entries."
    )
    for f in r.files:
        if f.by_contact or f.by_account:
            lines.append(
                f"{Path(f.path).name}: {f.by_contact} activities linked to their deal by "
                f"contact, {f.by_account} by account (the deal open on the activity's date)."
            )
    for path, why in r.skipped:
        lines.append(f"Skipped {Path(path).name}: {why}.")
    gaps = owner_gaps(p)
    if gaps["no_owner"] or gaps["no_email"]:
        lines.append(
            f"Owners: {gaps['no_owner']} open deals have no owner and {gaps['no_email']} an "
            "owner with no email, so dealnudge cannot find them in Slack. Add owner emails "
            "(a User file, or emails in the owner column) or map them in [people] in "
            "dealnudge.toml."
        )
    lines.append("")
    lines.extend(coverage_text(coverage_lines(p, r)))
    for status, title in (("rejected", "Rejected rows"), ("unlinked", "Unlinked rows"),
                          ("warning", "Warnings")):  # fmt: skip
        found = [x for x in r.problems if x.status == status]
        if found:
            lines.append("")
            lines.extend(_problem_block(title, found))
    return "\n".join(lines)


def owner_gaps(p: Pipeline) -> dict[str, int]:
    """Open deals whose owner cannot be found in Slack by email: none, or no email known."""
    no_owner = no_email = 0
    for d in p.deals:
        if not d.is_open:
            continue
        owner = p.owner_index.get(d.owner_id)
        if not d.owner_id:
            no_owner += 1
        elif owner is None or not owner.email:
            no_email += 1
    return {"no_owner": no_owner, "no_email": no_email}


def _problem_block(title: str, problems: list[Problem]) -> list[str]:
    out = [f"{title} ({len(problems)}):"]
    out.extend(f"  {_short(x)}" for x in problems[:SHOWN])
    if len(problems) > SHOWN:
        common = Counter(_generic(x.reason) for x in problems[SHOWN:]).most_common(3)
        summary = "; ".join(f"{n} x {why}" for why, n in common)
        out.append(f"  ... and {len(problems) - SHOWN} more ({summary})")
    return out


def _short(x: Problem) -> str:
    return Problem(Path(x.file).name, x.line, x.status, x.reason, x.field).describe()


def _generic(reason: str) -> str:
    # Group "account 'x' ..." style reasons by their wording, not their values.
    return re.sub(r"\d+", "N", re.sub(r"'[^']*'", "'...'", reason))
