"""What the scheduled jobs need from the deployment that runs them.

``bot.runtime.Runtime`` is one; tests and the demo can pass their own. Naming the needs
here keeps delivery from importing the wiring above it.
"""

from __future__ import annotations

from typing import Protocol

from slack_sdk import WebClient

from bot.appconfig import AppConfig
from bot.ingest.crm.base import Connector
from bot.services import Services
from bot.settings import Settings
from bot.state import Adjustment


class Host(Protocol):
    settings: Settings
    config: AppConfig
    sender: WebClient  # scheduled sends: no blind retries
    ticked_early: bool  # a send tick came before the first export was in
    writeback_alerted: set[str]  # write-back failures the admins were told of

    @property
    def crm_writer(self) -> Connector | None:
        """The CRM connector write-back uses (None: the export is not pulled from a CRM)."""

    @property
    def deps(self) -> Services: ...

    def refresh(self, *, force: bool = False) -> bool: ...

    def review_feedback(self) -> list[Adjustment]: ...
