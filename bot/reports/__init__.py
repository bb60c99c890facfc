"""Reports: ``dealnudge check`` and ``dealnudge scan`` as text or JSON, and the digest's chart.

May import ``rules``, ``bot.ingest`` and ``bot.analysis``. The Slack builders borrow its
formatting (money) and the digest its chart.
"""
