"""ExportSource against local folders and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import io
import os
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from support.export_host import CSV, CSV2, Reply, Server

from bot.ingest.report import ExportError
from bot.ingest.source import ExportSource, SourceError
from bot.settings import Secret


def source(url: str, tmp_path: Path, **kw: object) -> ExportSource:
    options: dict[str, object] = {"timeout": 2.0, "backoff": 0.001}
    options.update(kw)
    return ExportSource(url, cache_dir=tmp_path / "cache", **options)  # type: ignore[arg-type]


def zipped(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


# --- local folders ---
def test_folder_fingerprint_changes_only_when_a_csv_changes(tmp_path: Path) -> None:
    """A folder's fingerprint moves when a CSV changes, not on a re-fetch or a non-CSV file."""
    (tmp_path / "Opportunity.csv").write_bytes(CSV)
    src = ExportSource(str(tmp_path), cache_dir=tmp_path / "cache")
    first = src.fetch()
    assert first.changed and first.paths == (tmp_path / "Opportunity.csv",)
    (tmp_path / "notes.txt").write_text("hello")
    again = src.fetch()
    assert not again.changed and again.fingerprint == first.fingerprint
    (tmp_path / "Opportunity.csv").write_bytes(CSV2 + b"006B,Beta,Closed Won\n")
    edited = src.fetch()
    assert edited.changed and edited.fingerprint != first.fingerprint


def test_missing_local_path_is_a_source_error(tmp_path: Path) -> None:
    """A path that does not exist raises SourceError (an ExportError) naming it."""
    src = ExportSource(str(tmp_path / "nope"), cache_dir=tmp_path / "cache")
    with pytest.raises(ExportError, match="no such file or folder"):
        src.fetch()


# --- URLs ---
def test_url_first_fetch_then_304_with_etag_then_changed_body(
    server: Server, tmp_path: Path
) -> None:
    """The ETag is sent back; a 304 keeps the old files and a new body replaces them."""
    state = {"etag": '"v1"', "body": CSV.decode()}

    def route(headers: dict[str, str]) -> Reply:
        if headers.get("If-None-Match") == state["etag"]:
            return Reply(304, b"", length=False)
        return Reply(body=state["body"].encode(), headers={"ETag": state["etag"]})

    server.routes["/Opportunity.csv"] = route
    src = source(f"{server.base}/Opportunity.csv", tmp_path)
    first = src.fetch()
    assert first.changed and [p.name for p in first.paths] == ["Opportunity.csv"]
    assert first.paths[0].read_bytes() == CSV
    second = src.fetch()
    assert not second.changed and second.paths == first.paths and "304" in second.detail
    assert server.requests_to("/Opportunity.csv")[1]["If-None-Match"] == '"v1"'
    state.update(etag='"v2"', body=CSV2.decode())
    third = src.fetch()
    assert third.changed and third.paths[0].read_bytes() == CSV2
    assert not first.paths[0].exists()


def test_if_modified_since_used_when_no_etag(server: Server, tmp_path: Path) -> None:
    """Without an ETag the Last-Modified date comes back as If-Modified-Since."""
    stamp = "Wed, 01 May 2024 10:00:00 GMT"
    server.routes["/x.csv"] = [
        Reply(headers={"Last-Modified": stamp}),
        Reply(304, b"", length=False),
    ]
    src = source(f"{server.base}/x.csv", tmp_path)
    src.fetch()
    assert not src.fetch().changed
    second = server.requests_to("/x.csv")[1]
    assert second["If-Modified-Since"] == stamp and "If-None-Match" not in second


def test_auth_header_sent_but_never_shown(server: Server, tmp_path: Path) -> None:
    """The Authorization value reaches the server, not error messages or the repr."""
    server.routes["/x.csv"] = [Reply(403, b"no")]
    src = source(f"{server.base}/x.csv", tmp_path, auth_header=Secret("Bearer s3cr3t"))
    with pytest.raises(SourceError) as caught:
        src.fetch()
    assert server.requests_to("/x.csv")[0]["Authorization"] == "Bearer s3cr3t"
    assert "s3cr3t" not in str(caught.value) and "s3cr3t" not in repr(src)
    assert "HTTP 403" in str(caught.value)


def test_messages_strip_credentials_and_query(server: Server, tmp_path: Path) -> None:
    """A URL's user:pass@ and ?query never appear in an error message."""
    port = server.server_address[1]
    src = source(f"http://bob:hunter2@127.0.0.1:{port}/gone.csv?token=abc123", tmp_path)
    with pytest.raises(SourceError) as caught:
        src.fetch()
    message = str(caught.value)
    assert message.startswith(f"http://127.0.0.1:{port}/gone.csv: ") and "HTTP 404" in message
    assert "hunter2" not in message and "abc123" not in message
    assert "hunter2" not in repr(src) and "abc123" not in repr(src)


def test_5xx_twice_then_200_succeeds(server: Server, tmp_path: Path) -> None:
    """Two 503s are retried and the third attempt's CSV is used."""
    server.routes["/x.csv"] = [Reply(503, b"busy"), Reply(502, b"busy"), Reply()]
    fetched = source(f"{server.base}/x.csv", tmp_path).fetch()
    assert fetched.changed and fetched.paths[0].read_bytes() == CSV
    assert len(server.requests_to("/x.csv")) == 3


def test_5xx_three_times_is_a_clear_error(server: Server, tmp_path: Path) -> None:
    """A server failing all three attempts raises a message naming the status."""
    server.routes["/x.csv"] = [Reply(500, b"oops")]
    with pytest.raises(SourceError, match=r"HTTP 500\) on all 3 attempts"):
        source(f"{server.base}/x.csv", tmp_path).fetch()
    assert len(server.requests_to("/x.csv")) == 3


def test_429_with_retry_after_then_200_succeeds(server: Server, tmp_path: Path) -> None:
    """A 429 with Retry-After: 0 is waited out and retried."""
    server.routes["/x.csv"] = [Reply(429, b"slow down", {"Retry-After": "0"}), Reply()]
    fetched = source(f"{server.base}/x.csv", tmp_path).fetch()
    assert fetched.paths[0].read_bytes() == CSV
    assert len(server.requests_to("/x.csv")) == 2


def test_timeout_raises_and_keeps_previous_copy(server: Server, tmp_path: Path) -> None:
    """A server slower than the timeout raises SourceError; the last good files stay."""
    server.routes["/x.csv"] = [Reply(), Reply(body=CSV2, delay=1.0)]
    src = source(f"{server.base}/x.csv", tmp_path, timeout=0.2)
    good = src.fetch()
    src.keep(good)
    with pytest.raises(SourceError, match=r"no answer within 0\.2 s"):
        src.fetch()
    assert good.paths[0].read_bytes() == CSV
    assert (tmp_path / "cache" / "current" / "x.csv").read_bytes() == CSV


def test_oversized_body_aborts_mid_stream(server: Server, tmp_path: Path) -> None:
    """A body without Content-Length past max_bytes is cut off while streaming."""
    big = CSV + b"006B,Beta,Prospecting\n" * 50_000
    server.routes["/x.csv"] = [Reply(), Reply(body=big, length=False)]
    src = source(f"{server.base}/x.csv", tmp_path, max_bytes=64 * 1024)
    good = src.fetch()
    with pytest.raises(SourceError, match=r"larger than the 64\.0 KB limit"):
        src.fetch()
    assert good.paths[0].read_bytes() == CSV
    leftovers = [p.name for p in (tmp_path / "cache").iterdir()]
    assert not [n for n in leftovers if n.startswith(".incoming-")]


def test_html_page_refused(server: Server, tmp_path: Path) -> None:
    """A login page served as text/plain is still recognised as HTML and refused."""
    page = b"\n  <!DOCTYPE html><html><body>Sign in</body></html>"
    server.routes["/x.csv"] = [Reply(body=page, headers={"Content-Type": "text/plain"})]
    with pytest.raises(SourceError, match=r"returned an HTML page \(a login page\?\)"):
        source(f"{server.base}/x.csv", tmp_path).fetch()


def test_zip_with_two_csvs_is_extracted(server: Server, tmp_path: Path) -> None:
    """A ZIP body yields its CSV members; other members are ignored."""
    body = zipped(
        {
            "Opportunity.csv": CSV,
            "Account.csv": b"Id,Name\n001A,Acme\n",
            "README.txt": b"hi",
            "__MACOSX/._Opportunity.csv": b"junk",
        }
    )
    server.routes["/export"] = [Reply(body=body, headers={"Content-Type": "application/zip"})]
    fetched = source(f"{server.base}/export", tmp_path).fetch()
    assert [p.name for p in fetched.paths] == ["Account.csv", "Opportunity.csv"]
    assert fetched.paths[1].read_bytes() == CSV


def test_zip_with_parent_path_refused(server: Server, tmp_path: Path) -> None:
    """A ZIP member named ../evil.csv makes the whole archive refused, nothing written."""
    body = zipped({"Opportunity.csv": CSV, "../evil.csv": b"a,b\n"})
    server.routes["/export"] = [Reply(body=body)]
    with pytest.raises(SourceError, match="unsafe file path"):
        source(f"{server.base}/export", tmp_path).fetch()
    assert not (tmp_path / "evil.csv").exists()
    assert not list((tmp_path / "cache").iterdir())


def test_zip_unpacked_size_limit(server: Server, tmp_path: Path) -> None:
    """A small ZIP that unpacks past max_bytes is refused."""
    body = zipped({"Opportunity.csv": CSV + b"x" * 200_000})
    server.routes["/export"] = [Reply(body=body)]
    assert len(body) < 10_000
    with pytest.raises(SourceError, match="unpacked ZIP is larger"):
        source(f"{server.base}/export", tmp_path, max_bytes=50_000).fetch()


def test_plain_http_to_other_host_refused_without_connecting(
    server: Server, tmp_path: Path
) -> None:
    """http:// to a host outside the allow-list is refused before any request is made."""
    with pytest.raises(SourceError, match="plain http:// is not allowed"):
        source("http://crm.example.com/export.csv", tmp_path)
    with pytest.raises(SourceError, match="use an https:// URL"):
        source(f"{server.base}/x.csv", tmp_path, allow_http_hosts=frozenset())
    assert server.seen == []


def test_connection_refused_is_a_clear_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Nothing listening on the port gives a 'could not connect' message."""
    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as probe:
        port = probe.server_address[1]
    with pytest.raises(SourceError, match="could not connect after 3 attempts"):
        source(f"http://127.0.0.1:{port}/x.csv?sig=abc123", tmp_path).fetch()
    assert "Retrying" in caplog.text and "abc123" not in caplog.text


def test_cache_dir_holds_only_the_current_copy(server: Server, tmp_path: Path) -> None:
    """After two changed downloads, both kept, only the newest export folder and 'current'
    remain."""
    server.routes["/x.csv"] = [Reply(), Reply(body=CSV2)]
    src = source(f"{server.base}/x.csv", tmp_path)
    src.keep(src.fetch())
    latest = src.fetch()
    src.keep(latest)
    names = sorted(os.listdir(tmp_path / "cache"))
    assert names == sorted(["current", latest.paths[0].parent.name])
