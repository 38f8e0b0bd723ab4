"""The email an analyst receives: subject, text and HTML parts, and hostile article text."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from pipelines.alerts.render import build_message, discover_url, one_line, subject_line

EVENT = {
    "event_id": "evt-0123456789abcdef0123", "series": "astana", "round": 2,
    "status": "opening", "location": "Astana", "country": "Kazakhstan",
    "venue": {"city": "Astana", "country": "Kazakhstan", "location": {"lat": 51.2, "lon": 71.4}},
    "start_date": "2017-02-15", "end_date": "2017-02-16",
    "participants": [{"actor": "Russia", "role": "guarantor/sponsor"},
                     {"actor": "Turkey", "role": "guarantor/sponsor"},
                     {"actor": "Staffan de Mistura", "role": "mediator/envoy"}],
    "outcomes": ["ceasefire monitoring group"],
    "evidence": {"round": {"sentence": "The second round of Astana talks opened on Wednesday.",
                           "start": 0, "end": 52, "confidence": 0.9}},
    "mention_count": 2,
    "sources": [{"id": "a1", "url": "https://news.example.org/astana-2",
                 "title": "Second round of Astana talks opens", "published": "2017-02-15"}],
}  # fmt: skip


def alert(**event_fields):
    ev = {**EVENT, **event_fields}
    return {"id": "alr-1", "event_id": ev["event_id"], "headline": "New round", "series": "astana",
            "subject": subject_line("New round", ev), "event": ev}


def message(a, **kw) -> EmailMessage:
    built = build_message([a], sender="talkwatch <tw@example.org>", recipients=["a@example.org"],
                          message_id="<alr-1@talkwatch>", kibana_url="http://kibana:5601",
                          index_prefix="talkwatch", **kw)
    return message_from_bytes(built.as_bytes(), policy=policy.default)


def parts(msg):
    return (msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content())


def test_subject_names_headline_round_venue_and_date():
    assert subject_line("New round", EVENT) == \
        "[talkwatch] New round: Astana 2 — Astana, 15 Feb 2017"


def test_subject_leaves_out_what_is_unknown():
    assert subject_line("Round announced", {"series": "geneva"}) == \
        "[talkwatch] Round announced: Geneva talks"


def test_message_has_text_and_html_parts_with_the_round():
    msg = message(alert())
    assert msg["Subject"] == "[talkwatch] New round: Astana 2 — Astana, 15 Feb 2017"
    assert msg.get_content_type() == "multipart/alternative"
    text, html = parts(msg)
    for body in (text, html):
        assert "opening" in body and "15 Feb 2017 to 16 Feb 2017" in body
        assert "Astana, Kazakhstan" in body
        assert "Russia, Turkey" in body and "mediator/envoy" in body
        assert "The second round of Astana talks opened on Wednesday." in body
        assert "https://news.example.org/astana-2" in body
        assert "ceasefire monitoring group" in body
    assert "guarantor/sponsor: Russia, Turkey" in text
    assert "app/discover#/" in text and "evt-0123456789abcdef0123" in text
    assert '<a href="https://news.example.org/astana-2">' in html


def test_crlf_in_hostile_text_cannot_add_a_header():
    hostile = "Astana\r\nBcc: victim@example.org\r\nX-Injected: yes"
    msg = message(alert(location=hostile, sources=[
        {"id": "a1", "url": "https://x.example/1", "title": "Talks\r\nBcc: v@example.org"}]))
    assert msg["Bcc"] is None and msg["X-Injected"] is None
    assert "\n" not in msg["Subject"] and "Bcc: victim" in msg["Subject"]
    assert set(msg.keys()) == {"Subject", "From", "To", "Date", "Message-ID", "Auto-Submitted",
                               "X-Talkwatch-Alerts", "MIME-Version", "Content-Type"}


def test_the_message_policy_refuses_a_header_with_a_line_break():
    built = build_message([alert()], sender="tw@example.org", recipients=["a@example.org"],
                          message_id="<x@talkwatch>", kibana_url="http://k", index_prefix="t")
    with pytest.raises(ValueError):
        built["X-Test"] = "a\r\nBcc: b@example.org"


def test_html_is_escaped_and_only_http_links_are_links():
    msg = message(alert(outcomes=["<script>alert(1)</script>"], sources=[
        {"id": "a1", "url": "javascript:alert(1)", "title": "<b>bold</b> & co"}]))
    _, html = parts(msg)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html
    assert 'href="javascript' not in html


def test_one_line_removes_control_characters_and_limits_length():
    assert one_line("a\r\n\tb\u2028c\x00d") == "a b c d"
    assert one_line("x" * 50, 10) == "x" * 9 + "…"


def test_discover_link_filters_the_event_on_the_events_data_view():
    url = discover_url("http://kibana:5601", "talkwatch", "evt-1")
    assert url.startswith("http://kibana:5601/app/discover#/?_g=(time:(from:")
    assert "dataViewId:'talkwatch-events'" in url and "event_id:%22evt-1%22" in url


def test_a_digest_lists_every_alert():
    second = {**alert(round=3, start_date="2017-03-14"), "id": "alr-2",
              "subject": "[talkwatch] New round: Astana 3 — Astana, 14 Mar 2017"}
    built = build_message([alert(), second], sender="tw@example.org",
                          recipients=["a@example.org"], message_id="<d@talkwatch>",
                          kibana_url="http://k", index_prefix="t")
    assert built["Subject"].startswith("[talkwatch] Digest, 2 alerts: New round: Astana 2")
    text = built.get_body(("plain",)).get_content()
    assert "Astana 2" in text and "Astana 3" in text
