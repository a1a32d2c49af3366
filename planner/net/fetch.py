"""One HTTP(S) download with the limits a program download needs, and failures a user can read.

The client is ``requests`` (in the window it runs in a worker thread): it is well kept, verifies
TLS against ``certifi``'s roots, takes proxy settings from the environment (``HTTPS_PROXY``,
``NO_PROXY``...), decodes gzip, and the same code serves the command line and the window, which
``QNetworkAccessManager`` could not (it needs an event loop and a ``QCoreApplication``).

Limits: http and https only (also after a redirect), at most 5 redirects, connect and read
timeouts plus an overall deadline, at most 100 MB of (decoded) body. A body shorter than its
``Content-Length`` or a broken gzip stream is a truncated download, never a program.
"""

from __future__ import annotations

import enum
import re
import socket
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from planner import __version__
from planner.core.errors import PlannerError

if TYPE_CHECKING:
    import requests

MAX_BODY_BYTES = 100 * 1024 * 1024
_MAX_AGE = re.compile(r"(?:^|,)\s*(s-)?max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


class FailureKind(enum.StrEnum):
    """Why a download gave no program (what the one-line message is about)."""

    SCHEME = "not an http(s) address"
    HTTP_STATUS = "server error"
    TIMEOUT = "timeout"
    TLS = "TLS error"
    DNS = "unknown host"
    NO_NETWORK = "no network"
    TOO_LARGE = "too large"
    TRUNCATED = "truncated"
    REDIRECTS = "too many redirects"
    NOT_A_PROGRAM = "not a program"
    OTHER = "download failed"


class FetchError(PlannerError):
    """A download that failed; ``kind`` says how, the message says it to the user."""

    def __init__(self, kind: FailureKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class FetchLimits:
    """Timeouts in seconds, sizes in bytes."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 300.0
    max_redirects: int = 5
    max_bytes: int = MAX_BODY_BYTES


DEFAULT_LIMITS = FetchLimits()


@dataclass(frozen=True)
class Validators:
    """What the server said about the copy we have, to ask "changed since?"."""

    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class FetchResult:
    """A 200 with its body, or a 304 (``body`` None): the copy we have is current.

    Attributes:
        max_age: seconds the server says the answer stays fresh (Cache-Control), if it says.
    """

    url: str
    final_url: str
    status: int
    body: bytes | None
    etag: str = ""
    last_modified: str = ""
    max_age: int | None = None
    content_type: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_url(url: str) -> str:
    """The URL if it is http(s) with a host; else FetchError(SCHEME)."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(FailureKind.SCHEME, f"{url}: only http:// and https:// addresses can be "
                                             f"opened")
    if not parts.hostname:
        raise FetchError(FailureKind.SCHEME, f"{url}: the address has no host name")
    return url.strip()


def parse_max_age(cache_control: str) -> int | None:
    """Seconds from ``Cache-Control`` (``no-cache``/``no-store`` mean 0), else None."""
    if not cache_control:
        return None
    lowered = cache_control.lower()
    if "no-cache" in lowered or "no-store" in lowered:
        return 0
    found = _MAX_AGE.findall(cache_control)
    if not found:
        return None
    shared = [int(value) for prefix, value in found if prefix]
    return shared[0] if shared else int(found[0][1])


def fetch(url: str, validators: Validators | None = None,
          limits: FetchLimits = DEFAULT_LIMITS,
          session: requests.Session | None = None) -> FetchResult:
    """GET ``url``, conditionally when ``validators`` are given; raises FetchError."""
    import requests

    check_url(url)
    own_session = session is None
    client = session if session is not None else requests.Session()
    client.max_redirects = limits.max_redirects
    headers = {"User-Agent": f"planner/{__version__} (conference program reader)",
               "Accept-Encoding": "gzip, deflate",
               "Accept": "application/xml, application/json, text/calendar, text/plain;q=0.9, "
                         "*/*;q=0.5"}
    if validators is not None and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators is not None and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    try:
        with client.get(url, headers=headers, stream=True, allow_redirects=True, verify=True,
                        timeout=(limits.connect_timeout, limits.read_timeout)) as response:
            final = response.url or url
            if urlsplit(final).scheme.lower() not in ("http", "https"):
                raise FetchError(FailureKind.SCHEME, f"{url}: redirected to {final}, which is "
                                                     f"not http(s)")
            common = {"url": url, "final_url": final, "status": response.status_code,
                      "etag": response.headers.get("ETag", ""),
                      "last_modified": response.headers.get("Last-Modified", ""),
                      "max_age": parse_max_age(response.headers.get("Cache-Control", "")),
                      "content_type": response.headers.get("Content-Type", "")}
            if response.status_code == 304:
                return FetchResult(body=None, **common)  # type: ignore[arg-type]
            if response.status_code != 200:
                reason = f" {response.reason}" if response.reason else ""
                raise FetchError(FailureKind.HTTP_STATUS,
                                 f"{url}: the server answered {response.status_code}{reason}")
            body = _read_body(response, url, limits)
            return FetchResult(body=body, **common)  # type: ignore[arg-type]
    except FetchError:
        raise
    except requests.exceptions.RequestException as exc:
        raise _classify(url, exc, limits) from None
    except OSError as exc:  # a socket error requests did not wrap
        raise FetchError(FailureKind.NO_NETWORK, f"{url}: {exc.strerror or exc}") from None
    finally:
        if own_session:
            client.close()


def _read_body(response: requests.Response, url: str, limits: FetchLimits) -> bytes:
    declared = response.headers.get("Content-Length", "")
    encoded = response.headers.get("Content-Encoding", "").strip().lower()
    if declared.isdigit() and int(declared) > limits.max_bytes and encoded in ("", "identity"):
        raise FetchError(FailureKind.TOO_LARGE, f"{url}: the program is "
                                                f"{int(declared) / 1e6:.0f} MB; downloads over "
                                                f"{limits.max_bytes / 1e6:.0f} MB are refused")
    deadline = time.monotonic() + limits.total_timeout
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_content(chunk_size=1 << 16):
        total += len(chunk)
        if total > limits.max_bytes:
            raise FetchError(FailureKind.TOO_LARGE, f"{url}: the download passed "
                                                    f"{limits.max_bytes / 1e6:.0f} MB; refused")
        if time.monotonic() > deadline:
            raise FetchError(FailureKind.TIMEOUT, f"{url}: the download took longer than "
                                                  f"{limits.total_timeout:.0f} s")
        chunks.append(chunk)
    return b"".join(chunks)


def _classify(url: str, exc: BaseException, limits: FetchLimits) -> FetchError:
    """A requests exception as one sentence, by what the user can do about it."""
    import requests

    errors = requests.exceptions
    if isinstance(exc, errors.SSLError):
        return FetchError(FailureKind.TLS, f"{url}: the secure connection failed (TLS: "
                                           f"{_innermost(exc)})")
    if isinstance(exc, errors.ConnectTimeout):
        return FetchError(FailureKind.TIMEOUT, f"{url}: no connection within "
                                               f"{limits.connect_timeout:g} s")
    if isinstance(exc, errors.ReadTimeout) or isinstance(_find(exc, TimeoutError), TimeoutError):
        return FetchError(FailureKind.TIMEOUT, f"{url}: the server did not answer within "
                                               f"{limits.read_timeout:g} s")
    if isinstance(exc, errors.TooManyRedirects):
        return FetchError(FailureKind.REDIRECTS, f"{url}: more than {limits.max_redirects} "
                                                 f"redirects")
    if isinstance(exc, errors.InvalidSchema | errors.MissingSchema | errors.InvalidURL):
        return FetchError(FailureKind.SCHEME, f"{url}: {_innermost(exc)}")
    if isinstance(exc, errors.ChunkedEncodingError | errors.ContentDecodingError):
        return FetchError(FailureKind.TRUNCATED, f"{url}: the download was cut short "
                                                 f"(the body is incomplete)")
    if isinstance(exc, errors.ConnectionError):
        if _is_dns_failure(exc):
            host = urlsplit(url).hostname or url
            return FetchError(FailureKind.DNS, f"{url}: the host {host} cannot be found "
                                               f"(no DNS answer; offline?)")
        if isinstance(_find(exc, ConnectionRefusedError), ConnectionRefusedError):
            return FetchError(FailureKind.NO_NETWORK, f"{url}: the connection was refused")
        if _looks_truncated(exc):
            return FetchError(FailureKind.TRUNCATED, f"{url}: the download was cut short "
                                                     f"(the body is incomplete)")
        return FetchError(FailureKind.NO_NETWORK, f"{url}: cannot connect "
                                                  f"({_innermost(exc)})")
    return FetchError(FailureKind.OTHER, f"{url}: {_innermost(exc)}")


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception, its causes and the exceptions held in its args (urllib3 nests them)."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo and len(seen) < 20:
        current = todo.pop()
        if current in seen:
            continue
        seen.append(current)
        todo.extend(arg for arg in current.args if isinstance(arg, BaseException))
        for linked in (current.__cause__, current.__context__,
                       getattr(current, "reason", None)):
            if isinstance(linked, BaseException):
                todo.append(linked)
    return seen


def _find(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    return next((e for e in _chain(exc) if isinstance(e, kind)), None)


def _is_dns_failure(exc: BaseException) -> bool:
    for item in _chain(exc):
        if isinstance(item, socket.gaierror) or type(item).__name__ == "NameResolutionError":
            return True
    return False


def _looks_truncated(exc: BaseException) -> bool:
    return any(type(item).__name__ in ("IncompleteRead", "ProtocolError")
               and "IncompleteRead" in repr(item) for item in _chain(exc))


def _innermost(exc: BaseException) -> str:
    chain = _chain(exc)
    text = str(chain[-1]) if chain else str(exc)
    text = re.sub(r"<urllib3[^>]*>:?\s*", "", text)
    return text.strip() or type(exc).__name__
