"""Event coreference against the events index: many articles about one round, one event.

The merge itself is pure (pipelines.extraction.coref); this module finds the event an
extraction belongs to by its keys and writes the merged event with optimistic concurrency
(seq_no/primary_term, or create-only for a new event), re-reading and re-merging on conflict, so
several workers or a replay never lose an update or create the same event twice.
"""

from __future__ import annotations

import logging
from typing import Any

from elasticsearch import ConflictError, Elasticsearch

from pipelines.extraction.coref import event_id, event_keys, merge_reports
from pipelines.records import ArticleInFlight, published_date
from pipelines.sinks.indices import index_name

log = logging.getLogger(__name__)

MAX_CONFLICT_RETRIES = 20
# Announcements and postponements name a round without reporting it; they update its status.
STATUS_UPDATES = {"announced", "scheduled", "postponed", "cancelled"}


def names_a_round(item: ArticleInFlight) -> bool:
    x = item.extraction
    if x is None or not x.series:
        return False
    return bool(x.is_syria_talks_round or x.status in STATUS_UPDATES)


def article_meta(item: ArticleInFlight) -> dict[str, Any]:
    a = item.article
    published = published_date(a)
    return {
        "id": a["id"],
        "url": a["url"],
        "title": a.get("title"),
        "published": published.isoformat() if published else None,
        "seen_at": a.get("published_at"),
    }


def group_by_event(items: list[ArticleInFlight]) -> list[list[ArticleInFlight]]:
    """Items that name a round, grouped so that items sharing any event key are together."""
    groups: list[tuple[set[str], list[ArticleInFlight]]] = []
    for item in items:
        if not names_a_round(item):
            continue
        keys = set(event_keys(item.extraction))
        if not keys:
            continue
        joined = [g for g in groups if g[0] & keys]
        merged_keys, merged_items = keys, [item]
        for g in joined:
            groups.remove(g)
            merged_keys |= g[0]
            merged_items = g[1] + merged_items
        groups.append((merged_keys, merged_items))
    # Keep each group's items in arrival order: merge order decides first_seen ties.
    order = {id(item): n for n, item in enumerate(items)}
    return [sorted(g[1], key=lambda item: order[id(item)]) for g in groups]


class EventStore:
    def __init__(self, es: Elasticsearch, prefix: str) -> None:
        self.es = es
        self.index = index_name(prefix, "events")
        self.transitions: list[tuple[dict | None, dict]] = []
        # Keys this worker has seen, and the event each belongs to: found again by a realtime
        # GET instead of a search, which would not see a write until the next refresh.
        self._event_by_key: dict[str, str] = {}

    def merge_all(self, items: list[ArticleInFlight]) -> dict[str, str | None]:
        """Merge each item's round into its event; returns article id -> event id.

        Items that share a key are merged together and their event is written once per
        batch: a burst of reports about one round costs one read and one write, not one each.
        """
        self.transitions = []
        result: dict[str, str | None] = {item.article["id"]: None for item in items}
        for group in group_by_event(items):
            event = self._merge_group(group)
            for item in group:
                result[item.article["id"]] = event
        return result

    def _merge_group(self, items: list[ArticleInFlight]) -> str:
        keys = list(dict.fromkeys(k for item in items for k in event_keys(item.extraction)))
        for _ in range(MAX_CONFLICT_RETRIES):
            existing = self._find(keys)
            old = existing["_source"] if existing else None
            merged = merge_reports(old, [(item.extraction, article_meta(item)) for item in items])
            try:
                if existing is None:
                    self.es.create(index=self.index, id=merged["event_id"], document=merged)
                else:
                    self.es.index(
                        index=self.index,
                        id=existing["_id"],
                        document=merged,
                        if_seq_no=existing["_seq_no"],
                        if_primary_term=existing["_primary_term"],
                    )
            except ConflictError:
                # Someone else wrote this event first: read it again and re-merge. The re-read
                # must be a realtime GET by its id: a search keeps returning the stale version
                # (and its seq_no) until the next refresh, so every retry would conflict again.
                if existing is not None:
                    for key in keys:
                        self._event_by_key[key] = existing["_id"]
                continue
            for key in merged["keys"]:
                self._event_by_key[key] = merged["event_id"]
            if merged != old:
                self.transitions.append((old, merged))
            return merged["event_id"]
        raise RuntimeError(f"event {keys}: gave up after {MAX_CONFLICT_RETRIES} write conflicts")

    def _find(self, keys: list[str]) -> dict | None:
        known = [self._event_by_key[k] for k in keys if k in self._event_by_key]
        for candidate in known:
            doc = self._get(candidate)
            if doc is not None:
                return doc
        response = self.es.search(
            index=self.index,
            query={"terms": {"keys": keys}},
            seq_no_primary_term=True,
            size=10,
            sort=[{"first_seen": {"order": "asc", "unmapped_type": "date"}}],
        )
        hits = response["hits"]["hits"]
        if hits:
            return hits[0]
        # A create by another worker may not be searchable yet; a realtime get by the id it
        # would have been created under finds it.
        for key in keys:
            doc = self._get(event_id(key))
            if doc is not None:
                return doc
        return None

    def _get(self, doc_id: str) -> dict | None:
        doc = self.es.options(ignore_status=404).get(index=self.index, id=doc_id)
        return doc if doc.get("found") else None
