"""Alerts end to end against a real Elasticsearch and a real SMTP server (aiosmtpd on loopback):
rules -> create-only alert documents -> outbox -> mailer -> one email, however often replayed."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from elasticsearch import Elasticsearch

from deploy.local.process import free_port
from pipelines.alerts.ledger import AlertLedger
from pipelines.alerts.mailer import Mailer
from pipelines.alerts.rules import load_rules
from pipelines.alerts.settings import load_alert_settings
from pipelines.sinks.elasticsearch import BulkWriter
from pipelines.sinks.indices import ensure_indices, index_name
from talkwatch.config import load_config

EVENT = {
    "event_id": "evt-00000000000000000a02", "keys": ["astana:round:2"], "series": "astana",
    "round": 2, "status": "opening", "is_syria_talks_round": True,
    "status_history": [{"status": "opening", "at": "2017-02-15", "source": "art-1"}],
    "location": "Astana", "country": "Kazakhstan",
    "venue": {"city": "Astana", "country": "Kazakhstan", "location": {"lat": 51.17, "lon": 71.45}},
    "start_date": "2017-02-15", "end_date": "2017-02-16",
    "participants": [{"actor": "Russia", "role": "guarantor/sponsor", "linked": True},
                     {"actor": "Iran", "role": "guarantor/sponsor", "linked": True},
                     {"actor": "Syrian government", "role": "delegation", "linked": True}],
    "actors": ["Russia", "Iran", "Syrian government"], "outcomes": [], "next_round": None,
    "evidence": {"round": {"sentence": "The second round of talks opened in Astana.",
                           "start": 10, "end": 53, "confidence": 0.92, "source": "art-1"}},
    "mention_count": 1, "first_seen": "2017-02-15T08:00:00Z", "last_seen": "2017-02-15T08:00:00Z",
    "sources": [{"id": "art-1", "url": "https://news.example.org/astana-2",
                 "title": "Second round of Astana talks opens", "published": "2017-02-15"}],
}  # fmt: skip
SUBJECT = "[talkwatch] New round: Astana 2 — Astana, 15 Feb 2017"


class Inbox:
    """aiosmtpd handler: keeps what it accepted; can refuse recipients with a 5xx."""

    def __init__(self, refuse: bool = False) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, options):
        if self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def parsed(self, number: int = 0):
        return message_from_bytes(self.messages[number][1], policy=policy.default)


@pytest.fixture
def smtp_server():
    """start(port=None, refuse=False) -> (Inbox, port); every server is stopped after the test."""
    controllers = []

    def start(port: int | None = None, refuse: bool = False):
        inbox = Inbox(refuse)
        port = port or free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return inbox, port

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def alerts_config(stack_config: Path, tmp_path: Path, es_url: str):
    """A config on the session's Elasticsearch with this test's own indices and mail dir."""
    counter = iter(range(100))

    def make(smtp_port: int | None, extra: str = ""):
        tag = f"{tmp_path.name[-12:].lower().replace('_', '-')}-{next(counter)}"
        base = stack_config.read_text().replace('index_prefix = "talkwatch"',
                                                f'index_prefix = "tw-alerts-{tag}"')
        smtp = f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\nsecurity = "none"\n' \
            'timeout_seconds = 5\n' if smtp_port else ""
        path = tmp_path / f"alerts-{tag}.toml"
        path.write_text(base + f'\n[alerts]\nmail_dir = "{tmp_path / ("mail-" + tag)}"\n'
                        'retry_base_seconds = 60\nlease_seconds = 120\n'
                        'kibana_url = "http://kibana.example:5601"\n'
                        '[[alerts.recipients]]\nemail = "analyst@example.org"\n'
                        + extra + "\n" + smtp)
        config = load_config(path)
        es = Elasticsearch(config.elasticsearch.url)
        ensure_indices(es, config.elasticsearch.index_prefix)
        es.close()
        return config

    return make


def pipeline_writes(config, event: dict, changed: bool = True) -> None:
    """What the sink does for a batch that touched `event`: write it, then the alert creates.

    changed=False is a redelivered article: the merge is a no-op, so no transition is recorded
    and the ledger reads the event back from the index."""
    es = Elasticsearch(config.elasticsearch.url)
    prefix = config.elasticsearch.index_prefix
    es.index(index=index_name(prefix, "events"), id=event["event_id"], document=event)
    settings = load_alert_settings(config)
    ledger = AlertLedger(es, index_name(prefix, "events"), index_name(prefix, "alerts"),
                         load_rules(settings.rule_tables, "test"))
    transitions = [(None, event)] if changed else []
    operations = ledger.operations(transitions, {"art-1": event["event_id"]})
    assert BulkWriter(es).write(operations) == []
    es.close()


def alert_docs(config) -> list[dict]:
    es = Elasticsearch(config.elasticsearch.url)
    index = index_name(config.elasticsearch.index_prefix, "alerts")
    es.indices.refresh(index=index)
    hits = es.search(index=index, size=100)["hits"]["hits"]
    es.close()
    return [h["_source"] for h in hits]


def send(config, now: datetime | None = None):
    mailer = Mailer(load_alert_settings(config))
    try:
        return mailer.run_once(now)
    finally:
        mailer.close()


def test_a_new_round_sends_exactly_one_email(alerts_config, smtp_server):
    inbox, port = smtp_server()
    config = alerts_config(port)
    pipeline_writes(config, EVENT)
    result = send(config)
    assert result.emails_sent == 1
    assert len(inbox.messages) == 1
    recipients, _ = inbox.messages[0]
    assert recipients == ["analyst@example.org"]
    msg = inbox.parsed()
    assert msg["Subject"] == SUBJECT
    assert msg["Message-ID"].startswith("<alr-")
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    for body in (text, html):
        assert "opening" in body and "15 Feb 2017 to 16 Feb 2017" in body
        assert "Russia, Iran" in body and "Syrian government" in body
        assert "The second round of talks opened in Astana." in body
        assert "https://news.example.org/astana-2" in body
        assert "http://kibana.example:5601/app/discover#/" in body
    (alert,) = alert_docs(config)
    assert alert["delivery"]["state"] == "sent"
    assert alert["delivery"]["recipients"] == ["analyst@example.org"]


def test_replaying_the_same_round_sends_no_second_email(alerts_config, smtp_server):
    inbox, port = smtp_server()
    config = alerts_config(port)
    pipeline_writes(config, EVENT)
    assert send(config).emails_sent == 1
    pipeline_writes(config, EVENT)  # the same transition again (another worker, a replay)
    pipeline_writes(config, {**EVENT, "mention_count": 5}, changed=False)  # redelivered no-op
    assert send(config).emails_sent == 0
    assert len(inbox.messages) == 1
    assert len(alert_docs(config)) == 1


def test_an_alert_lost_between_event_write_and_bulk_is_recreated_on_redelivery(
    alerts_config, smtp_server
):
    inbox, port = smtp_server()
    config = alerts_config(port)
    # The worker wrote the event and died before the bulk with the alert: on redelivery the
    # merge is a no-op, and the ledger still finds the round from the event's state.
    pipeline_writes(config, EVENT, changed=False)
    assert send(config).emails_sent == 1
    assert inbox.parsed()["Subject"] == SUBJECT


def test_smtp_down_then_up_sends_exactly_one_email(alerts_config, smtp_server):
    port = free_port()  # nothing listens here yet
    config = alerts_config(port)
    pipeline_writes(config, EVENT)
    now = datetime.now(UTC)
    down = send(config, now)
    assert (down.emails_sent, down.retrying) == (0, 1)
    (alert,) = alert_docs(config)
    assert alert["delivery"]["state"] == "retrying"
    assert alert["delivery"]["attempts"] == 1
    assert "127.0.0.1" in alert["delivery"]["last_error"]
    inbox, _ = smtp_server(port)
    assert send(config, now + timedelta(seconds=10)).emails_sent == 0  # backoff not over yet
    assert send(config, now + timedelta(seconds=61)).emails_sent == 1
    assert send(config, now + timedelta(hours=2)).emails_sent == 0
    assert len(inbox.messages) == 1
    (alert,) = alert_docs(config)
    assert (alert["delivery"]["state"], alert["delivery"]["attempts"]) == ("sent", 2)


def test_crlf_in_a_title_cannot_inject_a_header(alerts_config, smtp_server):
    inbox, port = smtp_server()
    config = alerts_config(port)
    hostile = {**EVENT, "event_id": "evt-00000000000000000bad",
               "location": "Astana\r\nBcc: victim@example.org",
               "sources": [{"id": "art-9", "url": "https://news.example.org/x",
                            "title": "Talks open\r\nBcc: victim@example.org\r\n\r\n.\r\nQUIT"}]}
    pipeline_writes(config, hostile)
    assert send(config).emails_sent == 1
    recipients, raw = inbox.messages[0]
    assert recipients == ["analyst@example.org"]
    msg = inbox.parsed()
    assert msg["Bcc"] is None
    assert msg["Subject"] == \
        "[talkwatch] New round: Astana 2 — Astana Bcc: victim@example.org, 15 Feb 2017"
    header_block = raw.split(b"\r\n\r\n", 1)[0]
    assert not [line for line in header_block.splitlines() if line.lower().startswith(b"bcc")]


def test_two_mailers_at_once_send_each_alert_once(alerts_config, smtp_server):
    inbox, port = smtp_server()
    config = alerts_config(port)
    for number in range(6):
        pipeline_writes(config, {**EVENT, "event_id": f"evt-0000000000000000{number:04d}",
                                 "round": number + 1})
    results = []
    mailers = [threading.Thread(target=lambda: results.append(send(config))) for _ in range(2)]
    for thread in mailers:
        thread.start()
    for thread in mailers:
        thread.join()
    assert sum(r.emails_sent for r in results) == 6
    assert len(inbox.messages) == 6
    assert len({inbox.parsed(n)["Message-ID"] for n in range(6)}) == 6


def test_a_refused_recipient_fails_for_good_and_is_not_retried(alerts_config, smtp_server):
    inbox, port = smtp_server(refuse=True)
    config = alerts_config(port)
    pipeline_writes(config, EVENT)
    result = send(config)
    assert (result.emails_sent, result.failed) == (0, 1)
    assert send(config, datetime.now(UTC) + timedelta(days=1)).failed == 0
    (alert,) = alert_docs(config)
    assert alert["delivery"]["state"] == "failed"
    assert "550" in alert["delivery"]["last_error"]


def test_without_smtp_alerts_are_written_to_the_mail_dir_once(alerts_config):
    config = alerts_config(None)
    settings = load_alert_settings(config)
    pipeline_writes(config, EVENT)
    assert send(config).emails_sent == 1
    pipeline_writes(config, EVENT)
    assert send(config).emails_sent == 0
    files = list(settings.mail_dir.glob("*.eml"))
    assert len(files) == 1
    msg = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert msg["Subject"] == SUBJECT


def test_subscriptions_route_alerts_by_series(alerts_config, smtp_server):
    inbox, port = smtp_server()
    config = alerts_config(port, extra='[[alerts.recipients]]\nemail = "geneva@example.org"\n'
                                       'series = ["geneva"]\n')
    pipeline_writes(config, EVENT)
    pipeline_writes(config, {**EVENT, "event_id": "evt-00000000000000000g01", "series": "geneva"})
    assert send(config).emails_sent == 2
    by_subject = {inbox.parsed(n)["Subject"].split(":")[1]: inbox.messages[n][0]
                  for n in range(2)}
    assert by_subject == {" Astana 2 — Astana, 15 Feb 2017": ["analyst@example.org"],
                          " Geneva 2 — Astana, 15 Feb 2017": ["analyst@example.org",
                                                             "geneva@example.org"]}
