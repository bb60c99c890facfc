"""Analysis: from a loaded export to the findings snapshot the app serves.

Owns the one place that runs the rules (``analyse``), the snapshot swapped whole on each
refresh and its folder on disk, the analysis child process, deal history across exports
and the deal search. May import ``rules``, ``bot.ingest``, ``bot.state``, the settings
and the app config; never a report, delivery or Slack module (``tests/test_imports.py``).
"""
