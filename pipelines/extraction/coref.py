"""Event coreference: many articles about one round become one event document.

Keys: `series:round:N` when the ordinal is known, `series:venue:YYYY-Www` (ISO week of the start
date) when venue and start date are known; both when both are. The event id is derived from the
first key the event ever had and never changes, so a later article that supplies the ordinal
joins the event created without it: the caller looks events up by any of the article's keys,
and `merge_event` adds the new key to `keys`.

Fields merge by confidence: every distinct value is kept in `support` with its best confidence
and sources, the highest-confidence value wins, and fields with more than one value are listed
in `conflicts`. Re-merging an article already among the sources changes nothing.
The document shape is `schemas/event.schema.json`.
"""

from __future__ import annotations

import copy
import hashlib
import re
from datetime import date
from typing import Any

from pipelines.extraction.rounds import RoundExtraction

EVENT_SCHEMA_VERSION = 1
MERGED_FIELDS = ("series", "round", "location", "country", "start_date", "end_date")
STATUS_ORDER = {"announced": 0, "scheduled": 1, "postponed": 1, "cancelled": 1, "opening": 2,
                "under way": 3, "concluded": 4}  # fmt: skip


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def event_keys(extraction: RoundExtraction) -> list[str]:
    if not extraction.series:
        return []
    keys = []
    if extraction.round is not None:
        keys.append(f"{extraction.series}:round:{extraction.round}")
    if extraction.location and extraction.start_date:
        year, week, _ = extraction.start_date.isocalendar()
        keys.append(f"{extraction.series}:{_slug(extraction.location)}:{year}-W{week:02d}")
    return keys


def event_id(key: str) -> str:
    """Stable id of the event first created under `key`."""
    return "evt-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def _field_value(extraction: RoundExtraction, name: str) -> Any:
    value = getattr(extraction, name)
    return value.isoformat() if isinstance(value, date) else value


def _field_confidence(extraction: RoundExtraction, name: str) -> float:
    evidence_name = {"country": "location", "end_date": "start_date"}.get(name, name)
    evidence = extraction.evidence.get(evidence_name)
    return evidence.confidence if evidence else 0.5


def _new_event(keys: list[str]) -> dict[str, Any]:
    return {
        "schema_version": EVENT_SCHEMA_VERSION,
        "event_id": event_id(keys[0]),
        "keys": [],
        "is_syria_talks_round": False,
        "series": None, "round": None, "location": None, "country": None,
        "venue": None, "start_date": None, "end_date": None,
        "status": None, "status_history": [],
        "participants": [], "actors": [], "outcomes": [], "next_round": None,
        "evidence": {}, "support": {}, "conflicts": {},
        "mention_count": 0, "first_seen": None, "last_seen": None, "sources": [],
    }  # fmt: skip


def merge_event(
    existing: dict[str, Any] | None, extraction: RoundExtraction, article_meta: dict[str, Any]
) -> dict[str, Any]:
    """The event document after adding one article's extraction.

    `article_meta`: id, url, title, published (ISO date or null), seen_at (ISO timestamp)."""
    return merge_reports(existing, [(extraction, article_meta)])


def merge_reports(
    existing: dict[str, Any] | None, reports: list[tuple[RoundExtraction, dict[str, Any]]]
) -> dict[str, Any]:
    """The event document after adding several articles' extractions, in order.

    `existing` is left untouched and copied once: an event carries every source, so a copy per
    article would cost time in proportion to the event's size for each of its reports."""
    event = copy.deepcopy(existing) if existing is not None else None
    merged_sources = {s["id"] for s in event["sources"]} if event else set()
    for extraction, article_meta in reports:
        keys = event_keys(extraction)
        if event is None:
            if not keys:
                raise ValueError(
                    f"article {article_meta.get('id')}: no series, nothing to key an event on"
                )
            event = _new_event(keys)
        if article_meta["id"] in merged_sources:
            continue  # idempotent: the same article merged twice counts once
        merged_sources.add(article_meta["id"])
        _add_report(event, keys, extraction, article_meta)
    if event is None:
        raise ValueError("no reports to merge into a new event")
    return event


def _add_report(
    event: dict[str, Any],
    keys: list[str],
    extraction: RoundExtraction,
    article_meta: dict[str, Any],
) -> None:
    for key in keys:
        if key not in event["keys"]:
            event["keys"].append(key)
    source = article_meta["id"]
    for name in MERGED_FIELDS:
        _merge_field(
            event,
            name,
            _field_value(extraction, name),
            _field_confidence(extraction, name),
            source,
            extraction,
        )
    if event["location"] and extraction.coordinates and event["location"] == extraction.location:
        lat, lon = extraction.coordinates
        event["venue"] = {
            "city": event["location"],
            "country": event["country"],
            "location": {"lat": lat, "lon": lon},
        }
    event["is_syria_talks_round"] = event["is_syria_talks_round"] or extraction.is_syria_talks_round
    _merge_status(event, extraction, article_meta)
    _merge_participants(event, extraction)
    for outcome in extraction.outcomes:
        if outcome not in event["outcomes"]:
            event["outcomes"].append(outcome)
    if extraction.next_round and event["next_round"] is None:
        event["next_round"] = extraction.next_round
    seen = article_meta.get("seen_at") or article_meta.get("published")
    event["mention_count"] += 1
    if seen:
        event["first_seen"] = min(filter(None, [event["first_seen"], seen]))
        event["last_seen"] = max(filter(None, [event["last_seen"], seen]))
    event["sources"].append({k: article_meta.get(k) for k in ("id", "url", "title", "published")})


def _merge_field(
    event: dict[str, Any],
    name: str,
    value: Any,
    confidence: float,
    source: str,
    extraction: RoundExtraction,
) -> None:
    if value is None:
        return
    candidates = event["support"].setdefault(name, [])
    for candidate in candidates:
        if candidate["value"] == value:
            candidate["sources"].append(source)
            candidate["confidence"] = max(candidate["confidence"], confidence)
            break
    else:
        candidates.append({"value": value, "confidence": confidence, "sources": [source]})
    # Highest confidence wins; ties go to the value more articles support, then the earlier one.
    best = max(candidates, key=lambda c: (c["confidence"], len(c["sources"])))
    if best["value"] != event[name]:
        event[name] = best["value"]
        evidence_name = {"country": "location", "end_date": "start_date"}.get(name, name)
        evidence = extraction.evidence.get(evidence_name)
        if best["value"] == value and evidence is not None:
            event["evidence"][name] = {**evidence.to_dict(), "source": source}
    if len(candidates) > 1:  # conflicts list only the fields on which articles disagree
        event["conflicts"][name] = candidates


def _merge_status(event: dict[str, Any], extraction: RoundExtraction, meta: dict[str, Any]) -> None:
    if not extraction.status:
        return
    event["status_history"].append(
        {"status": extraction.status, "at": meta.get("published"), "source": meta["id"]}
    )
    # The latest report decides; on the same day the further-advanced status wins.
    latest = max(
        event["status_history"], key=lambda h: (h["at"] or "", STATUS_ORDER.get(h["status"], 0))
    )
    event["status"] = latest["status"]


def _merge_participants(event: dict[str, Any], extraction: RoundExtraction) -> None:
    known = {(p["actor"], p["role"]) for p in event["participants"]}
    for participant in extraction.participants:
        key = (participant.actor, participant.role)
        if key not in known:
            known.add(key)
            event["participants"].append(
                {"actor": participant.actor, "role": participant.role, "linked": participant.linked}
            )
    for name in extraction.actors:
        if name not in event["actors"]:
            event["actors"].append(name)
