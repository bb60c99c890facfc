"""What an export download may connect to, and for how long.

- **Addresses.** Every hop (the configured URL and each redirect) is checked before a
  request goes to it: its host's addresses are resolved and refused when loopback,
  link-local (where cloud metadata services live), private, shared, multicast, reserved or
  unspecified, unless the configured URL itself names such an address (an export served
  inside the company network). The socket's real peer is checked again right after the
  TCP connect and before a byte is sent, so a name that resolves differently the second
  time (DNS rebinding) gains nothing. Through an HTTP(S) proxy from the environment the
  proxy connects; then only the names are checked.
- **Deadline.** A watchdog shuts every socket the download opened once the overall
  deadline passes, whatever phase it is in (connecting, headers, a body dripped byte by
  byte, retries), so a slow server cannot hold a refresh for longer than the deadline.

Used by ``bot.ingest.source.ExportSource`` through ``GuardedAdapter``.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, cast

from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)


class Refused(Exception):
    """A hop the download may not connect to; the message says why, without credentials."""


class DeadlinePassed(Exception):
    """The download's overall deadline passed."""


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (what the connection itself would use)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def address_kind(address: str) -> str:
    """Why ``address`` is internal ("" for an ordinary public address)."""
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA:
        return "cloud metadata"
    for kind, hit in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    ):
        if hit:
            return kind
    return "" if ip.is_global else "non-public"


class Guard:
    """One source's rules for its downloads: which addresses, until when."""

    def __init__(self, resolver: Resolver = resolve) -> None:
        self.resolver = resolver
        self.internal_ok = False  # set per download from the configured URL
        self.deadline = float("inf")
        self.expired = threading.Event()
        self.cancelled = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    # --- addresses ---
    def start_from(self, host: str, port: int) -> None:
        """The configured URL's ``host``: internal addresses are allowed for this download
        when it is one (``Refused`` when it cannot be resolved)."""
        self.internal_ok = any(address_kind(a) for a in self._addresses(host, port))

    def check_host(self, host: str, port: int) -> None:
        """Raise ``Refused`` when ``host`` resolves to an address this download may not use."""
        for address in self._addresses(host, port):
            self.check_address(address, host)

    def _addresses(self, host: str, port: int) -> list[str]:
        try:
            return self.resolver(host, port)
        except OSError as exc:
            raise Refused(f"the host name {host} could not be resolved ({exc})") from None

    def check_address(self, address: str, host: str) -> None:
        kind = address_kind(address)
        if kind and not self.internal_ok:
            raise Refused(
                f"{host} is at {address}, a {kind} address; downloads go to such addresses "
                "only when DEALNUDGE_SOURCE itself names one"
            )

    # --- deadline ---
    def start(self, seconds: float) -> None:
        """Arm the watchdog for one download of at most ``seconds``."""
        self.finish()
        self.expired.clear()
        self.cancelled = False
        self.deadline = time.monotonic() + seconds
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def finish(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        with self._lock:
            self._sockets.clear()

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0 or self.expired.is_set():
            raise DeadlinePassed()
        return left

    def cancel(self) -> None:
        """Cut the download under way now (the process is stopping)."""
        self.cancelled = True
        self._expire()

    def opened(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
        if self.expired.is_set():
            self._shut(sock)

    def _expire(self) -> None:
        self.expired.set()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # a blocked read in another thread returns now
            sock.shutdown(socket.SHUT_RDWR)


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose connections report their sockets to ``guard`` and check
    their real peer before sending anything."""

    def __init__(self, guard: Guard, **kw: Any) -> None:
        self.guard = guard
        super().__init__(**kw)

    def get_connection_with_tls_context(
        self, request: Any, verify: Any, proxies: Any = None, cert: Any = None
    ) -> HTTPConnectionPool:
        pool = cast(HTTPConnectionPool, super().get_connection_with_tls_context(
            request, verify, proxies, cert
        ))  # fmt: skip
        if not getattr(pool.ConnectionCls, "guarded", False):
            pool.ConnectionCls = _guarded(pool.ConnectionCls, self.guard)
        return pool


def _guarded(base: type, guard: Guard) -> type:
    class Guarded(base):  # type: ignore[misc]
        guarded = True

        def _new_conn(self) -> socket.socket:
            guard.remaining()
            sock: socket.socket = super()._new_conn()
            guard.opened(sock)
            if getattr(self, "proxy", None) is None:
                try:
                    guard.check_address(str(sock.getpeername()[0]), str(self.host))
                except Refused:
                    sock.close()
                    raise
            return sock

    return Guarded
