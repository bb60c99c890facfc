"""Reading exports: where a CRM export is found, fetched, detected, read and linked.

Owns the export's files (a folder, a file or an HTTPS URL), format detection, mapping
files, the per-row readers and the ``IngestReport`` that accounts for every row. Turns CSV
into a ``rules.model.Pipeline``. May import ``rules`` and ``bot.settings``; nothing else of
``bot``.
"""
