"""The app's sections of dealnudge.toml: every mistake named with its place, or read."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.appconfig import app_config_from_dict, export_mapping, load_app_config
from rules.config import ConfigError


def read(data: dict[str, object]) -> object:
    return app_config_from_dict(data, "team.toml")


def test_the_shipped_defaults_read() -> None:
    config = load_app_config(None)
    assert config.nudges.max_deals == 3 and config.slack.admins == ()
    assert config.schedules.nudge_cron_for("anyone") == "0 9 * * mon-fri"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"nudges": {"max_deal": 5}}, r"team.toml: \[nudges\]: unknown key 'max_deal' \(did you "
         r"mean 'max_deals'\?\); allowed: cooldown_days, max_deals, questions_per_finding"),
        ({"nudges": {"max_deals": "5"}}, r"\[nudges\] max_deals must be int \(like 3\), not '5'"),
        ({"nudges": {"max_deals": True}}, r"\[nudges\] max_deals must be int"),
        ({"privacy": {"deal_details_in_channels": "yes"}}, r"must be bool \(like False\)"),
        ({"slack": {"admins": "U1"}}, r"\[slack\] admins must be a list of strings"),
        ({"slack": {"admins": ["U1", 2]}}, r"\[slack\] admins must be a list of strings"),
        ({"slack": ["U1"]}, r"\[slack\] must be a table"),
        ({"schedules": {"nudge_cron": "0 9 * *"}}, r"nudge_cron = '0 9 \* \*': needs 5 fields"),
        ({"schedules": {"holidays": ["25/12/2026"]}}, r"'25/12/2026' is not a date"),
        ({"schedules": {"refresh_minutes": 0}}, r"refresh_minutes must be at least 1"),
        ({"schedules": {"teams": {"emea": {"nudge_cron": "0 8 * * *"}}}},
         r"\[schedules.teams.emea\]: no team 'emea' in \[teams\]"),
        ({"people": {"dana@x.com": 7}}, r"\[people\] maps CRM owner ids or emails to Slack ids"),
        ({"nudgez": {}}, r"unknown key 'nudgez' \(did you mean 'nudges'\?\)"),
    ],
)  # fmt: skip
def test_a_mistake_is_named_with_its_place(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        read(data)


def test_values_are_read_as_their_fields_type() -> None:
    config = app_config_from_dict(
        {
            "slack": {"admins": ["U1", "dana@x.com"], "admin_channel": "C9"},
            "teams": {"emea": {"members": ["dana@x.com"]}},
            "schedules": {"teams": {"emea": {"digest_cron": "0 7 * * mon"}}},
            "people": {"Dana@X.com": "U2"},
        }
    )
    assert config.slack.admins == ("U1", "dana@x.com")  # a tuple, as the field's default
    assert config.is_admin("u1") and config.is_admin("U5", email="DANA@x.com")
    assert config.schedules.digest_cron_for("emea") == "0 7 * * mon"
    assert config.schedules.digest_cron_for("other") == "0 8 * * mon"
    assert config.people == {"dana@x.com": "U2"}


def test_a_mapping_file_is_relative_to_the_config_and_the_environment_wins(
    tmp_path: Path,
) -> None:
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "dealnudge.toml"
    path.write_text('[source]\nmapping = "maps/crm.toml"\n', encoding="utf-8")
    config = load_app_config(path)
    assert Path(config.source.mapping) == (tmp_path / "conf" / "maps" / "crm.toml").resolve()
    assert export_mapping(None, config) == Path(config.source.mapping)
    assert export_mapping(tmp_path / "env.toml", config) == tmp_path / "env.toml"


def test_an_unreadable_or_invalid_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"missing.toml: cannot read config"):
        load_app_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[nudges\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.toml: not valid TOML"):
        load_app_config(bad)
