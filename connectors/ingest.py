"""Backfill: saved feed files and JSONL archives -> the same normalisation, validation, dedup
and dead letters as live polling (connectors.poll.publish_entries).

A saved feed file (RSS/Atom, any extension but .jsonl/.ndjson) goes through the same safe
parser as a fetched feed; relative links need `base_url` (the URL the file was saved from),
otherwise those entries are dead-lettered rather than given made-up URLs.

A JSONL archive holds one object per line with at least `url` (or `link`) and `title`;
optional: `summary`, `text`, `published_at` (or `published`, ISO 8601), `updated`, `authors`
(strings), `tags` (strings), `feed`, `source`, `language`. Article messages written by this
project (schemas/article.schema.json) are valid lines. A line that is not a JSON object is a
dead letter with its line number.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from connectors.feeds import Feed, FeedRegistry, load_registry
from connectors.normalize import iso_utc
from connectors.parse import FeedParseError, parse_feed
from connectors.poll import Producer, publish_entries
from connectors.produce import ArticleProducer, DeliveryError, dead_letter, ensure_topics
from connectors.state import ConnectorState
from talkwatch.config import Config

log = logging.getLogger(__name__)
BACKFILL_FEED = "backfill"
BATCH = 500
JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass
class IngestSummary:
    files: int = 0
    entries: int = 0
    articles_produced: int = 0
    duplicates: int = 0
    deadletters: int = 0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"files {self.files}, entries {self.entries}, articles produced "
            f"{self.articles_produced}, duplicates {self.duplicates}, dead letters "
            f"{self.deadletters}, file errors {len(self.errors)}"
        )


def ingest_paths(
    config: Config,
    paths: Iterable[Path],
    *,
    feed_name: str | None = None,
    base_url: str | None = None,
    producer: Producer | None = None,
) -> IngestSummary:
    registry = load_registry(config)
    own_producer = producer is None
    if producer is None:
        ensure_topics(config.kafka, registry.settings)
        producer = ArticleProducer(config.kafka, registry.settings)
    summary = IngestSummary()
    try:
        with ConnectorState(registry.settings.state_path) as state:
            for path in paths:
                summary.files += 1
                try:
                    _ingest_file(
                        Path(path),
                        registry,
                        state,
                        producer,
                        summary,
                        feed_name=feed_name,
                        base_url=base_url,
                    )
                except (OSError, FeedParseError, DeliveryError) as exc:
                    message = f"{path}: {exc}"
                    log.error("ingest: %s", message)
                    summary.errors.append(message)
    finally:
        if own_producer:
            producer.close()
    return summary


def _ingest_file(
    path: Path,
    registry: FeedRegistry,
    state: ConnectorState,
    producer: Producer,
    summary: IngestSummary,
    *,
    feed_name: str | None,
    base_url: str | None,
) -> None:
    now = datetime.now(UTC)
    if path.suffix.lower() in JSONL_SUFFIXES:
        # One batch per feed description: records of one archive may carry different sources.
        groups: dict[Feed, tuple[Feed, list[dict[str, Any]]]] = {}
        for line_number, record in _jsonl_records(path):
            if not isinstance(record, dict):
                _dead_letter_line(path, line_number, record, state, producer, summary, now)
                continue
            feed = _feed_for(registry, feed_name or record.get("feed"), record)
            groups.setdefault(feed, (feed, []))[1].append(_entry_from_record(record))
            if len(groups[feed][1]) >= BATCH:
                _publish(*groups.pop(feed), base_url, state, producer, summary, now)
        for feed, entries in groups.values():
            _publish(feed, entries, base_url, state, producer, summary, now)
        return
    data = path.read_bytes()
    parsed = parse_feed(data, url=base_url or "", content_type="")
    for warning in parsed.warnings:
        log.warning("ingest %s: %s", path, warning)
    feed = _feed_for(registry, feed_name, {})
    for start in range(0, len(parsed.entries), BATCH):
        _publish(
            feed, parsed.entries[start : start + BATCH], base_url, state, producer, summary, now
        )


def _publish(
    feed: Feed,
    entries: list[dict[str, Any]],
    base_url: str | None,
    state: ConnectorState,
    producer: Producer,
    summary: IngestSummary,
    now: datetime,
) -> None:
    published = publish_entries(
        entries, feed, base_url=base_url or "", fetched_at=now, state=state, producer=producer
    )
    try:
        state.record_seen(feed.name, published.new_ids + published.deadletter_keys, iso_utc(now))
    finally:
        state.release(published.claimed)
    summary.entries += published.items_seen
    summary.articles_produced += len(published.new_ids)
    summary.duplicates += published.duplicates
    summary.deadletters += len(published.deadletter_keys)


def _jsonl_records(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, _BadLine(line.rstrip("\n"), f"invalid JSON: {exc}")


@dataclass(frozen=True)
class _BadLine:
    text: str
    reason: str


def _dead_letter_line(
    path: Path,
    number: int,
    record: Any,
    state: ConnectorState,
    producer: Producer,
    summary: IngestSummary,
    now: datetime,
) -> None:
    reason = record.reason if isinstance(record, _BadLine) else "line is not a JSON object"
    raw = record.text if isinstance(record, _BadLine) else record
    digest = hashlib.sha256(f"{path.resolve()}\n{number}\n{raw}".encode()).hexdigest()
    key = f"dl-ingest-{digest[:32]}"
    summary.entries += 1
    if not state.claim([key]):
        return
    try:
        letter = dead_letter(
            BACKFILL_FEED, f"{path.name} line {number}: {reason}", {"line": raw}, key, now
        )
        producer.send_and_wait([], [letter])
        state.record_seen(BACKFILL_FEED, [key], iso_utc(now))
        summary.deadletters += 1
    finally:
        state.release([key])


def _feed_for(registry: FeedRegistry, name: str | None, record: dict[str, Any]) -> Feed:
    configured = {feed.name: feed for feed in registry.feeds}
    if name in configured:
        return configured[name]
    # Not configured (any more): keep the archive's feed name and describe it from the record.
    return Feed(
        name=str(name or BACKFILL_FEED),
        url="http://backfill.invalid/",
        source=str(record.get("source") or name or BACKFILL_FEED),
        language=str(record.get("language") or "en"),
    )


def _entry_from_record(record: dict[str, Any]) -> dict[str, Any]:
    """A JSONL record in the shape of a feedparser entry."""
    entry: dict[str, Any] = {
        "link": record.get("url") or record.get("link") or "",
        "title": record.get("title") or "",
        "summary": record.get("summary") or "",
        "authors": [{"name": str(a)} for a in record.get("authors") or []],
        "tags": [{"term": str(t)} for t in record.get("tags") or []],
    }
    if record.get("text"):
        entry["content"] = [{"value": str(record["text"])}]
    for key, target in (
        ("published_at", "published_parsed"),
        ("published", "published_parsed"),
        ("updated", "updated_parsed"),
    ):
        moment = _iso(record.get(key))
        if moment is not None and target not in entry:
            entry[target] = moment.utctimetuple()
    return entry


def _iso(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
