"""Feed bytes -> feed entries, safely.

Three things happen before feedparser sees a byte:

1. Entity declarations are refused. feedparser hands well-formed documents to the stdlib SAX
   parser (expat), which expands internal entities: a "billion laughs" document of a few
   hundred bytes expands to gigabytes. A news feed has no business declaring entities, so any
   `<!ENTITY` in the document prologue rejects the whole feed with a clear error. This is a
   string check on the prologue, cheap enough to run on every poll, unlike a second full parse.
2. The body is decoded to text once, by our rule: a BOM wins; a body that is valid UTF-8 is
   UTF-8 whatever the header or the XML declaration claim (valid UTF-8 with non-ASCII bytes is
   practically never another encoding); otherwise the declared encoding; otherwise bytes that
   are not UTF-8 are read as windows-1252 one by one (feeds stitched together from two sources
   in two encodings are common). The reason is kept as a warning on the feed.
3. Characters XML forbids (C0 controls) are removed, so one stray control byte does not push the
   whole document onto feedparser's lenient fallback parser.

The text is then re-encoded as UTF-8 with a matching declaration and parsed by feedparser.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Any

import feedparser

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
XML_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
XML_ILLEGAL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FIRST_ELEMENT = re.compile(r"<[A-Za-z_]")
HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html)", re.IGNORECASE | re.DOTALL)


class FeedParseError(Exception):
    """The document cannot be read as a feed; `kind` names the cause."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass
class ParsedFeed:
    version: str
    title: str
    entries: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)


def parse_feed(data: bytes, *, url: str, content_type: str = "") -> ParsedFeed:
    """Parse one feed document. Raises FeedParseError when nothing usable is in it."""
    if not data.strip():
        raise FeedParseError("empty_body", "empty response body")
    text, warnings = decode_feed(data, content_type)
    refuse_entity_declarations(text)
    text = XML_ILLEGAL_CHARS.sub("", text)
    text = XML_DECLARATION.sub("", text, count=1)
    payload = ('<?xml version="1.0" encoding="utf-8"?>' + text).encode("utf-8")
    parsed = feedparser.parse(
        payload,
        response_headers={
            "content-type": "application/xml; charset=utf-8",
            "content-location": url,
        },
        resolve_relative_uris=True,
        sanitize_html=True,
    )
    version = parsed.get("version", "")
    entries = list(parsed.get("entries", []))
    problem = _bozo_message(parsed)
    if not version and not entries:
        if HTML_START.match(text) or "html" in content_type.lower():
            raise FeedParseError(
                "not_a_feed",
                f"an HTML page, not an RSS/Atom feed (Content-Type {content_type or 'missing'})",
            )
        if problem:
            raise FeedParseError("malformed", f"malformed XML: {problem}")
        raise FeedParseError("not_a_feed", "no RSS or Atom root element")
    if problem:
        warnings.append(
            f"malformed XML ({problem}); {len(entries)} entries recovered by the lenient parser"
        )
    if not entries:
        warnings.append("feed has no entries")
    return ParsedFeed(
        version=version,
        title=parsed.get("feed", {}).get("title", ""),
        entries=entries,
        warnings=warnings,
    )


def _bozo_message(parsed: Any) -> str:
    if not parsed.get("bozo"):
        return ""
    exception = parsed.get("bozo_exception")
    # Encoding overrides are ours (we re-encode to UTF-8); they are not a fault of the feed.
    if isinstance(exception, feedparser.CharacterEncodingOverride | feedparser.NonXMLContentType):
        return ""
    return str(exception) or type(exception).__name__


def refuse_entity_declarations(text: str) -> None:
    """Raise FeedParseError if the prologue (before the root element) declares entities."""
    match = FIRST_ELEMENT.search(text)
    prologue = text[: match.start()] if match else text
    if "<!ENTITY" in prologue.upper():
        raise FeedParseError(
            "entities",
            "refused: the document declares XML entities (entity expansion, e.g. billion laughs)",
        )


def decode_feed(data: bytes, content_type: str = "") -> tuple[str, list[str]]:
    """Bytes -> text by the rule in the module docstring; returns (text, warnings)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), []
    if data.startswith(b"<\x00?\x00"):
        return data.decode("utf-16-le", errors="replace"), []
    if data.startswith(b"\x00<\x00?"):
        return data.decode("utf-16-be", errors="replace"), []
    declared = _declared_encoding(data, content_type)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        warnings = []
        if declared and declared != "utf-8" and not data.isascii():
            warnings.append(f"declared encoding {declared} but the body is UTF-8; read as UTF-8")
        return text, warnings
    if declared and declared != "utf-8":
        try:
            return data.decode(declared), []
        except UnicodeDecodeError:
            pass
    fallback = declared if declared and _is_single_byte(declared) else "cp1252"
    repaired = _decode_mixed(data, fallback)
    return repaired.text, [
        f"mixed or wrong encoding: {repaired.replaced} bytes not valid "
        f"{declared or 'UTF-8'} read as {fallback}"
    ]


def _declared_encoding(data: bytes, content_type: str) -> str | None:
    names = []
    charset = CHARSET.search(content_type or "")
    if charset:
        names.append(charset.group(1))
    declaration = XML_DECLARED_ENCODING.match(data[:200])
    if declaration:
        names.append(declaration.group(1).decode("ascii"))
    for name in names:
        try:
            return codecs.lookup(name).name
        except LookupError:
            continue
    return None


def _is_single_byte(encoding: str) -> bool:
    if encoding.startswith("utf"):
        return False
    try:
        return len(bytes(range(256)).decode(encoding, errors="replace")) == 256
    except LookupError:
        return False


ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")


@dataclass
class _Mixed:
    text: str
    replaced: int


def _decode_mixed(data: bytes, fallback: str) -> _Mixed:
    """Decode UTF-8 where it is valid and `fallback` (a single-byte encoding) elsewhere.

    surrogateescape turns each invalid byte into a lone surrogate in one linear pass; the runs
    of them are then decoded with the fallback encoding."""
    text = data.decode("utf-8", errors="surrogateescape")
    replaced = 0

    def redecode(match: re.Match[str]) -> str:
        nonlocal replaced
        raw = bytes(ord(c) - 0xDC00 for c in match.group())
        replaced += len(raw)
        return raw.decode(fallback, errors="replace")

    return _Mixed(ESCAPED_BYTES.sub(redecode, text), replaced)
