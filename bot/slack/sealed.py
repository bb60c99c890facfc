"""Values the app hands Slack and gets back (a modal's ``private_metadata``), sealed so a
signed but forged request cannot make them say something else.

Slack signs the request, not what is inside it: any workspace member can post a
``view_submission`` with ``private_metadata`` of their choosing. Sealed with an HMAC over
the clicking user's id and the value, a modal's metadata is only ever accepted back from
the user it was opened for, unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

SEP = "."


def key_from(secret: str | None) -> bytes:
    """The sealing key: derived from a secret every process of a deployment shares (the bot
    token), so a modal opened by one web process is accepted by another; random without."""
    if not secret:
        return os.urandom(32)
    return hmac.new(secret.encode(), b"dealnudge private_metadata v1", hashlib.sha256).digest()


def _mac(key: bytes, user_id: str, value: str) -> str:
    digest = hmac.new(key, f"{user_id}\0{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def seal(key: bytes, user_id: str, value: str) -> str:
    return _mac(key, user_id, value) + SEP + value


def unseal(key: bytes, user_id: str, sealed: str) -> str:
    """The value sealed for ``user_id``; ``ValueError`` when it was not, or was changed."""
    mac, sep, value = sealed.partition(SEP)
    if not sep or not hmac.compare_digest(mac, _mac(key, user_id, value)):
        raise ValueError("private_metadata was not sealed for this user")
    return value
