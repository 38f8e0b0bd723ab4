"""Articles and dead letters -> Kafka.

Producer settings and why:
- acks=all and enable_idempotence: an acknowledged article is on every in-sync replica, and the
  producer's own retries cannot write it twice.
- key = article id: every version of an article lands on the same partition, in order, and a
  consumer can dedup by key.
- compression (gzip by default: the stdlib decodes it, so every consumer can read it).
- `send_and_wait` returns only when the broker acknowledged every message of a poll; the poller
  records ids as seen after that, never before (see connectors.state).
- `close` flushes whatever is still buffered, so SIGTERM loses nothing that was acknowledged to
  the poller.

Topics are created by `ensure_topics` with the configured partitions, replication and retention.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient
from kafka.errors import KafkaError, TopicAlreadyExistsError

from connectors.feeds import ConnectorSettings
from connectors.normalize import iso_utc
from talkwatch.config import KafkaSettings

log = logging.getLogger(__name__)


class DeliveryError(RuntimeError):
    """Kafka did not acknowledge a message within the delivery timeout."""


@dataclass(frozen=True)
class DeadLetter:
    feed: str
    reason: str
    raw: Any
    at: str
    key: str  # dedup key: the same bad entry is recorded once, not on every poll

    def to_message(self) -> dict[str, Any]:
        return {"feed": self.feed, "reason": self.reason, "raw": self.raw, "at": self.at}


def dead_letter(
    feed: str, reason: str, raw: Any, key: str, at: datetime | None = None
) -> DeadLetter:
    return DeadLetter(
        feed=feed, reason=reason, raw=raw, at=iso_utc(at or datetime.now(UTC)), key=key
    )


def ensure_topics(kafka: KafkaSettings, settings: ConnectorSettings, timeout_s: float = 30) -> None:
    """Create the articles and dead-letter topics if missing (existing ones are left as they
    are: changing partitions of a live topic would reshuffle keys)."""
    hours = {
        kafka.articles_topic: kafka.retention_hours,
        kafka.deadletter_topic: settings.deadletter_retention_hours,
    }
    admin = KafkaAdminClient(
        bootstrap_servers=kafka.bootstrap,
        client_id="talkwatch-admin",
        request_timeout_ms=int(timeout_s * 1000),
    )
    try:
        for topic, retention_hours in hours.items():
            spec = {
                topic: {
                    "num_partitions": kafka.partitions,
                    "replication_factor": settings.replication_factor,
                    "configs": {
                        "retention.ms": str(retention_hours * 3600 * 1000),
                        "cleanup.policy": "delete",
                    },
                }
            }
            try:
                admin.create_topics(spec, timeout_ms=int(timeout_s * 1000), wait_for_metadata=True)
                log.info(
                    "created topic %s (%d partitions, retention %dh)",
                    topic,
                    kafka.partitions,
                    retention_hours,
                )
            except TopicAlreadyExistsError:
                log.debug("topic %s exists", topic)
    finally:
        admin.close()


class ArticleProducer:
    """One KafkaProducer shared by all poll workers (KafkaProducer is thread-safe)."""

    def __init__(self, kafka: KafkaSettings, settings: ConnectorSettings) -> None:
        self.articles_topic = kafka.articles_topic
        self.deadletter_topic = kafka.deadletter_topic
        self._timeout = settings.delivery_timeout_seconds
        compression = None if settings.compression == "none" else settings.compression
        self._producer = KafkaProducer(
            bootstrap_servers=kafka.bootstrap,
            client_id="talkwatch-connectors",
            acks="all",
            enable_idempotence=True,
            compression_type=compression,
            retries=2**31 - 1,  # bounded by delivery_timeout_ms, not by count
            delivery_timeout_ms=int(settings.delivery_timeout_seconds * 1000),
            request_timeout_ms=max(1000, min(30_000, int(settings.delivery_timeout_seconds * 500))),
            linger_ms=20,
            max_in_flight_requests_per_connection=5,
            key_serializer=lambda key: key.encode("utf-8"),
            value_serializer=lambda value: json.dumps(
                value, ensure_ascii=False, separators=(",", ":")
            ).encode("utf-8"),
        )

    def send_and_wait(
        self, articles: Iterable[dict[str, Any]], dead_letters: Iterable[DeadLetter] = ()
    ) -> None:
        """Produce validated article messages and dead letters; return when all are
        acknowledged, raise DeliveryError otherwise."""
        futures = [
            self._producer.send(self.articles_topic, key=message["id"], value=message)
            for message in articles
        ]
        futures += [
            self._producer.send(self.deadletter_topic, key=letter.key, value=letter.to_message())
            for letter in dead_letters
        ]
        if not futures:
            return
        # linger_ms batches messages of concurrent polls; flushing here would defeat that.
        for future in futures:
            try:
                future.get(timeout=self._timeout)
            except KafkaError as exc:
                raise DeliveryError(f"Kafka did not acknowledge: {exc}") from exc
            except Exception as exc:  # a timeout from the future itself
                raise DeliveryError(f"Kafka delivery failed: {type(exc).__name__}: {exc}") from exc

    def close(self, timeout_s: float = 30) -> None:
        try:
            self._producer.flush(timeout=timeout_s)
        finally:
            self._producer.close(timeout=timeout_s)
