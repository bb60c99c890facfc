"""Reports for the command line: ``dealnudge check`` and ``dealnudge scan`` as text or JSON.

May import ``rules``, ``bot.ingest`` and ``bot.analysis``; nothing imports a report except
the CLI and the tools.
"""
