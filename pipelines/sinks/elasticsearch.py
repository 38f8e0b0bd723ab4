"""The Elasticsearch sink: bulk writes with deterministic ids, then the Kafka offset commit.

Beam's Python SDK has no Elasticsearch I/O. This one buffers a batch, writes it with the bulk
API, retries the whole request with backoff while Elasticsearch is away (429, 5xx, connection
refused) and each failed item that can succeed later, sends items Elasticsearch rejects for
good to the dead-letter topic, and only then commits the Kafka offsets: at-least-once delivery,
made exactly-once in effect by ids derived from the content (article id, event id, actor id).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.transforms.window import GlobalWindows
from elasticsearch import ApiError, Elasticsearch, TransportError

from pipelines.alerts.ledger import AlertLedger, rules_from_option
from pipelines.records import ArticleInFlight, DeadLetter, KafkaPosition
from pipelines.retry import RETRYABLE_STATUS, backoff_delays, call_until_available, retryable
from pipelines.sinks.deadletter import DeadLetterWriter
from pipelines.sinks.documents import actor_documents, article_document
from pipelines.sinks.events import EventStore
from pipelines.sinks.indices import ensure_indices, index_name
from pipelines.sinks.offsets import OffsetCommitter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WriteReport:
    """What one batch of the sink wrote: its output, one small element per bulk write."""

    articles: int
    events: int
    dead_letters: int
    records: int  # Kafka records acknowledged (offsets committed once contiguous)


class BulkWriter:
    """Writes index/create operations; returns the ones rejected for good, with reasons."""

    def __init__(self, es: Elasticsearch) -> None:
        self.es = es
        self.retries = Metrics.counter("sink", "bulk_retries")

    def write(self, operations: list[tuple[dict[str, Any], dict[str, Any]]]):
        pending = operations
        rejected: list[tuple[dict[str, Any], dict[str, Any], str]] = []
        delays = backoff_delays()
        while pending:
            body: list[dict[str, Any]] = []
            for action, doc in pending:
                body.extend((action, doc))
            try:
                response = self.es.bulk(operations=body)
            except (ApiError, TransportError) as exc:
                if not retryable(exc):
                    raise
                self._wait(next(delays), f"bulk request failed: {exc}")
                continue
            retry = []
            for (action, doc), result in zip(pending, response["items"], strict=True):
                outcome = next(iter(result.values()))
                status = outcome.get("status", 500)
                if status < 300 or (status == 409 and "create" in action):
                    continue  # written, or a create-only document that already exists
                if status in RETRYABLE_STATUS:
                    retry.append((action, doc))
                else:
                    rejected.append((action, doc, str(outcome.get("error"))))
            if retry:
                self._wait(next(delays), f"{len(retry)} items to retry")
            pending = retry
        return rejected

    def _wait(self, seconds: float, why: str) -> None:
        self.retries.inc()
        log.warning("elasticsearch: %s; retrying in %.1fs", why, seconds)
        time.sleep(seconds)


class WriteToElasticsearchFn(beam.DoFn):
    def __init__(
        self,
        es_url: str,
        index_prefix: str,
        bootstrap: str,
        group_id: str,
        deadletter_topic: str,
        batch_size: int = 200,
        alert_rules: str | None = None,
    ) -> None:
        self.es_url = es_url
        self.prefix = index_prefix
        self.bootstrap = bootstrap
        self.group_id = group_id
        self.deadletter_topic = deadletter_topic
        self.batch_size = batch_size
        self.alert_rules = alert_rules  # JSON of [[alerts.rules]]; None: the default rules
        self.indexed = Metrics.counter("sink", "articles_indexed")
        self.dead = Metrics.counter("sink", "dead_letters")
        self.events = Metrics.counter("sink", "events_written")

    def setup(self) -> None:
        self.es = Elasticsearch(self.es_url, request_timeout=60)
        call_until_available(lambda: ensure_indices(self.es, self.prefix), "index templates")
        self.writer = BulkWriter(self.es)
        self.event_store = EventStore(self.es, self.prefix)
        self.alerts = AlertLedger(self.es, self._index("events"), self._index("alerts"),
                                  rules_from_option(self.alert_rules))
        self.deadletters = DeadLetterWriter(self.bootstrap, self.deadletter_topic)
        self.committer = OffsetCommitter.for_group(self.bootstrap, self.group_id)

    def start_bundle(self) -> None:
        self.batch: list[ArticleInFlight | DeadLetter] = []

    def process(self, element: ArticleInFlight | DeadLetter) -> Iterator[WriteReport]:
        self.batch.append(element)
        if len(self.batch) >= self.batch_size:
            yield self._flush()

    def finish_bundle(self):
        if self.batch:
            # The elements reach the sink from BatchElements, in the global window at its end.
            yield GlobalWindows.windowed_value_at_end_of_window(self._flush())

    def _flush(self) -> WriteReport:
        batch, self.batch = self.batch, []
        letters = [e for e in batch if isinstance(e, DeadLetter)]
        articles = [e for e in batch if isinstance(e, ArticleInFlight)]

        event_ids = self.event_store.merge_all(articles)
        events = len({e for e in event_ids.values() if e})
        self.events.inc(events)
        # Alerts ride in the same bulk request, create-only: written before the offset commit,
        # and one per (rule, event, transition) however often the batch is replayed.
        operations = self.alerts.operations(self.event_store.transitions, event_ids)
        for item in articles:
            doc_id = item.article["id"]
            doc = article_document(item, event_ids.get(doc_id))
            operations.append(({"index": {"_index": self._index("articles"), "_id": doc_id}}, doc))
        for actor in actor_documents(articles):
            action = {"index": {"_index": self._index("actors"), "_id": actor["id"]}}
            operations.append((action, actor))
        for action, doc, reason in self.writer.write(operations):
            letters.append(rejected_letter(action, doc, reason, articles))

        for letter in letters:
            self.deadletters.add(letter)
        self.deadletters.flush()
        self.dead.inc(len(letters))
        self.indexed.inc(len(articles))
        records = [e.position for e in batch if e.position.partition >= 0]
        self.committer.commit_written(records)
        return WriteReport(len(articles), events, len(letters), len(records))

    def _index(self, kind: str) -> str:
        return index_name(self.prefix, kind)

    def teardown(self) -> None:
        for resource in ("deadletters", "es"):
            if hasattr(self, resource):
                getattr(self, resource).close()


def rejected_letter(
    action: dict[str, Any], doc: dict[str, Any], reason: str, articles: list[ArticleInFlight]
) -> DeadLetter:
    meta = next(iter(action.values()))
    source = next(
        (a for a in articles if a.article["id"] in (doc.get("id"), meta.get("_id"))), None
    )
    position = source.position if source else KafkaPosition("", -1, -1)
    return DeadLetter(
        position=position,
        stage="elasticsearch",
        reason=f"rejected by {meta.get('_index')}: {reason}",
        raw=json.dumps(doc, default=str).encode(),
        extra={"index": meta.get("_index"), "doc_id": meta.get("_id")},
    )


class LogWriteReportFn(beam.DoFn):
    def process(self, report: WriteReport) -> None:
        log.debug(
            "wrote %d articles, %d events, %d dead letters; %d Kafka records acknowledged",
            report.articles, report.events, report.dead_letters, report.records,
        )  # fmt: skip


class WriteToElasticsearch(beam.PTransform):
    """The bulk writes and offset commits, then their reports in a stage of their own.

    The reports' stage is there for the runner: Prism (2.77) busy-waits on a core for as long as
    a bundle of a stage without outputs runs (its progress loop keeps selecting the already
    closed data-done channel). The last stage must therefore be cheap, and the sink, which runs
    in the same stage as spaCy and the rules, must have an output that leaves its stage.
    """

    def __init__(self, **settings: Any) -> None:
        super().__init__()
        self.settings = settings

    def expand(self, elements):
        return (
            elements
            | "BulkWriteThenCommit" >> beam.ParDo(WriteToElasticsearchFn(**self.settings))
            | "ReportsStage" >> beam.Reshuffle()
            | "LogReports" >> beam.ParDo(LogWriteReportFn())
        )
