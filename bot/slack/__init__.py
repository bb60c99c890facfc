"""The Slack app: factory, listeners by surface, Block Kit builders, HTTP/Socket Mode serving.

May import ``rules``, ``bot.ingest``, ``bot.state``, ``bot.analysis``, ``bot.services`` and
``bot.reports``; never delivery or the wiring (``bot.runtime``), which build on it."""
