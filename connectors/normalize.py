"""Feed entry -> Article: canonical URL and id, plain text, UTC dates.

Everything here is a pure function of the entry, the feed settings and the fetch time, so the
same entry gives the same Article (and the same id) on every poll, on every machine and in a
backfill; downstream stages rely on that for idempotence.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from connectors.feeds import Feed
from schemas.models import Article

# Query parameters that identify a campaign or a click, never the article.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_ga",
        "_gl",
        "ocid",
        "cmpid",
        "cmp",
        "xtor",
        "ito",
        "icid",
        "smid",
        "ref_src",
        "__twitter_impression",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_enc_id",
        "oly_anon_id",
        "vero_id",
    }
)
TRACKING_PREFIXES = ("utm_", "ns_", "at_", "mtm_", "pk_", "hsa_")

# Dates before this are placeholders (1970 from a zero timestamp, 1900 from a bad template).
EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=UTC)
# Clocks and time zones drift; a date more than a day ahead of the fetch is a feed bug.
FUTURE_TOLERANCE = timedelta(days=1)

MAX_URL = 4096
MAX_TITLE = 1000
MAX_SUMMARY = 10_000
# Kafka's default message limit is 1 MB; a longer "article" is a page dump, not a story.
MAX_TEXT = 200_000
MAX_TAGS = 30
WHITESPACE = re.compile(r"\s+")
BLANK_LINES = re.compile(r"\n{3,}")


class NormalizationError(ValueError):
    """An entry that cannot become an Article; the message is the dead letter's reason."""


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no user info, no default port, no fragment, no tracking
    parameters, remaining parameters in sorted order. Raises NormalizationError otherwise."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise NormalizationError(f"unsupported link scheme {scheme or '(none)'!r}: {url[:200]!r}")
    host = parts.hostname
    if not host:
        raise NormalizationError(f"link has no host: {url[:200]!r}")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        host = host.lower()
    try:
        port = parts.port
    except ValueError as exc:
        raise NormalizationError(f"link has a bad port: {url[:200]!r}") from exc
    netloc = f"[{host}]" if ":" in host else host
    if port and port != {"http": 80, "https": 443}[scheme]:
        netloc += f":{port}"
    kept = [
        pair
        for pair in parts.query.split("&")
        if pair and not _is_tracking(unquote(pair.split("=", 1)[0]).lower())
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", "&".join(sorted(kept)), ""))


def _is_tracking(key: str) -> bool:
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def article_id(canonical: str) -> str:
    """The stable id: the first 32 hex digits (128 bits) of SHA-256 of the canonical URL."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


class _TextExtractor(HTMLParser):
    BLOCK = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "tr",
            "blockquote",
            "section",
            "article",
            "header",
            "footer",
            "pre",
            "table",
            "hr",
        }
    )
    SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "object"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text with paragraph breaks; scripts and styles dropped, entities decoded."""
    if "<" not in html and "&" not in html:
        return _tidy(html)
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return _tidy("".join(extractor.parts))


def _tidy(text: str) -> str:
    lines = (WHITESPACE.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def clean_title(title: str) -> str:
    """One line of plain text: HTML removed, CR/LF and runs of spaces folded to one space."""
    text = html_to_text(title) if ("<" in title or "&" in title) else title
    return WHITESPACE.sub(" ", unescape(text)).strip()[:MAX_TITLE]


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def published_at(entry: dict[str, Any], fetched_at: datetime) -> tuple[datetime, bool]:
    """(date, inferred): the first plausible of published/updated/created, else the fetch time
    with inferred=True. feedparser already converted the feed's date to UTC struct_time."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if not parsed:
            continue
        try:
            moment = datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
        except (OverflowError, ValueError, OSError, TypeError):
            continue
        if EARLIEST_PLAUSIBLE <= moment <= fetched_at + FUTURE_TOLERANCE:
            return moment, False
    return fetched_at, True


def entry_link(entry: dict[str, Any], base_url: str) -> str:
    """The article URL: link, else an alternate link, else a guid that is a URL; resolved
    against the feed URL when relative."""
    candidates = [entry.get("link")]
    candidates += [
        link.get("href")
        for link in entry.get("links", [])
        if link.get("rel", "alternate") == "alternate"
    ]
    guid = entry.get("id")
    if guid and (entry.get("guidislink") or str(guid).startswith(("http://", "https://"))):
        candidates.append(guid)
    for candidate in candidates:
        if candidate and str(candidate).strip():
            return urljoin(base_url, str(candidate).strip())
    raise NormalizationError("entry has no link")


def normalize_entry(
    entry: dict[str, Any], feed: Feed, *, base_url: str, fetched_at: datetime
) -> Article:
    """Build and validate the Article; raise NormalizationError with the dead-letter reason."""
    url = entry_link(entry, base_url)
    canonical = canonical_url(url)
    if len(url) > MAX_URL or len(canonical) > MAX_URL:
        raise NormalizationError(f"link longer than {MAX_URL} characters")
    title = clean_title(str(entry.get("title", "")))
    summary = html_to_text(str(entry.get("summary", "")))[:MAX_SUMMARY]
    text = _entry_text(entry) or summary
    if not title and not text:
        raise NormalizationError("entry has neither a title nor any text")
    moment, inferred = published_at(entry, fetched_at)
    article = Article(
        id=article_id(canonical),
        url=url,
        canonical_url=canonical,
        feed=feed.name,
        source=feed.source,
        title=title,
        summary=summary,
        text=text[:MAX_TEXT],
        published_at=iso_utc(moment),
        published_at_inferred=inferred,
        fetched_at=iso_utc(fetched_at),
        language=feed.language,
        authors=_authors(entry),
        tags=_tags(feed, entry),
    )
    return article


def _entry_text(entry: dict[str, Any]) -> str:
    contents = entry.get("content") or []
    values = [c.get("value", "") for c in contents if isinstance(c, dict)]
    return html_to_text("\n".join(v for v in values if v))


def _authors(entry: dict[str, Any]) -> list[str]:
    names = [clean_title(str(a.get("name", ""))) for a in entry.get("authors", []) if a]
    if not any(names) and entry.get("author"):
        names = [clean_title(str(entry["author"]))]
    return list(dict.fromkeys(n for n in names if n))


def _tags(feed: Feed, entry: dict[str, Any]) -> list[str]:
    terms = list(feed.tags)
    terms += [
        clean_title(str(t.get("term") or t.get("label") or "")) for t in entry.get("tags", [])
    ]
    unique: dict[str, str] = {}
    for term in terms:
        if term:
            unique.setdefault(term.casefold(), term)  # "syria" from config, "Syria" from feed
    return list(unique.values())[:MAX_TAGS]


def raw_entry(entry: Any) -> dict[str, Any]:
    """A JSON-safe copy of a feed entry for dead letters (dates become lists, the rest str)."""
    return json.loads(json.dumps(entry, default=str, ensure_ascii=False))
