"""Delivery: what is sent when, and sending each message exactly once.

Owns rep nudges and manager digests (who gets what, when, sending each once), the
scheduler's jobs and the send-once record. May import every stage below it: ``rules``,
``bot.ingest``, ``bot.state``, ``bot.analysis``, ``bot.reports`` (the chart) and
``bot.slack`` (the message builders); what it needs from the deployment is ``host.Host``,
so it never imports the wiring above it.
"""
