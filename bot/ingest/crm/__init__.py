"""Live CRM sources: the export pulled through the CRM's own API.

``DEALNUDGE_SOURCE=salesforce:`` (or ``hubspot:``, ``pipedrive:``) makes ``CrmSource`` the
export source. A connector per CRM (``salesforce``, ``hubspot``, ``pipedrive``) writes
exactly the CSV files the export readers already read, so detection, coverage and every
row's accounting stay one code path; ``base`` holds what they share (the HTTP client with
its retries and messages, the connector protocol), ``merge`` folds an incremental pull into
the last good export, ``source`` keeps pulled exports on disk like downloaded ones.
May import ``bot.ingest`` and ``bot.settings``; nothing else of ``bot``.
"""
