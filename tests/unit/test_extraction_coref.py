from datetime import date

import jsonschema
import pytest

from pipelines.extraction.coref import event_id, event_keys, merge_event, merge_reports
from pipelines.extraction.participants import Participant
from pipelines.extraction.round_dates import Evidence
from pipelines.extraction.rounds import RoundExtraction
from schemas.models import load_schema


def report(
    article_id: str,
    round_number: int | None = None,
    *,
    start: date = date(2019, 12, 10),
    status: str = "opening",
    location: str = "Nur-Sultan",
    confidence: float = 0.9,
) -> RoundExtraction:
    return RoundExtraction(
        article_id=article_id,
        is_syria_talks_round=True,
        series="astana",
        round=round_number,
        location=location,
        country="Kazakhstan",
        coordinates=(51.17, 71.45),
        start_date=start,
        end_date=None,
        status=status,
        participants=(Participant("Russia", "guarantor/sponsor", True, 0, 0, 6),),
        actors=("Russia",),
        evidence={
            name: Evidence(f"{name} sentence", 0, 10, confidence)
            for name in ("series", "round", "location", "start_date")
        },
    )


def meta(article_id: str, published: str = "2019-12-10") -> dict:
    return {
        "id": article_id,
        "url": f"https://example.org/{article_id}",
        "title": article_id,
        "published": published,
        "seen_at": f"{published}T10:00:00Z",
    }


def test_keys_use_ordinal_and_venue_week():
    assert event_keys(report("a", 14)) == ["astana:round:14", "astana:nur-sultan:2019-W50"]
    assert event_keys(report("a")) == ["astana:nur-sultan:2019-W50"]
    assert event_id("astana:round:14") == event_id("astana:round:14")


def test_later_article_with_the_ordinal_joins_the_event_created_without_it():
    first = merge_event(None, report("a1"), meta("a1"))
    second = merge_event(first, report("a2", 14, status="concluded"), meta("a2", "2019-12-11"))
    assert second["event_id"] == first["event_id"]
    assert set(second["keys"]) == {"astana:nur-sultan:2019-W50", "astana:round:14"}
    assert second["round"] == 14
    assert second["mention_count"] == 2
    assert second["status"] == "concluded"
    assert [h["status"] for h in second["status_history"]] == ["opening", "concluded"]
    assert second["first_seen"] < second["last_seen"]
    assert [s["id"] for s in second["sources"]] == ["a1", "a2"]


def test_conflicting_values_stay_visible_and_the_confident_one_wins():
    first = merge_event(None, report("a1", 14, location="Astana", confidence=0.6), meta("a1"))
    second = merge_event(first, report("a2", 14, confidence=0.9), meta("a2"))
    assert second["location"] == "Nur-Sultan"
    values = {c["value"] for c in second["conflicts"]["location"]}
    assert values == {"Astana", "Nur-Sultan"}
    assert "round" not in second["conflicts"]


def test_re_merging_the_same_article_does_not_bump_counts():
    event = merge_event(None, report("a1", 14), meta("a1"))
    again = merge_event(event, report("a1", 14), meta("a1"))
    assert again["mention_count"] == 1 and len(again["sources"]) == 1


def test_event_document_matches_its_schema():
    event = merge_event(None, report("a1", 14), meta("a1"))
    jsonschema.validate(event, load_schema("event.schema.json"))
    assert event["venue"]["location"] == {"lat": 51.17, "lon": 71.45}


def test_an_extraction_without_series_cannot_start_an_event():
    with pytest.raises(ValueError):
        merge_event(None, RoundExtraction("x", False), meta("x"))


def test_merging_a_batch_equals_merging_one_by_one_and_leaves_the_stored_event_alone():
    stored = merge_event(None, report("a1", 14, location="Astana", confidence=0.6), meta("a1"))
    snapshot = repr(stored)
    batch = [
        (report("a2", 14, status="concluded"), meta("a2", "2019-12-11")),
        (report("a1", 14), meta("a1")),  # already a source: counts once
        (report("a3", 14, location="Astana", confidence=0.95), meta("a3", "2019-12-11")),
    ]
    one_by_one = stored
    for extraction, article in batch:
        one_by_one = merge_event(one_by_one, extraction, article)
    merged = merge_reports(stored, batch)
    assert merged == one_by_one
    assert [s["id"] for s in merged["sources"]] == ["a1", "a2", "a3"]
    assert merged["mention_count"] == 3 and merged["location"] == "Astana"
    assert repr(stored) == snapshot
