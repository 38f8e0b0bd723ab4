"""Alert documents: one per (rule, event, transition), with an id derived from those three.

The sink writes them create-only in the same bulk request as the articles, before the Kafka
offsets are committed, so Elasticsearch itself is the ledger of alerts: a replay from offset 0,
a restart or a second worker produces the same id, the create answers 409, and the first
document (with its delivery state) stays as it is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from pipelines.alerts.render import subject_line
from pipelines.alerts.rules import Match, Rule

# The part of the event an email shows; the rest (support, conflicts, keys) stays in -events.
SNAPSHOT_FIELDS = ("event_id", "series", "round", "status", "status_history",
                   "is_syria_talks_round", "location", "country", "venue", "start_date",
                   "end_date", "participants", "actors", "outcomes", "next_round", "evidence",
                   "mention_count", "first_seen", "last_seen", "sources")  # fmt: skip
MAX_SOURCES = 20


def event_id_of(event: Mapping[str, Any]) -> str:
    return str(event.get("event_id") or event.get("id"))


def alert_id(rule: str, event_id: str, transition: str) -> str:
    digest = hashlib.sha256("\x1f".join((rule, event_id, transition)).encode("utf-8"))
    return "alr-" + digest.hexdigest()[:24]


def event_snapshot(event: Mapping[str, Any]) -> dict[str, Any]:
    snapshot = {name: event.get(name) for name in SNAPSHOT_FIELDS}
    snapshot["event_id"] = event_id_of(event)
    snapshot["sources"] = list(event.get("sources") or [])[-MAX_SOURCES:]
    return snapshot


def alert_document(match: Match, event: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    event_id = event_id_of(event)
    created = now.astimezone(UTC).isoformat()
    return {
        "id": alert_id(match.rule, event_id, match.transition),
        "rule": match.rule,
        "rule_type": match.rule_type,
        "transition": match.transition,
        "headline": match.headline,
        "event_id": event_id,
        "series": event.get("series"),
        "round": event.get("round"),
        "status": event.get("status"),
        "location": event.get("location"),
        "start_date": event.get("start_date"),
        "subject": subject_line(match.headline, event),
        "created_at": created,
        "delivery": {
            "state": "pending",
            "attempts": 0,
            "next_attempt_at": created,
            "last_error": None,
        },
        "event": event_snapshot(event),
    }


def alert_documents(
    rules: Iterable[Rule], events: Iterable[Mapping[str, Any]], now: datetime | None = None
) -> list[dict[str, Any]]:
    now = now or datetime.now(UTC)
    docs: dict[str, dict[str, Any]] = {}
    for event in events:
        for rule in rules:
            for match in rule.matches(event):
                doc = alert_document(match, event, now)
                docs.setdefault(doc["id"], doc)
    return list(docs.values())


def create_operations(
    docs: Iterable[dict[str, Any]], index: str
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Bulk `create` actions: an alert that already exists is left untouched (409)."""
    return [({"create": {"_index": index, "_id": doc["id"]}}, doc) for doc in docs]
