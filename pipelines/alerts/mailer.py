"""The mailer: sends pending alerts from the outbox, at least once, never twice when it can help it.

A pass: refresh the alerts index, read the due alerts (pending, retrying past their
next_attempt_at, or `sending` claims whose lease expired), claim each one, render and send,
then record the outcome. `talkwatch run` runs passes in a thread, `talkwatch demo` runs one
before it exits, `talkwatch alerts send` runs one.

Why claim before sending. Between the SMTP server's "250 OK" and our write of `sent` there is a
window in which a crash (or Elasticsearch being away) leaves no record that the email went out.
Two orders are possible:
- send, then mark `sent` with the version read: two mailers that read the same pending alert
  would both send it, and only learn of the other at the conditional write, too late;
- claim first (a conditional update to `sending`, with this mailer's name and the time), then
  send, then mark `sent` with the version the claim produced. Only one mailer wins the claim,
  so concurrent mailers never both send. What remains is the crash window itself: a `sending`
  claim older than `lease_seconds` is taken as a mailer that died mid-send and is sent again.
We chose the claim: at-least-once delivery (an alert is never lost), with a duplicate only if a
mailer dies inside a window of one Elasticsearch write, and the duplicate carries the same
Message-ID (derived from the alert id) so mail clients can fold it. The lease is checked to be
well above the SMTP timeout, so a live send is never taken over. Marking `sent` is retried
(ES unavailable) for as long as the lease allows.

Errors: a temporary failure (server down, timeout, 4xx) puts the alert back as `retrying` with
exponential backoff; a permanent one (5xx: every recipient or the sender refused) marks it
`failed` with the server's answer, kept for `talkwatch alerts list` and requeued by
`talkwatch alerts send --retry-failed`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

from elasticsearch import ApiError, Elasticsearch, TransportError

from pipelines.alerts.outbox import Claim, Outbox, iso
from pipelines.alerts.render import build_message
from pipelines.alerts.settings import AlertSettings
from pipelines.alerts.transport import DeliveryError, Transport, transport_for
from pipelines.retry import backoff_delays, retryable
from pipelines.sinks.indices import index_name, render_template

log = logging.getLogger(__name__)


@dataclass
class PassResult:
    emails_sent: int = 0
    alerts_sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"emails sent {self.emails_sent} ({self.alerts_sent} alerts), retrying "
                f"{self.retrying}, failed {self.failed}, skipped {self.skipped}")


@dataclass
class Outgoing:
    """One email: the claimed alerts it carries (one, or several in a digest) and who gets it."""

    claims: list[Claim]
    recipients: list[str]

    @property
    def message_id(self) -> str:
        ids = [c.id for c in self.claims]
        if len(ids) == 1:
            return f"<{ids[0]}@talkwatch>"
        digest = hashlib.sha256(" ".join(sorted(ids)).encode()).hexdigest()[:24]
        return f"<digest-{digest}@talkwatch>"


class Mailer:
    def __init__(
        self,
        settings: AlertSettings,
        es: Elasticsearch | None = None,
        transport: Transport | None = None,
        owner: str | None = None,
    ) -> None:
        self.settings = settings
        self._own_es = es is None
        self.es = es or Elasticsearch(settings.es_url, request_timeout=30)
        self.outbox = Outbox(self.es, index_name(settings.index_prefix, "alerts"))
        self.transport = transport
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.emails_sent = 0
        self._mapping_checked = False

    def close(self) -> None:
        if self._own_es:
            self.es.close()

    def run_once(self, now: datetime | None = None) -> PassResult:
        now = now or datetime.now(UTC)
        result = PassResult()
        if not self._mapping_checked:
            template = render_template("alerts", self.settings.index_prefix)
            self.outbox.update_mapping(template["template"]["mappings"]["properties"])
            self._mapping_checked = True
        self.outbox.refresh()
        claims = []
        for hit in self.outbox.due(now, self.settings.lease_seconds, self.settings.batch_size):
            claim = self.outbox.claim(hit, self.owner, now)
            if claim is not None:
                claims.append(claim)
        if not claims:
            return result
        transport = self.transport or transport_for(self.settings.smtp, self.settings.mail_dir)
        with transport:
            outgoing = self._group(claims, now, result)
            for number, mail in enumerate(outgoing):
                try:
                    self._send(transport, mail, now)
                except DeliveryError as error:
                    result.errors.append(str(error))
                    rest = [mail] if not error.connection else outgoing[number:]
                    for pending in rest:
                        self._failed(pending, error, now, result)
                    if error.connection:
                        break  # the server is unreachable: the rest waits for the next pass
                    continue
                result.emails_sent += 1
                result.alerts_sent += len(mail.claims)
                self._mark_sent(mail, transport.name, now)
        self.emails_sent += result.emails_sent
        return result

    def run_forever(self, stop: threading.Event) -> None:
        interval = (self.settings.digest_interval_seconds if self.settings.digest
                    else self.settings.poll_seconds)
        log.info("alert mailer running (%s, every %.0fs)",
                 f"smtp {self.settings.smtp.host}" if self.settings.smtp
                 else f"mail dir {self.settings.mail_dir}", interval)
        while not stop.is_set():
            try:
                result = self.run_once()
                if result.emails_sent or result.retrying or result.failed:
                    log.info("alert mailer: %s", result.line())
            except (ApiError, TransportError) as error:
                log.warning("alert mailer: elasticsearch unavailable (%s); next pass in %.0fs",
                            error, interval)
            except Exception:  # the thread must outlive one bad pass, and say what happened
                log.exception("alert mailer: pass failed; next pass in %.0fs", interval)
            stop.wait(interval)

    def _group(self, claims: list[Claim], now: datetime, result: PassResult) -> list[Outgoing]:
        by_recipients: dict[tuple[str, ...], list[Claim]] = {}
        outgoing = []
        for claim in claims:
            recipients = self.settings.recipients_for(claim.alert.get("series"))
            if not recipients:
                delivery = {**claim.delivery, "state": "skipped",
                            "last_error": f"no recipient subscribed to series "
                                          f"{claim.alert.get('series')!r}"}
                self._write(claim, delivery)
                result.skipped += 1
            elif self.settings.digest:
                by_recipients.setdefault(tuple(recipients), []).append(claim)
            else:
                outgoing.append(Outgoing([claim], recipients))
        outgoing += [Outgoing(group, list(r)) for r, group in by_recipients.items()]
        return outgoing

    def _send(self, transport: Transport, mail: Outgoing, now: datetime) -> None:
        message = build_message(
            [c.alert for c in mail.claims], sender=self.settings.sender,
            recipients=mail.recipients, message_id=mail.message_id,
            kibana_url=self.settings.kibana_url, index_prefix=self.settings.index_prefix, now=now,
        )
        where = transport.send(message, self._envelope_sender(), mail.recipients)
        log.info("alert email sent: %s -> %s via %s", message["Subject"],
                 ", ".join(mail.recipients), where)

    def _envelope_sender(self) -> str:
        return parseaddr(self.settings.sender)[1]

    def _mark_sent(self, mail: Outgoing, transport: str, now: datetime) -> None:
        for claim in mail.claims:
            delivery = {**claim.delivery, "state": "sent", "delivered_at": iso(now),
                        "recipients": mail.recipients, "message_id": mail.message_id,
                        "transport": transport, "last_error": None}
            self._write(claim, delivery)

    def _failed(self, mail: Outgoing, error: DeliveryError, now: datetime,
                result: PassResult) -> None:
        for claim in mail.claims:
            if error.temporary:
                attempts = int(claim.delivery.get("attempts") or 1)
                delay = min(self.settings.retry_base_seconds * 2 ** (attempts - 1),
                            self.settings.retry_max_seconds)
                delivery = {**claim.delivery, "state": "retrying", "last_error": str(error),
                            "next_attempt_at": iso(now + timedelta(seconds=delay))}
                result.retrying += 1
                log.warning("alert %s: delivery failed (%s); attempt %d, retry in %.0fs",
                            claim.id, error, attempts, delay)
            else:
                delivery = {**claim.delivery, "state": "failed", "last_error": str(error)}
                result.failed += 1
                log.error("alert %s: delivery refused for good (%s); `talkwatch alerts send "
                          "--retry-failed` requeues it", claim.id, error)
            self._write(claim, delivery)

    def _write(self, claim: Claim, delivery: dict) -> None:
        """Record the outcome under our claim, waiting out an ES outage while the lease lasts."""
        deadline = time.monotonic() + self.settings.lease_seconds * 0.8
        for delay in backoff_delays():
            try:
                if not self.outbox.update(claim, delivery):
                    log.warning("alert %s: claim lost to another mailer (lease expired); "
                                "outcome %s not recorded", claim.id, delivery["state"])
                return
            except (ApiError, TransportError) as error:
                if not retryable(error) or time.monotonic() + delay > deadline:
                    log.error("alert %s: could not record %s (%s); after the lease it is "
                              "treated as unsent and sent again", claim.id,
                              delivery["state"], error)
                    return
                time.sleep(delay)


def recent_alerts(es: Elasticsearch, prefix: str, limit: int = 20, state: str | None = None):
    return Outbox(es, index_name(prefix, "alerts")).recent(limit, state)
