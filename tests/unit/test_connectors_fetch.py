"""HTTP fetches against real servers on 127.0.0.1: validators, limits, redirects, SSRF."""

from __future__ import annotations

import gzip
import random
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from connectors import fetch as fetch_module
from connectors.fetch import (
    FetchError,
    FetchLimits,
    HostLimiter,
    backoff_delay,
    fetch,
    is_public_address,
    parse_retry_after,
    resolve_checked,
)
from connectors.sample_server import FeedServer, start_feed_server

RSS = b'<rss version="2.0"><channel><title>t</title></channel></rss>'
LIMITS = FetchLimits(connect_timeout=2, read_timeout=1, total_timeout=5, max_bytes=1_000_000,
                     max_redirects=3)


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"",
         headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def redirect_to(location: str):
    return lambda h: send(h, 302, headers={"Location": location})


def hang(handler: BaseHTTPRequestHandler) -> None:
    handler.server.stopping.wait(10)


def drip(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    for _ in range(1000):
        handler.wfile.write(b"x")
        handler.wfile.flush()
        if handler.server.stopping.wait(0.5):
            return


def endless(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.send_header("Connection", "close")
    handler.end_headers()
    chunk = b"<item>" + b"x" * 65536 + b"</item>"
    for _ in range(1000):  # about 64 MB, never all sent: the client aborts
        handler.wfile.write(chunk)


def declared_huge(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", str(50 * 1024 * 1024))
    handler.end_headers()
    handler.wfile.write(b"<rss>")


def gzip_bomb(handler: BaseHTTPRequestHandler) -> None:
    send(handler, 200, gzip.compress(b"\0" * 5_000_000), {"Content-Encoding": "gzip"})


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    routes = {
        "/hang": hang,
        "/drip": drip,
        "/endless": endless,
        "/declared-huge": declared_huge,
        "/bomb": gzip_bomb,
        "/loop-a": redirect_to("/loop-b"),
        "/loop-b": redirect_to("/loop-a"),
        "/r1": redirect_to("/r2"), "/r2": redirect_to("/r3"), "/r3": redirect_to("/r4"),
        "/r4": redirect_to("/r5"), "/r5": redirect_to("/feed.xml"),
        "/moved": redirect_to("/feed.xml"),
        "/to-other-loopback": redirect_to("http://127.0.0.2:9/feed.xml"),
        "/busy": lambda h: send(h, 429, b"slow down", {"Retry-After": "120"}),
        "/gone": lambda h: send(h, 410, b"gone"),
    }
    server = start_feed_server({"/feed.xml": RSS}, routes)
    yield server
    server.close()


def test_a_plain_fetch_returns_body_and_validators(server: FeedServer) -> None:
    response = fetch(server.url + "/feed.xml", limits=LIMITS, allow_private=True)
    assert (response.status, response.body) == (200, RSS)
    assert response.etag and response.last_modified
    assert response.content_type.startswith("application/rss+xml")


def test_gzip_is_asked_for_and_decoded(server: FeedServer) -> None:
    fetch(server.url + "/feed.xml", limits=LIMITS, allow_private=True)
    path, headers = server.requests[-1]
    assert headers["Accept-Encoding"] == "gzip"


def test_conditional_get_with_the_etag_gets_304(server: FeedServer) -> None:
    first = fetch(server.url + "/feed.xml", limits=LIMITS, allow_private=True)
    second = fetch(server.url + "/feed.xml", limits=LIMITS, allow_private=True,
                   etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.body == b""
    assert server.requests[-1][1]["If-None-Match"] == first.etag


def test_a_hanging_server_times_out(server: FeedServer) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out") as caught:
        fetch(server.url + "/hang", limits=LIMITS, allow_private=True)
    assert caught.value.kind == "timeout"
    assert time.monotonic() - started < 3


def test_a_dripping_server_hits_the_total_deadline(server: FeedServer) -> None:
    limits = FetchLimits(connect_timeout=2, read_timeout=2, total_timeout=1.5)
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(server.url + "/drip", limits=limits, allow_private=True)
    assert caught.value.kind == "timeout"
    assert time.monotonic() - started < 4


def test_a_declared_50mb_body_is_refused_before_reading(server: FeedServer) -> None:
    with pytest.raises(FetchError, match="52428800 bytes exceeds") as caught:
        fetch(server.url + "/declared-huge", limits=LIMITS, allow_private=True)
    assert caught.value.kind == "too_large"


def test_an_undeclared_endless_body_is_aborted_while_streaming(server: FeedServer) -> None:
    with pytest.raises(FetchError, match="aborted while reading") as caught:
        fetch(server.url + "/endless", limits=LIMITS, allow_private=True)
    assert caught.value.kind == "too_large"


def test_a_gzip_bomb_is_stopped_at_the_decompressed_limit(server: FeedServer) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(server.url + "/bomb", limits=LIMITS, allow_private=True)
    assert caught.value.kind == "too_large"


def test_redirects_are_followed_and_reported(server: FeedServer) -> None:
    response = fetch(server.url + "/moved", limits=LIMITS, allow_private=True)
    assert (response.status, response.url) == (200, server.url + "/feed.xml")
    assert response.redirects == [server.url + "/feed.xml"]


def test_a_redirect_loop_is_detected(server: FeedServer) -> None:
    with pytest.raises(FetchError, match="redirect loop") as caught:
        fetch(server.url + "/loop-a", limits=LIMITS, allow_private=True)
    assert caught.value.kind == "redirect_loop"


def test_too_many_redirects(server: FeedServer) -> None:
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetch(server.url + "/r1", limits=LIMITS, allow_private=True)


def test_429_carries_retry_after(server: FeedServer) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(server.url + "/busy", limits=LIMITS, allow_private=True)
    assert (caught.value.status, caught.value.retry_after) == (429, 120.0)


def test_other_statuses_are_errors_with_the_status(server: FeedServer) -> None:
    with pytest.raises(FetchError, match="HTTP 410") as caught:
        fetch(server.url + "/gone", limits=LIMITS, allow_private=True)
    assert caught.value.status == 410


# --- SSRF ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
     "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "fe80::1", "fc00::1",
     "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::"],
)
def test_non_public_addresses_are_not_public(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "151.101.1.140", "2606:4700::1111",
                                     "::ffff:8.8.8.8"])
def test_public_addresses_are_public(address: str) -> None:
    assert is_public_address(address)


def test_loopback_is_refused_unless_allowed(server: FeedServer) -> None:
    with pytest.raises(FetchError, match="non-public address 127.0.0.1") as caught:
        fetch(server.url + "/feed.xml", limits=LIMITS, allow_private=False)
    assert caught.value.kind == "ssrf"
    assert resolve_checked("localhost", 80, allow_private=True) in ("127.0.0.1", "::1")


def test_names_are_checked_after_dns_resolution() -> None:
    with pytest.raises(FetchError, match="localhost resolves to non-public"):
        resolve_checked("localhost", 80, allow_private=False)


def test_every_redirect_hop_is_checked(server: FeedServer,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend 127.0.0.1 is public so the first hop passes; the redirect to 127.0.0.2 must not.
    monkeypatch.setattr(fetch_module, "is_public_address", lambda a: a == "127.0.0.1")
    with pytest.raises(FetchError, match="127.0.0.2") as caught:
        fetch(server.url + "/to-other-loopback", limits=LIMITS, allow_private=False)
    assert caught.value.kind == "ssrf"


def test_the_connection_goes_to_the_checked_address(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the socket is opened to the address that passed the check."""
    connected: list[tuple] = []

    def fake_create_connection(address, timeout=None):
        connected.append(address)
        raise ConnectionRefusedError("test stops here")

    monkeypatch.setattr(fetch_module.socket, "create_connection", fake_create_connection)
    monkeypatch.setattr(fetch_module.socket, "getaddrinfo",
                        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "",
                                          ("93.184.215.14", 80))])
    with pytest.raises(FetchError):
        fetch("http://news.talkwatch.example/feed", limits=LIMITS)
    assert connected == [("93.184.215.14", 80)]


# --- backoff, Retry-After, host limits ------------------------------------------------------

def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    rng = random.Random(7)
    delays = [backoff_delay(n, 60, 3600, rng) for n in range(1, 10)]
    for n, delay in enumerate(delays, start=1):
        full = min(3600, 60 * 2 ** (n - 1))
        assert full * 0.5 <= delay <= full


def test_retry_after_seconds_and_http_dates() -> None:
    from datetime import UTC, datetime
    now = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Mon, 01 Jan 2024 12:05:00 GMT", now) == 300.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_host_limiter_caps_requests_per_host() -> None:
    limiter = HostLimiter(2)
    assert limiter.try_acquire("a") and limiter.try_acquire("a")
    assert not limiter.try_acquire("a")
    assert limiter.try_acquire("b")
    released = threading.Timer(0.1, limiter.release, args=("a",))
    released.start()
    with limiter.slot("a", timeout=2):
        pass
    with pytest.raises(FetchError, match="no free connection slot"):
        limiter.try_acquire("a")
        with limiter.slot("a", timeout=0.1):
            pass
