"""Delivery: what is sent when, and sending each message exactly once.

Owns rep nudges and manager digests (who gets what, their content and chart), the
scheduler and the send-once record. May import ``rules``, ``bot.analysis``, ``bot.state``
and the Slack message builders; the Slack surfaces (commands, buttons) never import it
back.
"""
