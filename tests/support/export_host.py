"""A local HTTP server that serves exports the way real and hostile hosts do: status codes,
headers, delays, bodies without a length, bytes dripped one at a time, redirects."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CSV = b"Id,Name,StageName\n006A,Acme,Prospecting\n"
CSV2 = b"Id,Name,StageName\n006A,Acme,Negotiation\n"


@dataclass
class Reply:
    status: int = 200
    body: bytes = CSV
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    length: bool = True
    drip: float = 0.0  # seconds between single bytes of the body
    drip_headers: float = 0.0  # seconds between single bytes of the status line and headers


Route = Callable[[dict[str, str]], Reply] | list[Reply]


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Route] = {}
        self.seen: list[tuple[str, dict[str, str]]] = []
        self.hung_up = threading.Event()  # a client hung up on a dripping reply

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hang up on purpose (timeouts, size limit)

    def requests_to(self, path: str) -> list[dict[str, str]]:
        return [h for p, h in self.seen if p == path]


class Handler(BaseHTTPRequestHandler):
    server: Server

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        headers = dict(self.headers.items())
        self.server.seen.append((path, headers))
        route = self.server.routes.get(path, [Reply(404, b"not found")])
        if callable(route):
            reply = route(headers)
        elif len(route) > 1:
            reply = route.pop(0)
        else:
            reply = route[0]
        time.sleep(reply.delay)
        if reply.drip_headers:
            head = f"HTTP/1.1 {reply.status} OK\r\nContent-Type: text/csv\r\n\r\n".encode()
            self._drip(head, reply.drip_headers)
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.length:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.drip:
            self._drip(reply.body * 1000, reply.drip)
            return
        for i in range(0, len(reply.body), 16 * 1024):
            self.wfile.write(reply.body[i : i + 16 * 1024])

    def _drip(self, data: bytes, every: float) -> None:
        """One byte every ``every`` seconds until the client hangs up."""
        try:
            for i in range(len(data)):
                self.wfile.write(data[i : i + 1])
                self.wfile.flush()
                time.sleep(every)
        except OSError:
            self.server.hung_up.set()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving() -> Iterator[Server]:
    """A running ``Server`` on 127.0.0.1 (a free port), shut down at the end."""
    srv = Server()
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
