"""Real CalDAV parts for tests, the benchmark and the crash harness, on 127.0.0.1 only.

* :class:`RadicaleServer`: a real Radicale process with its storage in a temporary folder, with
  or without htpasswd authentication; it can be stopped and started again on the same port.
* :class:`FaultProxy`: a small threaded HTTP proxy in front of it that forwards every request,
  counts them, and answers with a chosen fault (a status, a delay, a dropped connection) when a
  rule says so.
* :func:`read_back`: the calendar's events read with the ``caldav`` library and parsed with
  vobject (an independent parser), as (UID -> start, end, summary) in UTC.
"""

from __future__ import annotations

import datetime as dt
import http.client
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

USER = "alice"
PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_listening(port: int, process: subprocess.Popen[bytes] | None, log: Path,
                    timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"Radicale exited at start: {log.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError("Radicale did not listen within 30 s") from None
            time.sleep(0.05)


@dataclass
class RadicaleServer:
    """A Radicale server on 127.0.0.1 (start/stop keep the storage and the port)."""

    folder: Path
    auth: bool = False
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    clients: list[Any] = field(default_factory=list)  # closed by stop(): no socket left open

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def calendar_url(self, name: str = "agenda") -> str:
        return f"{self.url}{USER}/{name}/"

    def start(self) -> RadicaleServer:
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "radicale.conf"
        auth = "type = none"
        if self.auth:
            users = self.folder / "users"
            users.write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
            auth = (f"type = htpasswd\nhtpasswd_filename = {users}\n"
                    f"htpasswd_encryption = plain\ndelay = 0")
        config.write_text(f"""[server]
hosts = 127.0.0.1:{self.port}
[auth]
{auth}
[rights]
type = owner_only
[storage]
filesystem_folder = {self.folder / 'collections'}
[web]
type = none
[logging]
level = warning
""", encoding="utf-8")
        log_path = self.folder / "radicale.log"
        env = dict(os.environ, HOME=str(self.folder), XDG_CONFIG_HOME=str(self.folder / "cfg"))
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "radicale", "--config", str(config)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
                cwd=self.folder)
        _wait_listening(self.port, self.process, log_path)
        return self

    def stop(self) -> None:
        for client in self.clients:
            client.close()
        self.clients.clear()
        process, self.process = self.process, None
        if process is None:
            return
        process.terminate()  # only the server this object started
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def make_calendar(self, name: str = "agenda", components: tuple[str, ...] = ("VEVENT",)
                      ) -> str:
        """MKCALENDAR through the caldav library; returns the calendar's URL."""
        client = self.client()
        principal = client.principal()
        calendar = principal.make_calendar(name=name, cal_id=name,
                                           supported_calendar_component_set=list(components))
        return str(calendar.url)

    def client(self, password: str = PASSWORD) -> Any:
        import caldav

        client = caldav.DAVClient(self.url, username=USER, password=password, timeout=30,
                                  enable_rfc6764=False)
        self.clients.append(client)
        return client


# -- the fault-injecting proxy ----------------------------------------------------------------
# A rule sees (method, path, number of this request, its body) and returns None to forward,
# an int status to answer instead, ("delay", seconds) to forward late, or "drop" to close.
Rule = Callable[[str, str, int, bytes], Any]


class FaultProxy:
    """A threaded HTTP proxy on 127.0.0.1 in front of one upstream port."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.rules: list[Rule] = []
        self.counts: Counter[str] = Counter()
        self.total = 0
        self.seen: list[tuple[str, str, dict[str, str]]] = []  # method, path, headers
        self.after: Callable[[str, str, int], None] | None = None  # called after forwarding
        self._lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return None

            def _any(self) -> None:
                proxy._handle(self)

            do_GET = do_PUT = do_DELETE = do_POST = do_HEAD = do_OPTIONS = _any
            do_PROPFIND = do_PROPPATCH = do_REPORT = do_MKCALENDAR = do_MKCOL = _any

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def reset_counts(self) -> None:
        with self._lock:
            self.counts.clear()
            self.total = 0
            self.seen.clear()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handle(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        method, path = handler.command, handler.path
        with self._lock:
            self.total += 1
            self.counts[method] += 1
            number = self.total
            self.seen.append((method, path, {k.lower(): v for k, v in handler.headers.items()}))
        action = None
        for rule in list(self.rules):
            action = rule(method, path, number, body)
            if action is not None:
                break
        if action == "drop":
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        if isinstance(action, int):
            message = f"fault injected: {action}".encode()
            handler.send_response(action)
            handler.send_header("Content-Type", "text/plain")
            handler.send_header("Content-Length", str(len(message)))
            if action == 401:
                handler.send_header("WWW-Authenticate", 'Basic realm="test"')
            handler.end_headers()
            handler.wfile.write(message)
            return
        if isinstance(action, tuple) and action[0] == "delay":
            time.sleep(float(action[1]))
        self._forward(handler, method, path, body)
        if self.after is not None:
            self.after(method, path, number)

    def _forward(self, handler: http.server.BaseHTTPRequestHandler, method: str, path: str,
                 body: bytes) -> None:
        headers = {k: v for k, v in handler.headers.items()
                   if k.lower() not in ("host", "connection", "content-length")}
        try:
            upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=60)
            upstream.request(method, path, body=body, headers=headers)
            response = upstream.getresponse()
            data = response.read()
            status, reason, answer_headers = response.status, response.reason, response.getheaders()
            upstream.close()
        except OSError:
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        handler.send_response(status, reason)
        for name, value in answer_headers:
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                handler.send_header(name, value.replace(f":{self.upstream_port}",
                                                        f":{self.port}"))
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data.replace(f"127.0.0.1:{self.upstream_port}".encode(),
                                         f"127.0.0.1:{self.port}".encode()))


# -- reading the calendar back ---------------------------------------------------------------
@dataclass(frozen=True)
class ReadEvent:
    start: dt.datetime  # UTC
    end: dt.datetime
    summary: str
    sequence: int
    href: str


def read_back(calendar_url: str, user: str = USER, password: str = PASSWORD
              ) -> dict[str, ReadEvent]:
    """UID -> event, read with caldav and parsed with vobject (not icalendar)."""
    import caldav
    import vobject

    found: dict[str, ReadEvent] = {}
    with caldav.DAVClient(calendar_url, username=user, password=password, timeout=30,
                          enable_rfc6764=False) as client:
        resources = client.calendar(url=calendar_url).search(event=True)
    for resource in resources:
        parsed = vobject.readOne(resource.data)
        for event in parsed.vevent_list:
            uid = str(event.uid.value)
            assert uid not in found, f"duplicate UID {uid} in the calendar"
            found[uid] = ReadEvent(_utc(event.dtstart.value), _utc(event.dtend.value),
                                   str(event.summary.value),
                                   int(event.sequence.value) if hasattr(event, "sequence")
                                   else 0, str(resource.url))
    return found


def _utc(value: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        assert value.tzinfo is not None, "a floating time in planner's event"
        return value.astimezone(dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
