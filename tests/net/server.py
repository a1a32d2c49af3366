"""A real HTTP server on 127.0.0.1 for the download tests: programs with ETag/Last-Modified
and 304s, gzip, Cache-Control, and every failure a conference site produces (500, a response
slower than the timeout, a body cut short, an HTML page with status 200)."""

from __future__ import annotations

import contextlib
import email.utils
import gzip
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What one path answers."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/xml; charset=utf-8"
    etag: str = ""
    last_modified: str = ""
    max_age: int | None = None
    gzip: bool = True
    delay: float = 0.0  # seconds before answering (a slow server)
    truncate: bool = False  # announce the full length, send half, close
    redirect: str = ""


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    status: int = 0


@dataclass
class ProgramServer:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def set(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def statuses(self, path: str) -> list[int]:
        return [seen.status for seen in self.requests if seen.path == path]


def http_date(epoch: float) -> str:
    return email.utils.formatdate(epoch, usegmt=True)


def _handler(server_state: ProgramServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            # The client may give up (a timeout test): nothing to answer then.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._answer()

        def _answer(self) -> None:
            seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
            server_state.requests.append(seen)
            route = server_state.routes.get(self.path)
            if route is None:
                seen.status = 404
                self._send(404, b"not found", "text/plain")
                return
            if route.delay:
                server_state.release.wait(route.delay)
            if route.redirect:
                seen.status = 302
                self.send_response(302)
                self.send_header("Location", route.redirect)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if route.status == 200 and self._not_modified(route):
                seen.status = 304
                self.send_response(304)
                self._validators(route)
                self.end_headers()
                return
            seen.status = route.status
            body = route.body
            encoding = ""
            if route.gzip and "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body, mtime=0)
                encoding = "gzip"
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            if encoding:
                self.send_header("Content-Encoding", encoding)
            self._validators(route)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if route.truncate:
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)

        def _not_modified(self, route: Route) -> bool:
            tag = self.headers.get("If-None-Match")
            if tag is not None and route.etag:
                return tag == route.etag
            since = self.headers.get("If-Modified-Since")
            return since is not None and bool(route.last_modified) and \
                since == route.last_modified

        def _validators(self, route: Route) -> None:
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            if route.max_age is not None:
                self.send_header("Cache-Control", f"max-age={route.max_age}")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve() -> Iterator[ProgramServer]:
    """Start the server on a free port of 127.0.0.1; stop it afterwards."""
    state = ProgramServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, name="test-http", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
