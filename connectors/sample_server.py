"""A small threaded HTTP server for feeds: the bundled sample feeds (config/samples/*.xml), and
any documents or misbehaving routes a test or the benchmark needs.

It behaves like a well-kept feed server: an ETag and Last-Modified per document, 304 for a
matching If-None-Match or If-Modified-Since, gzip when asked. It listens on 127.0.0.1 only; the
sample feeds in the default config carry `allow_private = true` so the SSRF rule lets the
connectors reach it.

    server = start_sample_server(8765)   # port 0 picks a free port
    server.url                           # "http://127.0.0.1:8765"
    server.close()

    server = start_feed_server({"/a.xml": rss_bytes}, routes={"/hang": hang_handler})
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from talkwatch.config import REPO_ROOT

SAMPLES_DIR = REPO_ROOT / "config" / "samples"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Document:
    body: bytes
    etag: str
    last_modified: str
    content_type: str


Route = Callable[[BaseHTTPRequestHandler], None]


def feed_document(
    body: bytes, content_type: str | None = None, mtime: float | None = None
) -> _Document:
    if content_type is None:
        kind = "atom" if b"<feed" in body[:2000] else "rss"
        content_type = f"application/{kind}+xml; charset=utf-8"
    return _Document(
        body=body,
        etag='"' + hashlib.sha256(body).hexdigest()[:20] + '"',
        last_modified=email.utils.formatdate(mtime or time.time(), usegmt=True),
        content_type=content_type,
    )


def _load(directory: Path) -> dict[str, _Document]:
    return {
        f"/{path.name}": feed_document(path.read_bytes(), mtime=path.stat().st_mtime)
        for path in sorted(directory.glob("*.xml"))
    }


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self,
        port: int,
        documents: Mapping[str, _Document | bytes],
        routes: Mapping[str, Route] | None = None,
    ) -> None:
        self.documents = {
            path: doc if isinstance(doc, _Document) else feed_document(doc)
            for path, doc in documents.items()
        }
        self.routes = dict(routes or {})
        self.requests: list[tuple[str, dict[str, str]]] = []  # (path, headers) for tests
        self.stopping = threading.Event()  # routes that hang wait on this
        super().__init__(("127.0.0.1", port), _Handler)
        self.thread = threading.Thread(
            target=self.serve_forever,
            name="sample-feeds",
            kwargs={"poll_interval": 0.2},
            daemon=True,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def feed_urls(self) -> list[str]:
        return [self.url + path for path in self.documents]

    def close(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    server: FeedServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        path = self.path.split("?", 1)[0]
        self.server.requests.append((self.path, dict(self.headers.items())))
        route = self.server.routes.get(path)
        if route is not None:
            try:
                route(self)
            except (BrokenPipeError, ConnectionResetError):
                log.debug("client went away during %s", path)
            return None
        if path == "/":
            listing = "\n".join(self.server.documents).encode()
            return self._send(200, listing, "text/plain; charset=utf-8")
        document = self.server.documents.get(path)
        if document is None:
            return self._send(404, b"not found\n", "text/plain; charset=utf-8")
        headers = {"ETag": document.etag, "Last-Modified": document.last_modified}
        if (
            self.headers.get("If-None-Match") == document.etag
            or self.headers.get("If-Modified-Since") == document.last_modified
        ):
            return self._send(304, b"", None, headers)
        body = document.body
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
        return self._send(200, body, document.content_type, headers)

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str | None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("sample server: " + format, *args)


def start_feed_server(
    documents: Mapping[str, _Document | bytes] | None = None,
    routes: Mapping[str, Route] | None = None,
    port: int = 0,
) -> FeedServer:
    """Serve `documents` (path -> bytes) and `routes` (path -> handler) on 127.0.0.1."""
    server = FeedServer(port, documents or {}, routes)
    server.thread.start()
    return server


def start_sample_server(port: int = 0, directory: Path | None = None) -> FeedServer:
    """Serve the sample feeds on 127.0.0.1:`port` from a daemon thread; returns the server."""
    return start_feed_server(_load(directory or SAMPLES_DIR), port=port)
