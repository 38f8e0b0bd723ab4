"""Pure builders of the documents the sink writes (articles and actors)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from pipelines.records import ArticleInFlight
from pipelines.similarity import bands, to_hex


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def actor_id(name: str, linked: bool) -> str:
    prefix = "actor" if linked else "unlinked"
    return f"{prefix}-" + hashlib.sha1(name.casefold().encode()).hexdigest()[:16]


def article_document(item: ArticleInFlight, event_id: str | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = dict(item.article)
    doc["indexed_at"] = now_iso()
    doc["kafka"] = {
        "topic": item.position.topic,
        "partition": item.position.partition,
        "offset": item.position.offset,
    }
    doc["relevance"] = item.relevance
    doc["relevant"] = item.relevant
    if item.duplicate_of:
        doc["duplicate_of"] = item.duplicate_of
    if item.simhash is not None:
        doc["simhash"] = to_hex(item.simhash)
        doc["simhash_bands"] = bands(item.simhash)
    if item.actors:
        doc["entities"] = entity_summaries(item.actors)
        doc["actors"] = sorted({m.canonical for m in item.actors if m.canonical})
        doc["unlinked_actors"] = sorted({m.surface for m in item.actors if not m.canonical})
    if item.extraction is not None:
        x = item.extraction
        doc["round"] = {
            "is_syria_talks_round": x.is_syria_talks_round,
            "series": x.series,
            "round": x.round,
            "location": x.location,
            "start_date": x.start_date.isoformat() if x.start_date else None,
            "status": x.status,
            "event_id": event_id,
        }
    return doc


def entity_summaries(mentions) -> list[dict[str, Any]]:
    """Each distinct name once, with how often the article uses it, in order of first use.

    An article names Russia or the envoy a dozen times; one entry per name keeps the same
    searches and cuts the indexing work per article by more than half.
    """
    counts: dict[tuple[str, str, str | None], int] = {}
    for m in mentions:
        key = (m.surface, m.type, m.canonical)
        counts[key] = counts.get(key, 0) + 1
    return [
        {"text": text, "label": kind, "actor": actor, "actor_type": kind, "mentions": n}
        for (text, kind, actor), n in counts.items()
    ]


def actor_documents(items: list[ArticleInFlight]) -> list[dict[str, Any]]:
    """One document per actor named in the batch, from its latest article.

    A batch of reports on one round names the same few states and mediators in almost every
    article; writing each actor once per batch, not once per article, spares Elasticsearch
    rewriting the same document hundreds of times in one bulk request.
    """
    latest: dict[str, dict[str, Any]] = {}
    for item in items:
        for mention in item.actors:
            name = mention.canonical or mention.surface
            doc_id = actor_id(name, mention.canonical is not None)
            doc = {
                "id": doc_id,
                "name": name,
                "type": mention.type,
                "linked": mention.canonical is not None,
                "last_article_id": item.article["id"],
                "last_seen": item.article.get("published_at"),
            }
            kept = latest.get(doc_id)
            if kept is None or _seen_key(doc) > _seen_key(kept):
                latest[doc_id] = doc
    return list(latest.values())


def _seen_key(doc: dict[str, Any]) -> tuple[datetime, str]:
    # The article id breaks ties the same way on every replay, so a re-delivered batch writes
    # the same documents.
    return (_instant(doc["last_seen"]), doc["last_article_id"])


def _instant(value: str | None) -> datetime:
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
