"""The pipeline's delivery guarantees, against real Kafka, Elasticsearch and Prism:
nothing lost, nothing doubled, nothing acknowledged before it is written."""

from __future__ import annotations

import json
import os
import signal
import time

from elasticsearch import Elasticsearch
from kafka import KafkaConsumer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.structs import OffsetAndMetadata

from talkwatch import cli, monitor
from talkwatch.config import Config

SMALL_BATCHES = "sink_batch_size = 4\n"


def es_state(config: Config) -> dict:
    """What an analyst would see: article ids, and each event's mentions and sources."""
    es = Elasticsearch(config.elasticsearch.url)
    prefix = config.elasticsearch.index_prefix
    es.indices.refresh(index=f"{prefix}-articles,{prefix}-events")
    articles = es.search(index=f"{prefix}-articles", size=1000, source=False)["hits"]["hits"]
    events = es.search(index=f"{prefix}-events", size=100)["hits"]["hits"]
    es.close()
    return {
        "article_ids": sorted(h["_id"] for h in articles),
        "events": sorted(
            (h["_id"], h["_source"]["mention_count"], len(h["_source"]["sources"]))
            for h in events
        ),
    }


def run_until_caught_up(config: Config, timeout: float = 240) -> None:
    pipeline = monitor.start_pipeline_process(config)
    try:
        assert monitor.wait_until_caught_up(config, pipeline, timeout), pipeline.log_tail()
    finally:
        assert pipeline.stop() == 0, pipeline.log_tail()


def test_invalid_messages_go_to_the_dead_letter_topic_with_the_reason(
    isolated_config, produce, make_article, es_url, prism_binary
):
    config = isolated_config()
    broken = make_article(1)
    broken.pop("canonical_url")
    produce(config, [make_article(0), broken], raw=[b"{not json", b"[1, 2]"])

    run_until_caught_up(config)

    assert es_state(config)["article_ids"] == [make_article(0)["id"]]
    consumer = KafkaConsumer(
        config.kafka.deadletter_topic,
        bootstrap_servers=config.kafka.bootstrap,
        auto_offset_reset="earliest",
        consumer_timeout_ms=5000,
    )
    letters = [json.loads(record.value) for record in consumer]
    consumer.close()
    reasons = sorted(letter["reason"] for letter in letters)
    assert len(letters) == 3
    assert any("canonical_url" in r and "required" in r for r in reasons), reasons
    assert any(r.startswith("not JSON") for r in reasons), reasons
    assert any("not a JSON object" in r for r in reasons), reasons
    assert {letter["stage"] for letter in letters} == {"decode"}
    assert all(letter["topic"] == config.kafka.articles_topic for letter in letters)
    assert any(letter["raw"] == "{not json" for letter in letters)


def test_pipeline_status_shows_lag_counters_and_dead_letters(
    isolated_config, produce, make_article, es_url, prism_binary, capsys
):
    config = isolated_config()
    produce(config, [make_article(0), make_article(1, "other")], raw=[b"\xff not json"])
    run_until_caught_up(config)

    assert cli.main(["--config", str(config.path), "pipeline", "status"]) == 0
    out = capsys.readouterr().out
    for partition in range(config.kafka.partitions):
        assert f"partition {partition}: committed" in out
    assert out.count("lag 0") == config.kafka.partitions
    assert "source.records_read: 3" in out
    assert "decode.dead_letters: 1" in out
    assert "sink.articles_indexed: 2" in out
    assert f"dead letters in {config.kafka.deadletter_topic}: 1" in out


def test_replay_from_offset_zero_changes_no_count(
    isolated_config, produce, make_article, es_url, prism_binary
):
    config = isolated_config(pipeline_toml=SMALL_BATCHES)
    produce(config, [make_article(n) for n in range(6)]
            + [make_article(n, "other") for n in range(4)])
    run_until_caught_up(config)
    first = es_state(config)
    assert len(first["article_ids"]) == 10
    assert len(first["events"]) == 1
    assert first["events"][0][1:] == (6, 6)  # six reports of one round, each counted once

    rewind_to_zero(config)
    run_until_caught_up(config)

    assert es_state(config) == first


def test_kill_9_and_restart_loses_nothing_and_doubles_nothing(
    isolated_config, produce, make_article, es_url, prism_binary
):
    config = isolated_config(pipeline_toml=SMALL_BATCHES)
    produce(config, [make_article(n) for n in range(40)])
    pipeline = monitor.start_pipeline_process(config)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and monitor.index_counts(config)["articles"] == 0:
            time.sleep(0.2)
        assert monitor.index_counts(config)["articles"] > 0, pipeline.log_tail()
    finally:
        # The whole process group, Prism included, as a crash of the machine would.
        os.killpg(pipeline.process.pid, signal.SIGKILL)
        pipeline.process.wait()
    produce(config, [make_article(n) for n in range(40, 50)])

    run_until_caught_up(config)

    state = es_state(config)
    assert state["article_ids"] == sorted(make_article(n)["id"] for n in range(50))
    assert [(mentions, sources) for _, mentions, sources in state["events"]] == [(50, 50)]


def test_elasticsearch_away_for_30_seconds_delays_but_loses_nothing(
    isolated_config, produce, make_article, local_stack, es_url, prism_binary
):
    config = isolated_config(pipeline_toml=SMALL_BATCHES)
    produce(config, [make_article(n, "other") for n in range(5)])
    pipeline = monitor.start_pipeline_process(config)
    node = local_stack.elasticsearch()
    try:
        assert monitor.wait_until_caught_up(config, pipeline, 240), pipeline.log_tail()
        node.stop()
        produce(config, [make_article(n, "other") for n in range(5, 15)])
        time.sleep(30)
        # Nothing may be acknowledged while nothing could be written.
        assert monitor.total_lag(config) == 10
        node.start()
        assert monitor.wait_until_caught_up(config, pipeline, 240), pipeline.log_tail()
    finally:
        node.start()
        assert pipeline.stop() == 0, pipeline.log_tail()
    ids = es_state(config)["article_ids"]
    assert ids == sorted(make_article(n, "other")["id"] for n in range(15))


def rewind_to_zero(config: Config) -> None:
    group = config.section("pipeline")["group_id"]
    consumer = KafkaConsumer(
        bootstrap_servers=config.kafka.bootstrap, group_id=group, enable_auto_commit=False
    )
    partitions = consumer.partitions_for_topic(config.kafka.articles_topic)
    consumer.commit(
        {
            TopicPartition(config.kafka.articles_topic, p): OffsetAndMetadata(0, "", -1)
            for p in partitions
        }
    )
    consumer.close(autocommit=False)


def syndicated_copy(article: dict, outlet: str) -> dict:
    """The same story under another outlet's URL, with a byline added."""
    import hashlib

    url = f"http://{outlet}.example.net/syria/{article['id'][:8]}"
    return dict(
        article,
        id=hashlib.sha256(url.encode()).hexdigest()[:32],
        url=url,
        canonical_url=url,
        source=outlet,
        text="By a staff reporter. " + article["text"],
    )


def test_syndicated_copies_link_to_the_first_indexed_article(
    isolated_config, produce, make_article, es_url, prism_binary
):
    from pipelines.similarity import is_near_duplicate, simhash
    from pipelines.stages.dedup import fingerprint_text

    config = isolated_config(pipeline_toml=SMALL_BATCHES)
    original, other_story = make_article(0), make_article(1)
    wire_copy, late_copy = syndicated_copy(original, "wire"), syndicated_copy(original, "late")
    prints = [simhash(fingerprint_text(a)) for a in (original, wire_copy, other_story)]
    assert is_near_duplicate(prints[0], prints[1]) and not is_near_duplicate(prints[0], prints[2])

    # One partition keeps the order: the copy comes after its original, in the same run.
    admin = KafkaAdminClient(bootstrap_servers=config.kafka.bootstrap)
    admin.create_topics([NewTopic(config.kafka.articles_topic, 1, 1)])
    admin.close()
    produce(config, [original, wire_copy, other_story])
    run_until_caught_up(config)
    # A new pipeline process remembers nothing: the late copy is linked through the index.
    produce(config, [late_copy])
    run_until_caught_up(config)

    es = Elasticsearch(config.elasticsearch.url)
    es.indices.refresh(index=f"{config.elasticsearch.index_prefix}-articles")
    hits = es.search(index=f"{config.elasticsearch.index_prefix}-articles", size=10,
                     source=["duplicate_of"])["hits"]["hits"]  # fmt: skip
    es.close()
    links = {h["_id"]: h["_source"].get("duplicate_of") for h in hits}
    assert links == {
        original["id"]: None,
        wire_copy["id"]: original["id"],
        other_story["id"]: None,
        late_copy["id"]: original["id"],
    }
