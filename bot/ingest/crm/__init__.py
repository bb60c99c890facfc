"""Live CRM sources: the export pulled through the CRM's own API.

``DEALNUDGE_SOURCE=salesforce:`` (or ``hubspot:``, ``pipedrive:``) makes ``CrmSource`` the
export source. A connector per CRM (``salesforce``, ``hubspot``, ``pipedrive``) writes
exactly the CSV files the export readers already read, so detection, coverage and every
row's accounting stay one code path; ``base`` holds what they share (the HTTP client with
its retries and messages, the connector protocol), ``merge`` folds an incremental pull into
the last good export, ``source`` keeps pulled exports on disk like downloaded ones.
May import ``bot.ingest`` and ``bot.settings``; nothing else of ``bot``.
"""

SCHEMES = ("salesforce", "hubspot", "pipedrive")


def crm_scheme(location: str) -> str | None:
    """``salesforce`` for ``salesforce:`` (any case, spaces around), else None. Here, not in
    ``source``, so the command line can tell without importing the connectors."""
    text = location.strip().lower()
    scheme, colon, rest = text.partition(":")
    return scheme if colon and not rest.strip() and scheme in SCHEMES else None
