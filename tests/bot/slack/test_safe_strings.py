"""Every string the app can send to Slack is safe, whatever the CRM (or a user) put in it.

One export where every text field a Slack surface can show holds hostile values, then every
Slack call the app can make: nudge DMs, manager and channel digests, `/deal` (list, one
deal, pick list, no match, help, link/unlink, an @mention), every button (Show, I'll ask
this, Another question, Snooze and Not accurate: open and submit, in an ephemeral reply, in
a DM and from the Home tab), App Home for a rep and a manager, and admin alerts. Every
payload Slack received (Web API calls, response_url posts) and every answer given in an
HTTP ack is then walked, every string in it checked: nothing broadcasts, links, formats or
reorders text.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support.slack_harness import ADMIN, PEOPLE, SECRET, Harness, button, running_app, shown, user
from support.slack_requests import block_actions_payload, post_action

from bot.delivery.jobs import plan_digests, plan_nudges, send_digests, send_nudges
from bot.delivery.scheduler import people_job
from bot.slack import blocks
from bot.slack.errors import report_storage
from bot.tools.demo import demo_export_dir
from rules.questions import Question

JsonDict = dict[str, Any]

# One of each: broadcasts, links (explicit and bare), a channel, a mention, markup, an
# entity, and the invisible characters (bidi override and isolate, zero-width, BOM) first,
# so that fields clipped short still carry them.
HOSTILE = (
    "\u202eesrever\u202c \u2066iso\u2069 z\u200bw\ufeff <!here> @everyone <!channel> "
    "<https://evil.example|click> https://evil.example/x www.evil.example #general "
    "<@U999> *bold* _italic_ &lt;"
)
GHOST_OWNER = "005HOSTILE00000001"  # an owner of an open deal no Slack user matches
DIGEST_CHANNEL = "C0DIGEST"
CONFIG = f'[slack]\nadmins = ["{ADMIN}"]\ndigest_channel = "{DIGEST_CHANNEL}"\n'
QUESTION = Question("gq-01", "gone-quiet", "timing", "Why now?", "")

# What each CSV field becomes: names lead with one hostile value (a different one per row, so
# a greeting's or a question's first name is hostile too) and the whole hostile text, so
# fields clipped short keep it; stages, subjects, notes and titles end with it (so "RE:"
# replies and lexicon words still read as before); empty fields stay empty.
TOKENS = HOSTILE.split(" ")
PREFIX = {
    "Opportunity.csv": ("Name",),
    "Account.csv": ("Name",),
    "User.csv": ("Name", "FirstName", "LastName"),
    "Contact.csv": ("FirstName", "LastName", "Name"),
}
SUFFIX = {
    "Opportunity.csv": ("StageName", "NextStep"),
    "OpportunityHistory.csv": ("StageName",),
    "Contact.csv": ("Title",),
    "Task.csv": ("Subject", "Description"),
    "Event.csv": ("Subject", "Description", "Location"),
}


def _rewrite(path: Path, change: Callable[[list[dict[str, str]]], None]) -> None:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)


def hostile_export(tmp_path: Path) -> Path:
    folder = tmp_path / "hostile"
    shutil.copytree(demo_export_dir(), folder)
    for name in sorted({*PREFIX, *SUFFIX}):

        def change(rows: list[dict[str, str]], name: str = name) -> None:
            for i, row in enumerate(rows):
                for col in PREFIX.get(name, ()):
                    row[col] = f"{TOKENS[i % len(TOKENS)]} {HOSTILE} {row[col]}"
                for col in SUFFIX.get(name, ()):
                    if row[col]:
                        row[col] = f"{row[col]} {HOSTILE}"
            if name == "User.csv":
                ghost = dict(rows[-1], Id=GHOST_OWNER, Email="ghost@nowhere.example")
                rows.append(ghost | {"Name": f"{HOSTILE} Ghost", "FirstName": HOSTILE})
            if name == "Opportunity.csv":
                deal = next(r for r in rows if r["IsClosed"] == "false")
                rows.append(deal | {"Id": "006HOSTILE00000001", "OwnerId": GHOST_OWNER})

        _rewrite(folder / name, change)
    return folder


# ---------------------------------------------------------------- what Slack received


@dataclass
class Walk:
    """The running app, and every answer it gave in an HTTP ack (not a call to Slack)."""

    app: Harness
    acks: list[JsonDict] = field(default_factory=list)

    def settle(self, quiet: float = 0.4, timeout: float = 15.0) -> None:
        """Wait until the app stops calling Slack (work after the ack runs on workers)."""
        deadline = time.monotonic() + timeout
        seen, since = len(self.app.fake.calls), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = len(self.app.fake.calls)
            if now != seen:
                seen, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return

    def acked(self, resp: Any) -> None:
        assert resp.status_code == 200, resp.text
        if resp.content:
            self.acks.append(resp.json())

    def command(self, who: str, text: str) -> JsonDict:
        reply = self.app.command(user(who) if who in PEOPLE else who, text)
        self.acks.append(reply)  # from the ack, or a copy of the response_url post
        return reply

    def open_modal(self, click: Callable[[], Any], method: str = "views.open") -> JsonDict:
        before = len(self.app.fake.calls_to(method))
        self.acked(click())
        call = self.app.fake.wait_for(method, count=before + 1)[before]
        view: JsonDict = call.json_param("view")
        return view | {"id": (call.response.get("view") or {}).get("id", "VPUSHED")}

    def submit(self, who: str, modal: JsonDict, values: JsonDict) -> None:
        self.acked(self.app.submit(user(who), modal, values))


SNOOZE_VALUES = {
    "snooze_for": {"choice": {"type": "radio_buttons", "selected_option": {"value": "1w"}}},
    "snooze_until": {"date": {"type": "datepicker", "selected_date": None}},
    "snooze_reason": {"reason": {"type": "static_select", "selected_option": {"value": "other"}}},
    "snooze_note": {"note": {"type": "plain_text_input", "value": HOSTILE}},
}
WRONG_VALUES = {
    "wrong_reason": {"reason": {"type": "static_select", "selected_option": {"value": "other"}}},
    "wrong_note": {"note": {"type": "plain_text_input", "value": HOSTILE}},
}


def drive_everything(w: Walk) -> None:
    app = w.app
    deps, runtime = app.deps, app.runtime
    snap = deps.snapshots.current
    assert snap is not None

    # Scheduled sends: every rep's nudge, every manager's digest and the channel digest.
    plans, _ = plan_nudges(deps, snap, deps.clock())
    assert send_nudges(deps, runtime.sender, plans).sent
    digests, _ = plan_digests(deps, snap, deps.clock())
    assert any(p.channel == DIGEST_CHANNEL for p in digests)
    assert send_digests(deps, runtime.sender, digests).sent

    # /deal: help, the caller's list, one deal, a pick list, no match (queries are hostile).
    w.command("jordan", "help")
    listed = w.command("jordan", "")
    one = w.command("jordan", "bellweather")
    assert len(w.command("jordan", HOSTILE)["blocks"]) > 2  # matches all: a pick list
    w.command("jordan", f"zzqxnothing {HOSTILE}")
    w.command(ADMIN, "crestline")  # Hannah's deal, which has a next step
    w.command("jordan", f"link {HOSTILE}")  # names no single deal

    # Deal rooms: linked, taken over (the linker is told), unlinked, linked again.
    w.command("jordan", "link bellweather")
    w.command("luis", "link quarry ridge")
    w.command("luis", "unlink")
    w.command("jordan", "link bellweather")

    # Buttons in an ephemeral /deal reply.
    for i in range(len([b for b in listed["blocks"] if b.get("accessory")])):
        w.acks.append(app.click_reply(user("jordan"), listed["blocks"], "deal_show", i))
    message = one["blocks"]
    w.acks.append(app.click_reply(user("jordan"), message, "nudge_ask"))
    w.acks.append(app.click_reply(user("jordan"), message, "nudge_another"))
    modal = w.open_modal(lambda: app.click(user("jordan"), message, "nudge_snooze")[0])
    w.submit("jordan", modal, SNOOZE_VALUES)
    w.settle()
    message = w.command("jordan", "bellweather")["blocks"]
    modal = w.open_modal(lambda: app.click(user("jordan"), message, "nudge_wrong")[0])
    w.submit("jordan", modal, WRONG_VALUES)

    # Buttons in Jordan's nudge DM (a real message: edited with chat.update).
    dm = next(
        c
        for c in app.fake.calls_to("chat.postMessage")
        if c.params["channel"] == user("jordan") and c.json_param("blocks")
    )
    dm_blocks = dm.json_param("blocks")
    message = {"type": "message", "ts": dm.response["ts"], "blocks": dm_blocks}

    def dm_click(action: str) -> Any:
        value, block_id = button(dm_blocks, action)
        _name, url = app.reply_url()
        payload = block_actions_payload(
            user("jordan"), action, value, message=message, response_url=url,
            channel_id=dm.response["channel"], block_id=block_id,
        )  # fmt: skip
        return post_action(app.url, SECRET, payload)

    w.acked(dm_click("nudge_another"))
    modal = w.open_modal(lambda: dm_click("nudge_wrong"))
    w.submit("jordan", modal, WRONG_VALUES)
    w.settle()
    modal = w.open_modal(lambda: dm_click("nudge_snooze"))
    w.submit("jordan", modal, SNOOZE_VALUES)

    # App Home: a rep (with the snoozes just made) and a manager; buttons from the Home tab
    # open the deal in a modal, whose buttons then work in it.
    for who in ("jordan", "luis"):
        w.acked(app.event({"type": "app_home_opened", "user": user(who), "tab": "home"}))
    w.settle()
    home = app.last("views.publish").json_param("view") | {"id": "VHOME1"}
    shown = w.open_modal(lambda: app.click_in_view(user("luis"), home, "deal_show"))
    w.acked(app.click_in_view(user("luis"), shown, "nudge_another"))
    w.acked(app.click_in_view(user("luis"), shown, "nudge_ask"))
    modal = w.open_modal(  # stacked on the deal's modal
        lambda: app.click_in_view(user("luis"), shown, "nudge_snooze"), "views.push"
    )
    w.submit("luis", modal, SNOOZE_VALUES)

    # An @mention (answered with chat.postEphemeral).
    mention = {"type": "app_mention", "user": user("jordan"), "channel": "C0SALES",
               "text": f"<@U0FAKEBOT> {HOSTILE}", "ts": "1700000000.000200"}  # fmt: skip
    w.acked(app.event(mention))

    # Admin alerts: an owner without a Slack match, a storage failure, a broken export.
    people_job(runtime)
    report_storage(deps, OSError(f"cannot write {HOSTILE}"))
    source = Path(runtime.settings.source or "")
    (source / "Opportunity.csv").write_text(f'"Id","{HOSTILE}"\n"1","{HOSTILE}"\n')
    runtime.refresh()
    w.settle()


# ---------------------------------------------------------------- the checks

BROADCAST = re.compile(r"<!(?:here|channel|everyone)|@(?:here|channel|everyone)\b", re.I)
# Link syntax Slack renders: only the app's own mentions of real ids may appear.
LINK_SYNTAX = re.compile(r"<(?:https?:|mailto:|#(?!C[A-Z0-9]+>)|@(?!U[A-Z0-9]+>)|@U999|!)")
# In mrkdwn every other "<" must be an entity: the app's own mentions are the only syntax.
RAW_ANGLE = re.compile(r"<(?!@U[A-Z0-9]+>|#C[A-Z0-9]+>)")
# What Slack links by itself in mrkdwn without verbatim (the hostile values' own forms).
BARE_LINKS = ("://", "www.evil", "evil.example", "#general", "@U999")
MARKUP = ("*bold*", "_italic_")
WORD_JOINER = "\u2060"  # what escaping itself puts after "@" (and in links) to defuse them


def invisible(text: str) -> set[str]:
    """Bidi controls and zero-width / format characters (the word joiner is ours)."""
    return {
        f"U+{ord(c):04X}"
        for c in text
        if c != WORD_JOINER and (unicodedata.category(c) == "Cf" or 0x202A <= ord(c) <= 0x202E)
    }


@dataclass(frozen=True)
class Text:
    where: str
    value: str
    mrkdwn: bool = False  # Slack renders markup in it (top-level text, mrkdwn objects)
    linkable: bool = False  # and auto-links it (top-level text, mrkdwn without verbatim)


def strings(node: Any, where: str, top: bool = False) -> Iterator[Text]:
    """Every string in a payload, JSON strings (form-encoded bodies) decoded too."""
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn" and "text" in node:
            verbatim = node.get("verbatim") is True
            yield Text(f"{where}.mrkdwn", str(node["text"]), True, not verbatim)
        for key, value in node.items():
            if top and key == "text" and isinstance(value, str):
                yield Text(f"{where}.text", value, True, True)
            elif not (key == "text" and node.get("type") == "mrkdwn"):
                yield from strings(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from strings(item, f"{where}[{i}]")
    elif isinstance(node, str):
        if node[:1] in ("[", "{"):
            try:
                decoded = json.loads(node)
            except ValueError:
                decoded = None
            if isinstance(decoded, dict | list):
                yield from strings(decoded, where)
                return
        yield Text(where, node)


def problems(t: Text) -> list[str]:
    out = []
    if BROADCAST.search(t.value):
        out.append("broadcast")
    if LINK_SYNTAX.search(t.value):
        out.append("link syntax")
    if t.mrkdwn and RAW_ANGLE.search(t.value):
        out.append("raw '<'")
    if t.linkable:
        out += [f"bare {b!r}" for b in BARE_LINKS if b in t.value]
    out += [f"markup {m!r}" for m in MARKUP if m in t.value]
    out += sorted(invisible(t.value))
    return out


def payloads(w: Walk) -> list[tuple[str, JsonDict]]:
    """(method, payload) of every call Slack received, and every ack answer."""
    return [(c.method, c.params) for c in w.app.fake.calls] + [("ack", a) for a in w.acks]


def test_every_string_sent_to_slack_is_inert(tmp_path: Path) -> None:
    with running_app(tmp_path, config_text=CONFIG, source=hostile_export(tmp_path)) as app:
        w = Walk(app)
        drive_everything(w)
        sent = payloads(w)

    bad: list[str] = []
    verbatim_missing: list[str] = []
    reached: dict[str, int] = {}  # method -> strings carrying (neutralised) CRM text
    for i, (method, params) in enumerate(sent):
        for t in strings(params, f"{method}#{i}", top=True):
            found = problems(t)
            if found:
                bad.append(f"{t.where}: {', '.join(found)}: {t.value[:160]!r}")
            if t.where.endswith(".mrkdwn") and t.linkable:
                verbatim_missing.append(t.where)
            if "evil" in t.value:
                reached[method] = reached.get(method, 0) + 1
    assert not bad, f"{len(bad)} unsafe strings reached Slack:\n" + "\n".join(bad[:40])
    assert not verbatim_missing, f"mrkdwn without verbatim: {verbatim_missing[:20]}"

    # Not vacuous: every surface was reached, with the hostile text in it.
    methods = {m for m, _ in sent}
    wanted = {"chat.postMessage", "chat.postEphemeral", "chat.update", "response_url",
              "views.open", "views.update", "views.publish", "ack"}  # fmt: skip
    assert wanted <= methods, wanted - methods
    assert wanted <= set(reached), wanted - set(reached)
    top_level = [p["text"] for _, p in sent if "evil" in str(p.get("text", ""))]
    assert len(top_level) >= 5, top_level  # fallback texts carried CRM text, neutralised
    admin = [p for m, p in sent if m == "chat.postMessage" and p.get("channel") == ADMIN]
    assert len(admin) >= 3 and all("esrever" in str(p) for p in admin), admin
    assert any(p.get("channel") == DIGEST_CHANNEL for m, p in sent if m == "chat.postMessage")
    assert any(m == "chat.postMessage" and p.get("channel") == "C1" for m, p in sent)  # room


def test_an_export_error_alert_links_nothing(tmp_path: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(demo_export_dir(), export)
    with running_app(tmp_path, source=export) as app:
        (export / "Opportunity.csv").write_text('"Id","https://evil.example/x #general"\n"1","x"\n')
        app.runtime.refresh()
        (alert,) = app.fake.wait_for(
            "chat.postMessage", where=lambda c: c.params.get("channel") == ADMIN
        )
    assert "evil" in shown(alert)
    assert [p for t in strings(alert.params, "alert", top=True) for p in problems(t)] == []


def test_the_hostile_export_really_is_hostile(tmp_path: Path) -> None:
    """The walk above is only as good as its export: the fields keep every hostile value."""
    from bot.ingest.loader import load_export

    pipeline = load_export([hostile_export(tmp_path)]).pipeline
    deal = pipeline.deal_index["006DEMO00000000002"]  # Crestline
    assert HOSTILE in deal.name and HOSTILE in deal.account
    assert deal.stage.endswith(HOSTILE) and deal.next_step.endswith(HOSTILE)
    assert HOSTILE in pipeline.owner_index[deal.owner_id].name
    assert {c.first_name for c in pipeline.contacts} >= set(TOKENS)
    assert all(HOSTILE in c.name and c.title.endswith(HOSTILE) for c in pipeline.contacts)
    assert any(a.subject.endswith(HOSTILE) and a.body.endswith(HOSTILE)
               for a in pipeline.activities)  # fmt: skip


def test_one_escaping_path_drops_invisibles_and_fallback_text_links_nothing() -> None:
    for clean in (blocks.escape, blocks.plain, blocks.fallback_text):
        out = clean(HOSTILE, 3000)
        assert invisible(out) == set() and "esrever" in out
        assert "@\u2060everyone" in out and not BROADCAST.search(out)
    assert blocks.escape("a\u200b\u200bb \u202e\u2060c\x00\x9b") == "ab c"
    # Blocks are verbatim, so escape() leaves a URL as text; top-level text gets joiners.
    assert "https://evil.example/x" in blocks.escape(HOSTILE)
    fallback = blocks.fallback_text(HOSTILE)
    assert [b for b in BARE_LINKS if b in fallback] == [] and not RAW_ANGLE.search(fallback)
    assert blocks.fallback_text("Jordan Blake, $48,000") == "Jordan Blake, $48,000"


def test_blocks_slack_sends_back_are_sent_again_verbatim() -> None:
    """A click's message comes back from Slack; what the app re-sends of it stays verbatim."""
    came_back = [
        {"type": "section", "text": {"type": "mrkdwn", "text": "www.x.example", "verbatim": False}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "#general"}]},
    ]
    for new in (
        blocks.mark_item(came_back, "006X", "gone-quiet", "noted"),
        blocks.replace_question(came_back, "006X", "gone-quiet", (QUESTION, "Why now?")),
    ):
        texts = [t for b in new for t in strings(b, "b") if t.mrkdwn]
        assert texts and all(not t.linkable for t in texts)
    assert came_back[0]["text"]["verbatim"] is False  # a copy: the input is untouched
