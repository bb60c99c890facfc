"""Slack's Socket Mode endpoint, faked on localhost: a WebSocket server (RFC 6455, stdlib).

Point FakeSlack's ``apps.connections.open`` at ``url``; the app's Socket Mode client then
connects here (slack_sdk's builtin client speaks plain ``ws://`` to a port other than 443).
The server says ``hello``, answers pings, sends the envelopes a test hands it with
``send`` and records every frame the app sends back (``acks``), as Slack would.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import socket
import struct
import threading
import time
from typing import Any

JsonDict = dict[str, Any]
_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


class FakeSocketMode:
    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self._conns: list[socket.socket] = []
        self._received: list[JsonDict] = []
        self._changed = threading.Condition()
        self._running = False
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.getsockname()[1]}/link/?ticket=fake"

    def __enter__(self) -> FakeSocketMode:
        self._running = True
        self._spawn(self._accept)
        return self

    def __exit__(self, *exc: object) -> None:
        self._running = False
        for conn in list(self._conns):
            with contextlib.suppress(OSError):
                conn.close()
        self._server.close()
        for t in self._threads:
            t.join(2)

    def _spawn(self, target: Any, *args: Any) -> None:
        t = threading.Thread(target=target, args=args, daemon=True, name="fake-socket-mode")
        self._threads.append(t)
        t.start()

    def wait_connected(self, timeout: float = 10) -> None:
        with self._changed:
            assert self._changed.wait_for(lambda: bool(self._conns), timeout), (
                "the app never opened its Socket Mode connection"
            )

    def send(self, envelope: JsonDict) -> None:
        """Send an envelope (``envelope_id``, ``type``, ``payload``) to the connected app."""
        self.wait_connected()
        _send_frame(self._conns[-1], TEXT, json.dumps(envelope).encode())

    def ack_for(self, envelope_id: str, timeout: float = 10) -> JsonDict:
        """The app's acknowledgement of an envelope (with its ``payload``, if it had one)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for frame in self._received:
                    if frame.get("envelope_id") == envelope_id:
                        return frame
                left = deadline - time.monotonic()
                assert left > 0, f"no ack for envelope {envelope_id}; got {self._received}"
                self._changed.wait(left)

    @property
    def acks(self) -> list[JsonDict]:
        with self._changed:
            return list(self._received)

    def _accept(self) -> None:
        while self._running:
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._spawn(self._serve, conn)

    def _serve(self, conn: socket.socket) -> None:
        try:
            _handshake(conn)
            with self._changed:
                self._conns.append(conn)
                self._changed.notify_all()
            hello = {"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}}
            _send_frame(conn, TEXT, json.dumps(hello).encode())
            while self._running:
                opcode, data = _read_frame(conn)
                if opcode == PING:
                    _send_frame(conn, PONG, data)
                elif opcode == CLOSE:
                    _send_frame(conn, CLOSE, data[:2])
                    return
                elif opcode == TEXT:
                    with self._changed:
                        self._received.append(json.loads(data))
                        self._changed.notify_all()
        except (OSError, ConnectionError, ValueError):
            return
        finally:
            with self._changed:
                if conn in self._conns:
                    self._conns.remove(conn)
            conn.close()


def _handshake(conn: socket.socket) -> None:
    request = b""
    while b"\r\n\r\n" not in request:
        chunk = conn.recv(1024)
        if not chunk:
            raise ConnectionError("closed during the handshake")
        request += chunk
    headers = {}
    for line in request.split(b"\r\n")[1:]:
        if b":" in line:
            name, value = line.split(b":", 1)
            headers[name.strip().lower()] = value.strip()
    accept = base64.b64encode(hashlib.sha1(headers[b"sec-websocket-key"] + _GUID).digest())
    conn.sendall(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
    )


def _recv_exactly(conn: socket.socket, n: int) -> bytes:
    out = b""
    while len(out) < n:
        chunk = conn.recv(n - len(out))
        if not chunk:
            raise ConnectionError("connection closed")
        out += chunk
    return out


def _read_frame(conn: socket.socket) -> tuple[int, bytes]:
    """One whole message from the client (client frames are masked; fragments joined)."""
    payload = b""
    while True:
        b0, b1 = _recv_exactly(conn, 2)
        opcode, fin = b0 & 0x0F, b0 & 0x80
        length = b1 & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", _recv_exactly(conn, 2))
        elif length == 127:
            (length,) = struct.unpack("!Q", _recv_exactly(conn, 8))
        mask = _recv_exactly(conn, 4) if b1 & 0x80 else b"\0\0\0\0"
        data = _recv_exactly(conn, length)
        payload += bytes(c ^ mask[i % 4] for i, c in enumerate(data))
        if fin:
            return (opcode or TEXT), payload


def _send_frame(conn: socket.socket, opcode: int, data: bytes) -> None:
    """A server frame: final, unmasked."""
    n = len(data)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, n)
    elif n < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 127, n)
    conn.sendall(head + data)


def envelope_id() -> str:
    return os.urandom(8).hex()
