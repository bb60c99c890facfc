"""dealnudge: the Slack app, CRM ingest, storage, jobs and CLI."""
