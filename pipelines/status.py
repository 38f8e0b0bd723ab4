"""What `talkwatch pipeline status` shows: consumer lag, stage counters, dead letters, errors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition


@dataclass(frozen=True)
class PartitionLag:
    topic: str
    partition: int
    committed: int | None
    end: int

    @property
    def lag(self) -> int:
        return self.end - (self.committed or 0)


def consumer_lag(bootstrap: str, topic: str, group_id: str) -> list[PartitionLag]:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group_id,
                             enable_auto_commit=False)
    try:
        partitions = sorted(consumer.partitions_for_topic(topic) or [])
        tps = [TopicPartition(topic, p) for p in partitions]
        ends = consumer.end_offsets(tps) if tps else {}
        return [PartitionLag(topic, tp.partition, consumer.committed(tp), ends[tp]) for tp in tps]
    finally:
        consumer.close(autocommit=False)


def topic_size(bootstrap: str, topic: str) -> int:
    """Messages in a topic (end minus beginning offsets), e.g. the dead letters so far."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        tps = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        if not tps:
            return 0
        ends, starts = consumer.end_offsets(tps), consumer.beginning_offsets(tps)
        return sum(ends[tp] - starts[tp] for tp in tps)
    finally:
        consumer.close()


def read_status(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {"state": "not running", "counters": {}, "last_error": None}
