"""The one escaping path: every string from the CRM or a user, made inert for Slack."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping

from bot.slack.blocks.limits import MAX_FALLBACK_TEXT, MAX_HEADER, MAX_SECTION_TEXT

# mrkdwn: entities for the three control characters (so <!channel>, <@U1>, <url|x> are
# inert) and look-alikes for the formatting characters. "_" is not in the tables:
# ``_DELIMITER`` turns it into a look-alike only where it could open or close italics.
_MRKDWN_TABLE: dict[int, str | None] = {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord("*"): "∗",
    ord("~"): "∼",
    ord("`"): "ˋ",
}


# plain_text renders no markup, but the same look-alikes keep raw markup out of every payload.
_PLAIN_TABLE: dict[int, str | None] = {
    ord("<"): "‹",
    ord(">"): "›",
    ord("*"): "∗",
    ord("~"): "∼",
    ord("`"): "ˋ",
}


# Dropped from CRM text before anything else: control characters (Cc), lone surrogates (Cs)
# and format characters (Cf): bidi embeddings, overrides and isolates (U+202A-U+202E,
# U+2066-U+2069, U+061C, U+200E/F, which can make a deal name display reversed), zero-width
# characters (U+200B-U+200D, U+2060-U+2064, U+FEFF, U+180E) and the like. The only Cf
# character that reaches Slack is the word joiner escaping itself inserts below.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs"})


_JOINER = "\u2060"


# An "_" with a letter or digit on both sides (HUBSPOT_TOKEN, q3_renewal.csv) is never a
# delimiter, as Slack italicises only between word boundaries: it stays, so names copy
# cleanly. Any other "_" becomes a look-alike.
_DELIMITER = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_UNDERSCORE_LOOKALIKE = "ˍ"


# "@here" typed as plain text: a word joiner keeps it from ever becoming a broadcast.
_BROADCAST = re.compile(r"@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)


# A message's top-level ``text`` is mrkdwn that Slack auto-links: it takes no ``verbatim``.
# A word joiner in each link-shaped spot keeps CRM text from linking: in a scheme's "://",
# after a dot before a letter or digit (www., bare domains, e-mail addresses) and after
# "#" and "@" (channel names, mentions).
_LINKABLE = re.compile(r":(?=//)|\.(?=\w)|[#@](?=\w)")


_ELLIPSIS = "…"


def escape(text: object, limit: int = MAX_SECTION_TEXT) -> str:
    """CRM text made inert for mrkdwn: entities, look-alikes, one line, at most ``limit``.

    For block text objects, which all carry ``verbatim`` (see ``_md``); a message's
    top-level ``text`` takes ``fallback_text``."""
    return _neutralise(text, limit, _MRKDWN_TABLE)


def fallback_text(text: object, limit: int = MAX_FALLBACK_TEXT) -> str:
    """CRM or user text for a message's top-level ``text`` (its notification): ``escape``,
    and no URL, domain, ``#channel`` or ``@name`` in it is linked (word joiners break them)."""
    return _neutralise(text, limit, _MRKDWN_TABLE, unlink=True)


def plain(text: object, limit: int = MAX_HEADER) -> str:
    """CRM text for a plain_text object: no markup characters, one line, at most ``limit``."""
    return _neutralise(text, limit, _PLAIN_TABLE)


Escaper = Callable[[object, int], str]  # escape, or fallback_text for a top-level text


def _visible(text: str) -> str:
    """``text`` on one line, without the ``_INVISIBLE`` characters."""
    collapsed = " ".join(text.split())
    if collapsed.isprintable():  # the common case, in C
        return collapsed
    kept = "".join(c for c in collapsed if unicodedata.category(c) not in _INVISIBLE)
    return " ".join(kept.split())


def _neutralise(
    text: object, limit: int, table: Mapping[int, str | None], *, unlink: bool = False
) -> str:
    if limit < 1:
        return ""
    raw = str(text)
    # A generous prefix: escaping never shortens visible text, so later characters cannot
    # fit (a text padded with more invisible characters than that is cut short).
    collapsed = _BROADCAST.sub("@" + _JOINER, _visible(raw[: limit * 8 + 64]))
    if unlink:
        collapsed = _LINKABLE.sub(r"\g<0>" + _JOINER, collapsed)
    if "_" in collapsed:
        collapsed = _DELIMITER.sub(_UNDERSCORE_LOOKALIKE, collapsed)
    if len(collapsed) <= limit:  # the common case, in C
        escaped = collapsed.translate(table)
        if len(escaped) <= limit:
            return escaped
    pieces = [table.get(ord(c), c) or "" for c in collapsed[: limit + 1]]
    total = sum(len(p) for p in pieces)
    if total <= limit and len(collapsed) <= limit:
        return "".join(pieces)
    out: list[str] = []
    used = 0
    for p in pieces:  # whole pieces only: an entity is never cut in half
        if used + len(p) > limit - 1:
            break
        out.append(p)
        used += len(p)
    return "".join(out).rstrip() + _ELLIPSIS


def _clip(text: str, limit: int) -> str:
    """Clip our own (already safe) text; cuts only at an entity boundary."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + _ELLIPSIS
