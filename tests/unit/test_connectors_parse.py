"""Feed bytes -> entries: entity expansion refused, encodings repaired, non-feeds named."""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest

from connectors.parse import FeedParseError, decode_feed, parse_feed

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
URL = "https://feeds.talkwatch.example/rss.xml"


def parse(name: str, content_type: str = "application/rss+xml"):
    return parse_feed((FIXTURES / name).read_bytes(), url=URL, content_type=content_type)


def titles(name: str) -> list[str]:
    return [entry["title"] for entry in parse(name).entries]


def test_billion_laughs_is_refused_without_expanding() -> None:
    started = time.monotonic()
    with pytest.raises(FeedParseError, match="declares XML entities") as caught:
        parse("billion-laughs.xml")
    assert caught.value.kind == "entities"
    assert time.monotonic() - started < 1.0


def test_an_entity_declared_in_a_utf16_document_is_refused_too() -> None:
    data = (FIXTURES / "billion-laughs.xml").read_bytes().decode()
    with pytest.raises(FeedParseError, match="entities"):
        parse_feed(codecs.BOM_UTF16_LE + data.encode("utf-16-le"), url=URL)


def test_an_html_page_is_not_a_feed() -> None:
    with pytest.raises(FeedParseError, match="HTML page") as caught:
        parse("not-a-feed.html", content_type="text/html; charset=utf-8")
    assert caught.value.kind == "not_a_feed"


def test_garbage_is_reported_as_malformed_xml() -> None:
    with pytest.raises(FeedParseError, match="malformed XML") as caught:
        parse("garbage.xml")
    assert caught.value.kind == "malformed"


def test_an_empty_body_is_an_error() -> None:
    with pytest.raises(FeedParseError, match="empty"):
        parse_feed(b"  \n", url=URL)


def test_an_empty_feed_is_fine_with_a_warning() -> None:
    parsed = parse("empty.xml")
    assert (parsed.entries, parsed.warnings) == ([], ["feed has no entries"])


def test_malformed_xml_keeps_what_the_lenient_parser_recovers_and_says_so() -> None:
    parsed = parse("malformed.xml")
    assert parsed.entries[0]["title"] == (
        "Delegations arrive in Astana & Geneva for parallel meetings")
    assert len(parsed.warnings) == 1 and parsed.warnings[0].startswith("malformed XML")


def test_declared_utf8_written_in_windows_1252_is_repaired() -> None:
    parsed = parse("wrong-encoding.xml")
    assert [e["title"] for e in parsed.entries] == ["Délégués réunis à Genève"]
    assert "read as cp1252" in parsed.warnings[0]


def test_mixed_utf8_and_windows_1252_are_both_read_right() -> None:
    assert titles("mixed-encoding.xml") == ["Pourparlers à Genève", "Réunion à Astana – suite"]


def test_a_declared_arabic_code_page_is_honoured() -> None:
    assert titles("arabic-cp1256.xml") == ["محادثات أستانا"]


def test_header_charset_that_lies_about_a_utf8_body_loses() -> None:
    text, warnings = decode_feed("<a>Genève</a>".encode(), "text/xml; charset=iso-8859-1")
    assert text == "<a>Genève</a>"
    assert "body is UTF-8" in warnings[0]


def test_utf16_with_bom_is_decoded() -> None:
    rss = ('<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>x'
           '</title><item><title>Женева</title><link>https://a.example/1</link></item>'
           "</channel></rss>")
    parsed = parse_feed(codecs.BOM_UTF16_BE + rss.encode("utf-16-be"), url=URL)
    assert [e["title"] for e in parsed.entries] == ["Женева"]


def test_control_characters_do_not_break_a_feed() -> None:
    rss = (b'<rss version="2.0"><channel><title>x</title><item><title>Astana\x0b talks\x01'
           b"</title><link>https://a.example/1</link></item></channel></rss>")
    parsed = parse_feed(rss, url=URL)
    assert [e["title"] for e in parsed.entries] == ["Astana talks"]
    assert parsed.warnings == []


def test_atom_and_rss_samples_parse_cleanly() -> None:
    samples = Path(__file__).resolve().parents[2] / "config" / "samples"
    counts = {p.name: len(parse_feed(p.read_bytes(), url=URL).entries)
              for p in sorted(samples.glob("*.xml"))}
    assert counts == {"region-news.xml": 6, "syria-talks.xml": 8}
