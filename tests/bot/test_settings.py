"""Settings from the environment: values, defaults, errors naming the variable, secrets.

Each test hands ``Settings.from_env`` its own mapping (one reads the real ``os.environ``
through monkeypatch), so nothing depends on the shell the tests run in.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest

from bot.settings import Secret, Settings, SettingsError, default_db_path

BOT_TOKEN = "xoxb-1111-bot-token-value"
SIGNING = "signing-secret-2222"
APP_TOKEN = "xapp-3333-app-token"
AUTH = "Bearer export-auth-4444"
DB_PASSWORD = "pg-pass-5555"
DATABASE_URL = f"postgresql://bot:{DB_PASSWORD}@db.internal:5432/deals"
SECRETS = (BOT_TOKEN, SIGNING, APP_TOKEN, AUTH, DB_PASSWORD)

FULL_ENV = {
    "SLACK_BOT_TOKEN": BOT_TOKEN,
    "SLACK_SIGNING_SECRET": SIGNING,
    "SLACK_APP_TOKEN": APP_TOKEN,
    "SLACK_API_URL": "http://127.0.0.1:9999/api",
    "PORT": "8080",
    "DEALNUDGE_SOURCE": "https://crm.example/export.zip",
    "DEALNUDGE_SOURCE_AUTH": AUTH,
    "DEALNUDGE_SOURCE_DEADLINE": "12.5",
    "DEALNUDGE_MAPPING": "/etc/dealnudge/mapping.toml",
    "DEALNUDGE_CONFIG": "/etc/dealnudge/dealnudge.toml",
    "DEALNUDGE_DB": "/var/lib/dealnudge/state.json",
    "DATABASE_URL": DATABASE_URL,
    "DEALNUDGE_PG_SCHEMA": "nudges",
    "DEALNUDGE_LOG_LEVEL": "debug",
    "DEALNUDGE_TIMEZONE": "Europe/Berlin",
}


def test_every_value_is_read_from_the_environment() -> None:
    """Each variable lands in its field, typed; secrets wrapped; the API URL gets its '/'."""
    s = Settings.from_env(FULL_ENV)
    assert s.slack_bot_token == Secret(BOT_TOKEN)
    assert s.slack_signing_secret == Secret(SIGNING)
    assert s.slack_app_token == Secret(APP_TOKEN)
    assert s.source_auth_header == Secret(AUTH)
    assert s.database_url == Secret(DATABASE_URL)
    assert s.slack_api_url == "http://127.0.0.1:9999/api/"
    assert s.port == 8080
    assert s.source == "https://crm.example/export.zip"
    assert s.source_deadline == 12.5
    assert s.mapping == Path("/etc/dealnudge/mapping.toml")
    assert s.config_path == Path("/etc/dealnudge/dealnudge.toml")
    assert s.db_path == Path("/var/lib/dealnudge/state.json")
    assert s.pg_schema == "nudges"
    assert s.log_level == "DEBUG"
    assert s.timezone == "Europe/Berlin"


def test_an_empty_environment_gives_the_defaults() -> None:
    """Nothing set: no secrets, port 3000, INFO, UTC, a 60 s deadline, state under HOME."""
    s = Settings.from_env({"HOME": "/home/rep"})
    assert s == Settings(db_path=Path("/home/rep/.local/share/dealnudge/state.json"))
    assert (s.port, s.log_level, s.timezone, s.source_deadline) == (3000, "INFO", "UTC", 60.0)
    assert s.slack_bot_token is None and s.database_url is None and s.source is None
    assert s.pg_schema == "dealnudge"


def test_blank_values_count_as_unset() -> None:
    """Whitespace-only variables are treated as not set, never as a secret of spaces."""
    blank = {name: "  " for name in FULL_ENV} | {"HOME": "/home/rep"}
    s = Settings.from_env(blank)
    assert s.slack_bot_token is None and s.slack_signing_secret is None
    assert s.database_url is None and s.source is None and s.mapping is None
    assert (s.port, s.log_level, s.timezone, s.pg_schema) == (3000, "INFO", "UTC", "dealnudge")


def test_values_are_stripped_and_paths_expanded() -> None:
    """Surrounding spaces are dropped and "~" in paths is expanded."""
    s = Settings.from_env(
        {
            "HOME": "/home/rep",
            "SLACK_BOT_TOKEN": f"  {BOT_TOKEN}\n",
            "PORT": " 4000 ",
            "DEALNUDGE_CONFIG": "~/dealnudge.toml",
            "DEALNUDGE_DB": "~/state/dealnudge.json",
        }
    )
    assert s.slack_bot_token == Secret(BOT_TOKEN)
    assert s.port == 4000
    assert s.config_path == Path.home() / "dealnudge.toml"
    assert s.db_path == Path.home() / "state" / "dealnudge.json"


def test_from_env_without_a_mapping_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings.from_env() reads the process environment."""
    monkeypatch.setenv("PORT", "5123")
    monkeypatch.setenv("DEALNUDGE_TIMEZONE", "Asia/Tokyo")
    monkeypatch.setenv("DEALNUDGE_DB", "/tmp/dealnudge-test-state.json")
    s = Settings.from_env()
    assert s.port == 5123 and s.timezone == "Asia/Tokyo"
    assert s.db_path == Path("/tmp/dealnudge-test-state.json")


@pytest.mark.parametrize(
    ("env", "db_path"),
    [
        ({"DEALNUDGE_DB": "/data/s.json", "XDG_DATA_HOME": "/xdg", "HOME": "/h"}, "/data/s.json"),
        ({"XDG_DATA_HOME": "/xdg", "HOME": "/h"}, "/xdg/dealnudge/state.json"),
        ({"HOME": "/h"}, "/h/.local/share/dealnudge/state.json"),
        ({"DEALNUDGE_DB": "", "XDG_DATA_HOME": "", "HOME": "/h"},
         "/h/.local/share/dealnudge/state.json"),
    ],
)  # fmt: skip
def test_the_state_file_is_never_the_working_tree(env: dict[str, str], db_path: str) -> None:
    """DEALNUDGE_DB, else $XDG_DATA_HOME/dealnudge, else ~/.local/share/dealnudge."""
    assert default_db_path(env) == Path(db_path)
    assert Settings.from_env(env).db_path == Path(db_path)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "http"),
        ("PORT", "0"),
        ("PORT", "65536"),
        ("PORT", "-1"),
        ("PORT", "80.5"),
        ("DEALNUDGE_LOG_LEVEL", "verbose"),
        ("DEALNUDGE_LOG_LEVEL", "CRITICAL"),
        ("DEALNUDGE_SOURCE_DEADLINE", "soon"),
        ("DEALNUDGE_SOURCE_DEADLINE", "0.5"),
        ("DEALNUDGE_SOURCE_DEADLINE", "3601"),
        ("DEALNUDGE_SOURCE_DEADLINE", "nan"),
    ],
)
def test_a_bad_value_is_an_error_naming_the_variable_and_value(name: str, value: str) -> None:
    """A malformed variable raises SettingsError saying which variable and what it was."""
    with pytest.raises(SettingsError) as err:
        Settings.from_env({"HOME": "/h", name: value})
    message = str(err.value)
    assert message.startswith(name + " must be")
    assert repr(value.upper() if name == "DEALNUDGE_LOG_LEVEL" else value) in message


def test_a_port_of_digit_like_characters_is_an_error_naming_port() -> None:
    """PORT="²" (a digit to str.isdigit, not to int) is a SettingsError naming PORT."""
    with pytest.raises(SettingsError, match=r"^PORT must be"):
        Settings.from_env({"HOME": "/h", "PORT": "\u00b2"})


@pytest.mark.parametrize("port", ["1", "3000", "65535"])
def test_the_port_range_ends_are_accepted(port: str) -> None:
    """1 and 65535 are ports; so is the default."""
    assert Settings.from_env({"HOME": "/h", "PORT": port}).port == int(port)


@pytest.mark.parametrize("deadline", ["1", "3600"])
def test_the_deadline_range_ends_are_accepted(deadline: str) -> None:
    """A download deadline of 1 s and of an hour are both allowed."""
    env = {"HOME": "/h", "DEALNUDGE_SOURCE_DEADLINE": deadline}
    assert Settings.from_env(env).source_deadline == float(deadline)


def test_a_non_postgres_database_url_is_named_without_echoing_it() -> None:
    """DATABASE_URL that is not postgres:// is refused; the message keeps its password out."""
    with pytest.raises(SettingsError) as err:
        Settings.from_env({"HOME": "/h", "DATABASE_URL": f"mysql://bot:{DB_PASSWORD}@db/x"})
    assert str(err.value).startswith("DATABASE_URL must be a PostgreSQL URL")
    assert DB_PASSWORD not in str(err.value)


def test_both_postgres_url_schemes_are_accepted() -> None:
    """postgres:// and postgresql:// are both PostgreSQL URLs."""
    for url in ("postgres://u@h/db", "postgresql://u@h/db"):
        settings = Settings.from_env({"HOME": "/h", "DATABASE_URL": url})
        assert settings.database_url == Secret(url)


def test_secrets_never_show_in_repr_str_or_format() -> None:
    """repr, str, f-strings and str.format of Settings and of a Secret are masked."""
    s = Settings.from_env(FULL_ENV)
    token = s.slack_bot_token
    assert token is not None
    shown = [repr(s), str(s), f"{s}", f"{s!r}", format(s), repr(token), str(token)]
    shown += [f"{token}", f"{token!r}", format(token), repr(dataclasses.replace(s, port=1))]
    for text in shown:
        for secret in SECRETS:
            assert secret not in text, text
    assert "Secret('***')" in repr(s)
    assert token.value == BOT_TOKEN  # still there for the code that needs it


def test_secrets_never_show_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Logging the settings, or one secret, writes only masks."""
    s = Settings.from_env(FULL_ENV)
    log = logging.getLogger("dealnudge.test_settings")
    with caplog.at_level(logging.DEBUG, logger="dealnudge.test_settings"):
        log.info("settings: %s", s)
        log.info("settings: %r", s)
        log.warning("token %s auth %r", s.slack_bot_token, s.source_auth_header)
    text = caplog.text
    assert len(caplog.records) == 3
    for secret in SECRETS:
        assert secret not in text
    assert "***" in text


def test_require_slack_names_what_is_missing() -> None:
    """HTTP mode needs the token and signing secret; the error names each one missing."""
    with pytest.raises(SettingsError, match=r"^SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET must"):
        Settings().require_slack()
    with pytest.raises(SettingsError, match=r"^SLACK_SIGNING_SECRET must be set"):
        Settings(slack_bot_token=Secret(BOT_TOKEN)).require_slack()
    with pytest.raises(SettingsError, match=r"^SLACK_BOT_TOKEN must be set"):
        Settings(slack_signing_secret=Secret(SIGNING)).require_slack()


def test_require_slack_returns_the_secrets() -> None:
    """With both set, HTTP mode gets the token and the signing secret."""
    s = Settings.from_env(FULL_ENV)
    assert s.require_slack() == (Secret(BOT_TOKEN), Secret(SIGNING))


def test_socket_mode_needs_only_the_bot_token() -> None:
    """Socket Mode: no signing secret needed; still no token is an error naming it."""
    token = Secret(BOT_TOKEN)
    assert Settings(slack_bot_token=token).require_slack(socket_mode=True) == (token, None)
    with pytest.raises(SettingsError) as err:
        Settings().require_slack(socket_mode=True)
    assert str(err.value).startswith("SLACK_BOT_TOKEN must be set")
    assert "SIGNING" not in str(err.value)
