"""Telling the admins something is wrong: their channel, else each admin by DM."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.appconfig import AppConfig
from bot.services import Services
from bot.slack import blocks

log = logging.getLogger("dealnudge")


def alert_admins(deps: Services, config: AppConfig, summary: str, text: str) -> None:
    """Tell the admins (their channel, else each admin by DM); never raises. ``summary``
    (the notification) is the app's own words; ``text`` is mrkdwn whose CRM and error text
    went through ``blocks.escape``, shown in a verbatim block."""
    targets: list[str] = [config.slack.admin_channel] if config.slack.admin_channel else []
    if not targets:
        for admin in config.slack.admins:
            if "@" in admin:
                user = deps.people.lookup_email(admin)
                if user:
                    targets.append(user)
            else:
                targets.append(admin)
    if not targets:
        log.warning("no admins configured ([slack] admins in dealnudge.toml) to tell: %s", text)
    for target in targets:
        try:
            deps.client.chat_postMessage(
                channel=target, text=summary, blocks=blocks.alert_blocks(text)
            )
        except SlackApiError as exc:
            log.warning("could not alert admin %s: %s", target, exc.response.get("error"))
        except Exception as exc:  # the network: an alert must never take the bot down
            log.warning("could not alert admin %s: %s", target, type(exc).__name__)
