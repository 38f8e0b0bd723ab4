"""Optional full-text fetch of the article page, for feeds that carry only a summary.

The page is fetched with the feed's limits and SSRF rule (through connectors.fetch) and the
main text is extracted with trafilatura. When the page cannot be fetched or yields less text
than the feed already had, the article keeps the feed's text: a missing page never costs the
article, and the reason is logged with the article id.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from connectors.feeds import Feed
from connectors.fetch import FetchError, FetchLimits, HostLimiter, fetch
from connectors.normalize import MAX_TEXT, html_to_text
from connectors.parse import decode_feed

log = logging.getLogger(__name__)


def extract_main_text(html: str, url: str) -> str:
    """The article body of a page: trafilatura when it imports, else all visible text."""
    try:
        import trafilatura
    except ImportError as exc:  # trafilatura 2.3 needs lxml_html_clean beside lxml >= 5.2
        log.debug("trafilatura unavailable (%s); using plain HTML text", exc)
        return html_to_text(html)
    return (
        trafilatura.extract(
            html, url=url, include_comments=False, include_tables=False, favor_precision=True
        )
        or ""
    )


def fetch_full_text(
    message: dict[str, Any], feed: Feed, limits: FetchLimits, limiter: HostLimiter
) -> dict[str, Any]:
    """Return the article message with `text` replaced by the page's main text when longer."""
    host = (urlsplit(message["url"]).hostname or "").lower()
    try:
        if host == feed.host:
            # The worker already holds a slot for this host (the feed fetch).
            response = _fetch_page(message["url"], feed, limits)
        else:
            with limiter.slot(host, timeout=limits.total_timeout):
                response = _fetch_page(message["url"], feed, limits)
    except FetchError as exc:
        log.info("article %s: full text not fetched: %s", message["id"], exc)
        return message
    text, _ = decode_feed(response.body, response.content_type)
    extracted = extract_main_text(text, message["url"]).strip()
    if len(extracted) <= len(message["text"]):
        return message
    return {**message, "text": extracted[:MAX_TEXT]}


def _fetch_page(url: str, feed: Feed, limits: FetchLimits) -> Any:
    return fetch(
        url,
        limits=limits,
        allow_private=feed.allow_private,
        accept="text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
    )
