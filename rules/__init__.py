"""Pure domain: the CRM model, pattern detection and facilitation questions.

Nothing in this package does I/O, reads a clock or talks to Slack; ``as_of`` is always a
parameter. ``tests/rules/test_engine_meta.py`` enforces the import rule.
"""
