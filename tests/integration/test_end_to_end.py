"""One article the whole way: RSS on loopback -> connector -> Kafka -> Beam on Prism (spaCy)
-> Elasticsearch, found by a full-text search with its entities and its talk-round event."""

from __future__ import annotations

from pathlib import Path

from elasticsearch import Elasticsearch

from connectors.poller import poll_once
from connectors.sample_server import start_feed_server
from talkwatch import monitor

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "astana_opening.xml"


def test_astana_opening_travels_from_feed_to_search(isolated_config, es_url, prism_binary):
    server = start_feed_server({"/wire.xml": FIXTURE.read_bytes()})
    try:
        config = isolated_config(
            f"""
[feeds.fixture-wire]
url = "{server.url}/wire.xml"
source = "Fixture wire"
allow_private = true
"""
        )
        polled = poll_once(config)
    finally:
        server.close()
    assert polled.articles_produced == 1
    assert polled.feeds_failed == 0

    pipeline = monitor.start_pipeline_process(config)
    try:
        assert monitor.wait_until_caught_up(config, pipeline, timeout=300), pipeline.log_file
    finally:
        assert pipeline.stop() == 0, pipeline.log_file.read_text()[-3000:]

    prefix = config.elasticsearch.index_prefix
    es = Elasticsearch(es_url)
    es.indices.refresh(index=f"{prefix}-*")
    hits = es.search(
        index=f"{prefix}-articles", query={"match": {"text": "Kazakh capital peace talks"}}
    )["hits"]["hits"]
    assert len(hits) == 1
    article = hits[0]["_source"]
    assert article["title"].startswith("Syria talks open in Astana")
    assert "utm_source" not in article["canonical_url"]
    assert {"Russia", "Turkey", "Iran", "Staffan de Mistura"} <= set(article["actors"])
    assert article["round"]["is_syria_talks_round"] is True
    assert article["round"]["series"] == "astana"

    events = es.search(index=f"{prefix}-events", query={"match_all": {}})["hits"]["hits"]
    assert len(events) == 1
    event = events[0]["_source"]
    assert event["event_id"] == article["round"]["event_id"]
    assert event["series"] == "astana"
    assert event["start_date"] == "2017-01-23"
    assert event["venue"]["city"] == "Astana"
    assert {"Russia", "Turkey", "Iran"} <= set(event["actors"])
    assert "Kazakhstan" not in event["actors"]  # a host that only hosts is not a participant
