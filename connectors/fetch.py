"""HTTP fetches of feeds and article pages, with every limit a long-running poller needs.

Built on http.client rather than a higher-level client because the SSRF rule needs control of
the connection itself: the host name is resolved once, every address is checked, and the socket
is opened to the checked address (so a DNS answer that changes between the check and the
connect -- DNS rebinding -- cannot slip a private address in). Each redirect hop goes through
the same check.

Limits: a connect timeout, a read timeout per socket read, a total deadline per request enforced
by a watchdog (a server that drips one byte at a time cannot hold a worker forever), a size limit
on the body as sent and after gzip decompression (aborted while streaming, never buffered whole),
and a bounded number of redirects with loop detection.
"""

from __future__ import annotations

import email.utils
import http.client
import ipaddress
import random
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_BYTES = 64 * 1024


class FetchError(Exception):
    """A failed fetch. `kind` is a short machine-readable cause, the message is for people."""

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.retry_after = retry_after
        self.url = url


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = "talkwatch/0.1"


@dataclass
class FetchResponse:
    url: str  # the final URL, after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    location: str = ""  # the Location header of a redirect
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def is_public_address(address: str) -> bool:
    """True for globally routable unicast addresses; False for loopback, private, link-local,
    shared (CGNAT), multicast, reserved and unspecified ones, IPv4-mapped forms included."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve_checked(host: str, port: int, *, allow_private: bool) -> str:
    """Resolve `host` and return the address to connect to.

    Raises FetchError(kind="ssrf") when any resolved address is not public and the feed is not
    allowed private addresses: a name that resolves to both a public and a private address is
    refused, as an attacker controlling DNS could otherwise pick which one we reach.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError("dns", f"cannot resolve {host}: {exc.strerror or exc}") from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchError("dns", f"cannot resolve {host}: no addresses")
    if not allow_private:
        refused = [a for a in addresses if not is_public_address(a)]
        if refused:
            raise FetchError(
                "ssrf",
                f"refused: {host} resolves to non-public address {refused[0]} "
                "(loopback, private and link-local addresses need allow_private = true)",
            )
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection that keeps the URL's host (for Host:) but connects to a checked IP."""

    def __init__(self, host: str, port: int, address: str, limits: FetchLimits) -> None:
        super().__init__(host, port, timeout=limits.connect_timeout)
        self._address = address
        self._read_timeout = limits.read_timeout

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.settimeout(self._read_timeout)


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = 443
    _tls = ssl.create_default_context()

    def connect(self) -> None:
        super().connect()
        self.sock = self._tls.wrap_socket(self.sock, server_hostname=self.host)


def fetch(
    url: str,
    *,
    limits: FetchLimits,
    allow_private: bool = False,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
) -> FetchResponse:
    """GET `url` following redirects; a 304 is returned (status 304, empty body), any other
    non-2xx status raises FetchError carrying the status and Retry-After."""
    headers = {
        "User-Agent": limits.user_agent,
        "Accept": accept,
        "Accept-Encoding": "gzip",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + limits.total_timeout
    visited = [url]
    current = url
    while True:
        response = _fetch_one(current, headers, limits, allow_private, deadline)
        if response.status not in REDIRECT_STATUSES:
            response.redirects = visited[1:]
            return response
        location = response.location
        if not location:
            raise FetchError("http", f"HTTP {response.status} without Location", url=current)
        target = urljoin(current, location.strip())
        if target in visited:
            raise FetchError(
                "redirect_loop", f"redirect loop: {' -> '.join(visited + [target])}", url=url
            )
        if len(visited) > limits.max_redirects:
            raise FetchError(
                "too_many_redirects",
                f"more than {limits.max_redirects} redirects from {url}",
                url=url,
            )
        visited.append(target)
        current = target


def _fetch_one(
    url: str, headers: dict[str, str], limits: FetchLimits, allow_private: bool, deadline: float
) -> FetchResponse:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("bad_url", f"not an http(s) URL: {url!r}", url=url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError("bad_url", f"bad port in {url!r}", url=url) from exc
    address = resolve_checked(parts.hostname, port, allow_private=allow_private)
    if time.monotonic() >= deadline:
        raise FetchError("timeout", f"total timeout {limits.total_timeout:g}s exceeded", url=url)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address, limits)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    with _watchdog(connection, deadline):
        try:
            connection.request("GET", path, headers=headers)
            raw = connection.getresponse()
            status = raw.status
            if status in REDIRECT_STATUSES:
                return FetchResponse(url=url, status=status, location=raw.getheader("Location", ""))
            if status == 304:
                return FetchResponse(
                    url=url,
                    status=304,
                    etag=raw.getheader("ETag"),
                    last_modified=raw.getheader("Last-Modified"),
                )
            if not 200 <= status < 300:
                retry_after = parse_retry_after(raw.getheader("Retry-After"))
                raise FetchError(
                    "http",
                    f"HTTP {status} {raw.reason}".strip(),
                    status=status,
                    retry_after=retry_after,
                    url=url,
                )
            body = _read_body(raw, limits, deadline, url)
            return FetchResponse(
                url=url,
                status=status,
                body=body,
                content_type=raw.getheader("Content-Type", ""),
                etag=raw.getheader("ETag"),
                last_modified=raw.getheader("Last-Modified"),
            )
        except FetchError:
            raise
        except TimeoutError as exc:
            raise FetchError(
                "timeout",
                f"timed out reading {url} (read timeout {limits.read_timeout:g}s)",
                url=url,
            ) from exc
        except ssl.SSLError as exc:
            raise FetchError("tls", f"TLS error from {parts.hostname}: {exc}", url=url) from exc
        except (OSError, http.client.HTTPException) as exc:
            if time.monotonic() >= deadline:
                raise FetchError(
                    "timeout",
                    f"total timeout {limits.total_timeout:g}s exceeded fetching {url}",
                    url=url,
                ) from exc
            raise FetchError(
                "connection", f"{type(exc).__name__} from {url}: {exc}", url=url
            ) from exc
        finally:
            connection.close()


@contextmanager
def _watchdog(connection: http.client.HTTPConnection, deadline: float) -> Iterator[None]:
    """Shut the socket down at the deadline: a blocked recv then returns and the fetch fails,
    however slowly the server drips bytes (each recv alone would reset a socket timeout)."""

    def expire() -> None:
        sock = connection.sock
        if sock is not None:
            # OSError: already closed by the fetch itself, nothing left to interrupt.
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(max(0.0, deadline - time.monotonic()), expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _read_body(
    raw: http.client.HTTPResponse, limits: FetchLimits, deadline: float, url: str
) -> bytes:
    declared = raw.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(
            "too_large",
            f"response of {int(declared)} bytes exceeds the limit of {limits.max_bytes} bytes",
            url=url,
        )
    gzipped = raw.getheader("Content-Encoding", "").strip().lower() in ("gzip", "x-gzip")
    # wbits 47 accepts gzip and zlib wrappers; max_length bounds the output (gzip bombs).
    inflater = zlib.decompressobj(47) if gzipped else None
    pieces: list[bytes] = []
    size = 0
    received = 0
    while True:
        chunk = raw.read1(CHUNK_BYTES)
        received += len(chunk)
        if time.monotonic() >= deadline:
            raise FetchError(
                "timeout",
                f"total timeout {limits.total_timeout:g}s exceeded reading {url}",
                url=url,
            )
        if not chunk:
            break
        if inflater is not None:
            try:
                chunk = inflater.decompress(chunk, limits.max_bytes - size + 1)
            except zlib.error as exc:
                raise FetchError("encoding", f"bad gzip body from {url}: {exc}", url=url) from exc
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchError(
                "too_large",
                f"response exceeds the limit of {limits.max_bytes} bytes (aborted while reading)",
                url=url,
            )
        pieces.append(chunk)
    if declared and declared.isdigit() and received < int(declared):
        # The watchdog's shutdown, or a server that closed early, ends the body short.
        raise FetchError(
            "connection", f"body ended after {received} of {declared} bytes from {url}", url=url
        )
    return b"".join(pieces)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(
    consecutive_errors: int, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """Exponential backoff with jitter: base * 2^(n-1), capped, then scaled by 0.5-1.0 so feeds
    that failed together (a shared host went down) do not come back in lockstep."""
    rng = rng or random
    exponent = min(max(consecutive_errors - 1, 0), 30)
    delay = min(cap, base * (2**exponent))
    return delay * rng.uniform(0.5, 1.0)


class HostLimiter:
    """At most `limit` requests in flight per host, shared by feed and article fetches."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._in_flight: dict[str, int] = {}
        self._condition = threading.Condition()

    def try_acquire(self, host: str) -> bool:
        with self._condition:
            if self._in_flight.get(host, 0) >= self._limit:
                return False
            self._in_flight[host] = self._in_flight.get(host, 0) + 1
            return True

    def release(self, host: str) -> None:
        with self._condition:
            self._in_flight[host] -= 1
            if not self._in_flight[host]:
                del self._in_flight[host]
            self._condition.notify_all()

    @contextmanager
    def slot(self, host: str, timeout: float | None = None) -> Iterator[None]:
        end = None if timeout is None else time.monotonic() + timeout
        with self._condition:
            while self._in_flight.get(host, 0) >= self._limit:
                remaining = None if end is None else end - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise FetchError("busy", f"no free connection slot for {host}")
                self._condition.wait(remaining)
            self._in_flight[host] = self._in_flight.get(host, 0) + 1
        try:
            yield
        finally:
            self.release(host)
