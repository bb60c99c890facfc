"""The Slack app: factory, listeners by surface, Block Kit builders, HTTP/Socket Mode serving."""
