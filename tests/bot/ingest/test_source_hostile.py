"""Export downloads against hostile hosts: a deadline for the whole download, every redirect
hop checked before a request goes to it, bodies that are not exports refused without
touching the kept copy, and the kept copy used by a new process when the URL is down."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from support.export_host import CSV, CSV2, Reply, Server

from bot.ingest.netguard import address_kind, resolve
from bot.ingest.source import ExportSource, SourceError, not_csv

PUBLIC = "93.184.216.34"


def resolver(names: dict[str, list[str]]) -> Any:
    """DNS as the test says for ``names``, real DNS for everything else."""

    def lookup(host: str, port: int) -> list[str]:
        return names[host] if host in names else resolve(host, port)

    return lookup


def source(url: str, tmp_path: Path, **kw: Any) -> ExportSource:
    options: dict[str, Any] = {"timeout": 2.0, "backoff": 0.001}
    options.update(kw)
    return ExportSource(url, cache_dir=tmp_path / "cache", **options)


class Redirecting(requests.adapters.BaseAdapter):
    """A transport for one public host (no network): every GET answers 302 to ``to``."""

    def __init__(self, to: str) -> None:
        super().__init__()
        self.to = to
        self.sent: list[str] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.sent.append(str(request.url))
        response = requests.Response()
        response.status_code = 302
        response.headers["Location"] = self.to
        response.url = str(request.url)
        response.raw = io.BytesIO(b"")
        response.request = request
        return response

    def close(self) -> None:
        pass


def public_host_redirecting_to(to: str) -> tuple[requests.Session, Redirecting]:
    session = requests.Session()
    hop = Redirecting(to)
    session.mount("https://crm.example.test", hop)
    return session, hop


# --- 1. the whole download has a deadline -------------------------------------------------


def test_a_body_dripped_byte_by_byte_is_cut_at_the_deadline(server: Server, tmp_path: Path) -> None:
    """One byte every 0.1 s never trips the 2 s read timeout; the 1.5 s deadline cuts it,
    and the kept copy stays."""
    server.routes["/x.csv"] = [Reply(), Reply(body=CSV2, drip=0.1, length=False)]
    src = source(f"{server.base}/x.csv", tmp_path, deadline=1.5)
    src.keep(src.fetch())
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"did not finish within 1\.5 s"):
        src.fetch()
    assert time.monotonic() - started < 3.0
    assert server.hung_up.wait(5)
    assert (tmp_path / "cache" / "current" / "x.csv").read_bytes() == CSV


def test_headers_dripped_byte_by_byte_are_cut_at_the_deadline(
    server: Server, tmp_path: Path
) -> None:
    server.routes["/x.csv"] = [Reply(drip_headers=0.1)]
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"did not finish within 1 s"):
        source(f"{server.base}/x.csv", tmp_path, deadline=1.0).fetch()
    assert time.monotonic() - started < 2.5


def test_retries_stop_at_the_deadline(server: Server, tmp_path: Path) -> None:
    """A 503 asking to retry after 30 s is not waited out past the deadline."""
    server.routes["/x.csv"] = [Reply(503, b"busy", {"Retry-After": "30"})]
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"within 1 s"):
        source(f"{server.base}/x.csv", tmp_path, deadline=1.0).fetch()
    assert time.monotonic() - started < 2.5


# --- 2. every redirect hop is checked before a request goes to it ------------------------


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        ("http://127.0.0.1:{port}/secret", "loopback"),
        ("https://169.254.169.254/latest/meta-data/", "cloud metadata"),
        ("https://[::1]:{port}/secret", "loopback"),
        ("https://intranet.example.test/admin", "private"),
        ("https://224.0.0.1/x", "multicast"),
    ],
)
def test_a_public_export_redirecting_inward_is_refused_before_any_request(
    server: Server, tmp_path: Path, target: str, kind: str
) -> None:
    port = server.server_address[1]
    session, hop = public_host_redirecting_to(target.format(port=port))
    names = {"crm.example.test": [PUBLIC], "intranet.example.test": ["10.1.2.3"]}
    src = source(
        "https://crm.example.test/export.csv", tmp_path, session=session,
        resolver=resolver(names),
    )  # fmt: skip
    with pytest.raises(SourceError, match=rf"refused: .* a {kind} address") as exc:
        src.fetch()
    assert hop.sent == ["https://crm.example.test/export.csv"]
    assert server.seen == []  # the local service never heard of it
    assert "DEALNUDGE_SOURCE itself names one" in str(exc.value)


def test_a_name_that_resolves_differently_at_connect_time_is_refused(
    server: Server, tmp_path: Path
) -> None:
    """DNS rebinding: the check sees a public address, the connection reaches 127.0.0.1;
    the socket's real peer is checked before a byte is sent."""
    port = server.server_address[1]
    server.routes["/x.csv"] = [Reply()]
    src = source(
        f"http://localhost:{port}/x.csv", tmp_path, resolver=resolver({"localhost": [PUBLIC]})
    )
    with pytest.raises(SourceError, match=r"refused: localhost is at 127\.0\.0\.1, a loopback"):
        src.fetch()
    assert server.seen == []


def test_an_internal_export_may_redirect_inside_and_keeps_its_credentials_home(
    server: Server, tmp_path: Path
) -> None:
    """DEALNUDGE_SOURCE naming an internal address allows internal hops; the Authorization
    header goes only to the configured origin."""
    port = server.server_address[1]
    server.routes["/a.csv"] = [Reply(302, b"", {"Location": f"http://localhost:{port}/b.csv"})]
    server.routes["/b.csv"] = [Reply()]
    from bot.settings import Secret

    src = source(f"{server.base}/a.csv", tmp_path, auth_header=Secret("Bearer s3cret"))
    assert src.fetch().paths[0].read_bytes() == CSV
    assert server.requests_to("/a.csv")[0].get("Authorization") == "Bearer s3cret"
    assert "Authorization" not in server.requests_to("/b.csv")[0]


def test_a_redirect_loop_ends_with_a_clear_message(server: Server, tmp_path: Path) -> None:
    server.routes["/a.csv"] = [Reply(302, b"", {"Location": "/a.csv"})]
    with pytest.raises(SourceError, match="redirected too many times"):
        source(f"{server.base}/a.csv", tmp_path).fetch()
    assert len(server.requests_to("/a.csv")) == 6


def test_address_kinds() -> None:
    assert address_kind(PUBLIC) == ""
    assert address_kind("2606:4700::1111") == ""
    for address, kind in [
        ("127.0.0.5", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.0.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd00:ec2::254", "cloud metadata"),
        ("169.254.10.1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "non-public"),
    ]:
        assert address_kind(address) == kind, address


# --- 3. bodies that are not exports ------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"<!-- sso -->\n<!DOCTYPE html><html><body>Sign in</body></html>",
        b"\xef\xbb\xbf  \r\n<!--[if IE]><![endif]-->  <html lang=en><head></head></html>",
        b"\n<head><title>Login</title></head>",
        b'<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>',
        b'{"error": "invalid_token"}',
        b'[{"id": 1}]',
        b"%PDF-1.7\n",
        b"\x00\x01\x02binary\x00",
        "\ufeff<html><body>x</body></html>".encode("utf-16-le"),
    ],
)
def test_a_body_that_is_not_an_export_is_refused_and_never_replaces_the_kept_copy(
    server: Server, tmp_path: Path, body: bytes
) -> None:
    server.routes["/x.csv"] = [Reply(), Reply(body=body, headers={"Content-Type": "text/plain"})]
    src = source(f"{server.base}/x.csv", tmp_path)
    src.keep(src.fetch())
    with pytest.raises(SourceError, match=r"returned .*, not a CSV export"):
        src.fetch()
    assert (tmp_path / "cache" / "current" / "x.csv").read_bytes() == CSV


def test_csv_bodies_are_not_mistaken_for_something_else() -> None:
    for body in (
        CSV,
        b"\xef\xbb\xbf" + CSV,
        "\ufeffId,Name\n1,é\n".encode("utf-16-le"),
        b"Name,Note\nAcme,<b>bold</b> in a note\n",
        b'"[Deal]","Stage"\n',
        b"PK\x03\x04rest of a zip",
    ):
        assert not_csv(body) == "", body


# --- 3. the kept copy, for a new process -------------------------------------------------


def test_a_new_process_falls_back_on_the_kept_copy_and_says_how_old_it_is(
    server: Server, tmp_path: Path
) -> None:
    server.routes["/x.csv"] = [Reply(headers={"ETag": '"v1"'})]
    first = source(f"{server.base}/x.csv", tmp_path)
    first.keep(first.fetch())
    # a new process: its first download is conditional on what was kept
    server.routes["/x.csv"] = [Reply(304, b""), Reply(503, b"down")]
    second = source(f"{server.base}/x.csv", tmp_path)
    unchanged = second.fetch()
    assert not unchanged.changed and unchanged.paths[0].read_bytes() == CSV
    assert server.requests_to("/x.csv")[-1].get("If-None-Match") == '"v1"'
    # and a third, with the host down: nothing downloaded, the kept copy is there to read
    third = source(f"{server.base}/x.csv", tmp_path)
    with pytest.raises(SourceError, match="HTTP 503"):
        third.fetch()
    kept = third.cached()
    assert kept is not None and kept.paths[0].read_bytes() == CSV
    assert "downloaded less than an hour ago" in kept.detail


def test_no_kept_copy_for_local_sources_or_before_any_keep(server: Server, tmp_path: Path) -> None:
    server.routes["/x.csv"] = [Reply()]
    src = source(f"{server.base}/x.csv", tmp_path)
    src.fetch()  # downloaded but never read well: not kept
    assert source(f"{server.base}/x.csv", tmp_path).cached() is None
    folder = tmp_path / "local"
    folder.mkdir()
    (folder / "x.csv").write_bytes(CSV)
    assert source(str(folder), tmp_path).cached() is None


def test_processes_sharing_the_cache_never_delete_what_another_is_reading(
    server: Server, tmp_path: Path
) -> None:
    """Two processes with one export-cache (web and scheduler on one host): B's download
    and keep leave A's fresh download in place; A's next download removes A's own old one
    and B's superseded kept copy goes when A keeps a newer one."""
    server.routes["/x.csv"] = [Reply(), Reply(body=CSV2), Reply(body=CSV + b"006C,C,Won\n")]
    a = source(f"{server.base}/x.csv", tmp_path)
    b = source(f"{server.base}/x.csv", tmp_path)
    mine = a.fetch()
    theirs = b.fetch()
    b.keep(theirs)
    assert mine.paths[0].read_bytes() == CSV  # A may still be reading it
    newer = a.fetch()
    assert not mine.paths[0].exists()
    assert theirs.paths[0].exists()  # still B's kept copy
    a.keep(newer)
    assert not theirs.paths[0].exists()
    folders = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert folders == sorted(["current", newer.paths[0].parent.name])
