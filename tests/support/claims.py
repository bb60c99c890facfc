"""What a finding may say, given what its export carries: written from the coverage rules'
meaning, independently of the patterns' code."""

from __future__ import annotations

import re

from rules.base import Finding
from rules.model import Input

# (a phrase a finding must not use, the input that would make it true)
CLAIMS: tuple[tuple[re.Pattern[str], Input], ...] = (
    (re.compile(r"next step (field is empty|recorded)|Next step:", re.I), Input.NEXT_STEP),
    (re.compile(r"no activity (linked|logged|on record)", re.I), Input.ACTIVITIES),
    (re.compile(r"(has no|none with) (decision )?authority", re.I), Input.CONTACT_TITLES),
    (re.compile(r"stage unchanged|no stage change|entered ", re.I), Input.STAGE_HISTORY),
    (re.compile(r"close date (pushed|moved)", re.I), Input.CLOSE_HISTORY),
)
SOURCES = {"activity": (Input.ACTIVITIES,), "history": (Input.STAGE_HISTORY, Input.CLOSE_HISTORY)}


def unsupported_claims(f: Finding, inputs: frozenset[Input]) -> list[str]:
    """The statements of ``f`` that rest on an input the export does not carry."""
    out = []
    # Activity evidence quotes the CRM's own text; dealnudge's claims are the summary and
    # the field and history evidence it writes.
    texts = [f.summary, *(e.text for e in f.evidence if e.source != "activity")]
    for pattern, needed in CLAIMS:
        if needed not in inputs and any(pattern.search(t) for t in texts):
            out.append(f"{f.pattern}: {pattern.pattern!r} without {needed.value}")
    for e in f.evidence:
        needs = SOURCES.get(e.source, ())
        if needs and not any(i in inputs for i in needs):
            out.append(
                f"{f.pattern}: {e.source} evidence without {'/'.join(n.value for n in needs)}"
            )
    return out
