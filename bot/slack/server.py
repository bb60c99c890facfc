"""Serving the app: HTTP (waitress, a production WSGI server) or Socket Mode.

The WSGI layer is ours, not Bolt's development server: it bounds request bodies, answers
``/healthz`` and routes ``POST /slack/events`` to ``App.dispatch``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.request import BoltRequest

from bot.analysis.snapshot import SnapshotHolder

log = logging.getLogger("dealnudge.server")
MAX_BODY = 1024 * 1024  # Slack's payloads are far smaller; anything bigger is not Slack
EVENTS_PATH = "/slack/events"

StartResponse = Callable[..., Any]
Environ = dict[str, Any]


def wsgi_app(
    app: App, snapshots: SnapshotHolder
) -> Callable[[Environ, StartResponse], Iterable[bytes]]:
    def application(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            return _health(snapshots, start_response)
        if path != EVENTS_PATH:
            return _plain(start_response, 404, "not found")
        if method != "POST":
            return _plain(start_response, 405, "POST only")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _plain(start_response, 400, "bad content length")
        if length > MAX_BODY:
            return _plain(start_response, 413, "request too large")
        body = (
            environ["wsgi.input"].read(length).decode("utf-8", errors="replace") if length else ""
        )
        problem = _malformed(body, str(environ.get("CONTENT_TYPE") or ""))
        if problem:
            return _plain(start_response, 400, problem)
        headers = {
            k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        try:
            response = app.dispatch(
                BoltRequest(body=body, query=environ.get("QUERY_STRING", ""), headers=headers)
            )
        except Exception:  # never a traceback in a response; the log has it
            log.exception("request to %s failed", EVENTS_PATH)
            return _plain(start_response, 500, "internal error")
        payload = response.body.encode("utf-8") if isinstance(response.body, str) else b""
        out_headers = [
            (k, v)
            for k, vs in response.headers.items()
            for v in (vs if isinstance(vs, list) else [vs])
        ]
        if not any(k.lower() == "content-length" for k, _ in out_headers):
            out_headers.append(("Content-Length", str(len(payload))))
        start_response(f"{response.status} {_reason(response.status)}", out_headers)
        return [payload]

    return application


def _malformed(body: str, content_type: str) -> str:
    """Why a body is not something Slack sends ("" when it may be): Bolt would crash on it."""
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            parsed = json.loads(body)
        except ValueError:
            return "body is not JSON"
        return "" if isinstance(parsed, dict) else "JSON body must be an object"
    if kind == "application/x-www-form-urlencoded" and body.startswith("payload="):
        from urllib.parse import parse_qs

        try:
            payload = json.loads(parse_qs(body).get("payload", [""])[0])
        except ValueError:
            return "payload is not JSON"
        return "" if isinstance(payload, dict) else "payload must be a JSON object"
    return ""


def _health(snapshots: SnapshotHolder, start_response: StartResponse) -> Iterable[bytes]:
    snap = snapshots.current
    ok = snap is not None and not snapshots.draining
    body = {
        "ok": ok,
        "loading": snap is None and not snapshots.last_error,
        "stopping": snapshots.draining,
        "as_of": snap.as_of.isoformat() if snap else None,
        "deals": len(snap.pipeline.deals) if snap else 0,
        "flagged_deals": len(snap.cards) if snap else 0,
        "loaded_at": snapshots.loaded_at.isoformat() if snapshots.loaded_at else None,
        "last_error": snapshots.last_error or None,
    }
    data = json.dumps(body).encode()
    start_response(
        "200 OK" if ok else "503 Service Unavailable",
        [("Content-Type", "application/json"), ("Content-Length", str(len(data)))],
    )
    return [data]


def _plain(start_response: StartResponse, status: int, text: str) -> Iterable[bytes]:
    data = text.encode()
    start_response(
        f"{status} {_reason(status)}",
        [("Content-Type", "text/plain"), ("Content-Length", str(len(data)))],
    )
    return [data]


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def http_server(app: App, snapshots: SnapshotHolder, port: int, host: str = "0.0.0.0") -> Any:
    """A waitress server (a production WSGI server) for the app; ``run()`` serves."""
    import sys

    from waitress import create_server

    # Hand the GIL over every millisecond (default 5): an ack waiting behind answers being
    # built gets its turn sooner.
    sys.setswitchinterval(0.001)
    server = create_server(
        wsgi_app(app, snapshots), host=host, port=port, threads=16, ident="dealnudge"
    )
    log.info("serving Slack requests on http://%s:%d%s (health: /healthz)", host, port, EVENTS_PATH)
    return server


def drain(server: Any, deadline: float) -> None:
    """Stop accepting connections, wait (until ``deadline``) for the requests in flight to
    be answered, then close every connection."""
    import time

    from waitress import wasyncore

    server.accepting = False
    server.pull_trigger()
    dispatcher = server.task_dispatcher
    while time.monotonic() < deadline:
        busy = (
            dispatcher.queue
            or dispatcher.active_count
            or any(
                ch.total_outbufs_len or ch.requests for ch in list(server.active_channels.values())
            )
        )
        if not busy:
            break
        time.sleep(0.02)
    dispatcher.shutdown(cancel_pending=False, timeout=max(0.0, deadline - time.monotonic()))
    wasyncore.close_all(server._map)


def serve_http(app: App, snapshots: SnapshotHolder, port: int, host: str = "0.0.0.0") -> None:
    """Serve until the process is stopped (the benchmarks' server; ``dealnudge serve``
    runs ``http_server`` itself, to stop it gracefully)."""
    http_server(app, snapshots, port, host).run()
