"""Settings from the environment: the only module that reads ``os.environ``.

Secrets are wrapped so that printing, logging or formatting a ``Settings`` never shows
them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Secret:
    """A secret value; its repr and str are masked."""

    value: str

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


CRM_PREFIXES = ("SALESFORCE_", "HUBSPOT_", "PIPEDRIVE_")


@dataclass(frozen=True)
class CrmEnv:
    """The CRM connectors' variables (credentials among them); its repr names keys only."""

    values: Mapping[str, str]

    def __repr__(self) -> str:
        return f"CrmEnv({sorted(self.values)})"

    __str__ = __repr__


class SettingsError(ValueError):
    """A missing or malformed environment variable, named in the message."""


def _seconds(e: Mapping[str, str], name: str, what: str, default: int, most: int) -> float:
    text = e.get(name, "").strip() or str(default)
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 1 <= value <= most:
        raise SettingsError(
            f"{name} must be the seconds {what} may take in all, "
            f"from 1 to {most} (default {default}), not {text!r}"
        )
    return value


def default_db_path(env: Mapping[str, str]) -> Path:
    """``$DEALNUDGE_DB``, else ``$XDG_DATA_HOME/dealnudge/state.json``, else
    ``~/.local/share/dealnudge/state.json``: never the working tree."""
    if env.get("DEALNUDGE_DB"):
        return Path(env["DEALNUDGE_DB"]).expanduser()
    if env.get("XDG_DATA_HOME"):
        base = Path(env["XDG_DATA_HOME"]).expanduser()
    else:
        home = Path(env["HOME"]) if env.get("HOME") else Path.home()
        base = home / ".local" / "share"
    return base / "dealnudge" / "state.json"


@dataclass(frozen=True)
class Settings:
    slack_bot_token: Secret | None = None
    slack_signing_secret: Secret | None = None
    slack_app_token: Secret | None = None
    slack_api_url: str | None = None
    port: int = 3000
    source: str | None = None
    source_auth_header: Secret | None = None
    source_deadline: float = 60.0  # seconds one download of a URL export may take in all
    pull_deadline: float = 1800.0  # seconds one pull from a CRM's API may take in all
    crm: CrmEnv = field(default_factory=lambda: CrmEnv({}))  # SALESFORCE_*, HUBSPOT_*, ...
    mapping: Path | None = None  # a mapping file for exports no built-in format reads
    config_path: Path | None = None
    db_path: Path = Path("state.json")
    # PostgreSQL for state shared by several processes (the platform's DATABASE_URL);
    # unset: the tinydb file at db_path. A secret: the URL usually holds a password.
    database_url: Secret | None = None
    pg_schema: str = "dealnudge"  # the PostgreSQL schema holding dealnudge's tables
    log_level: str = "INFO"
    timezone: str = "UTC"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        e = dict(os.environ if env is None else env)

        def secret(name: str) -> Secret | None:
            value = e.get(name, "").strip()
            return Secret(value) if value else None

        port_text = e.get("PORT", "3000").strip() or "3000"
        if not port_text.isascii() or not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise SettingsError(f"PORT must be a port number like 3000, not {port_text!r}")
        level = e.get("DEALNUDGE_LOG_LEVEL", "INFO").strip().upper() or "INFO"
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise SettingsError(
                f"DEALNUDGE_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {level!r}"
            )
        api_url = e.get("SLACK_API_URL", "").strip() or None
        if api_url and not api_url.endswith("/"):
            api_url += "/"
        database_url = secret("DATABASE_URL")
        if database_url and not database_url.value.startswith(("postgres://", "postgresql://")):
            raise SettingsError(
                "DATABASE_URL must be a PostgreSQL URL like postgresql://user@host:5432/db "
                "(unset it to keep state in the DEALNUDGE_DB file)"
            )
        deadline = _seconds(e, "DEALNUDGE_SOURCE_DEADLINE", "one download", 60, 3600)
        pull_deadline = _seconds(e, "DEALNUDGE_PULL_DEADLINE", "one CRM pull", 1800, 86400)
        config = e.get("DEALNUDGE_CONFIG", "").strip()
        mapping = e.get("DEALNUDGE_MAPPING", "").strip()
        return cls(
            slack_bot_token=secret("SLACK_BOT_TOKEN"),
            slack_signing_secret=secret("SLACK_SIGNING_SECRET"),
            slack_app_token=secret("SLACK_APP_TOKEN"),
            slack_api_url=api_url,
            port=int(port_text),
            source=e.get("DEALNUDGE_SOURCE", "").strip() or None,
            source_auth_header=secret("DEALNUDGE_SOURCE_AUTH"),
            source_deadline=deadline,
            pull_deadline=pull_deadline,
            crm=CrmEnv({k: v for k, v in e.items() if k.startswith(CRM_PREFIXES) and v.strip()}),
            mapping=Path(mapping).expanduser() if mapping else None,
            config_path=Path(config).expanduser() if config else None,
            db_path=default_db_path(e),
            database_url=database_url,
            pg_schema=e.get("DEALNUDGE_PG_SCHEMA", "").strip() or "dealnudge",
            log_level=level,
            timezone=e.get("DEALNUDGE_TIMEZONE", "UTC").strip() or "UTC",
        )

    @property
    def export_cache(self) -> Path:
        """Where downloaded and pulled exports are kept, beside the state."""
        return self.db_path.parent / "export-cache"

    def require_slack(self, *, socket_mode: bool = False) -> tuple[Secret, Secret | None]:
        """The bot token and signing secret, or a clear message naming what is missing.

        In Socket Mode the signing secret may be absent: Slack does not sign the messages it
        sends over the app's own WebSocket.
        """
        wanted = [("SLACK_BOT_TOKEN", self.slack_bot_token)]
        if not socket_mode:
            wanted.append(("SLACK_SIGNING_SECRET", self.slack_signing_secret))
        missing = [name for name, value in wanted if value is None]
        if missing or self.slack_bot_token is None:
            raise SettingsError(
                f"{' and '.join(missing)} must be set to serve Slack (see .env.example)"
            )
        return self.slack_bot_token, self.slack_signing_secret
