"""Commits Kafka offsets for the pipeline's consumer group, after the writes they cover.

Every record read from Kafka reaches the sink as exactly one element (an article or a dead
letter), in offset order within its partition, so once a batch is written the next offset to
read is the highest offset in the batch plus one.
"""

from __future__ import annotations

import logging

from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata

from pipelines.records import KafkaPosition

log = logging.getLogger(__name__)


def next_offsets(positions: list[KafkaPosition]) -> dict[tuple[str, int], int]:
    result: dict[tuple[str, int], int] = {}
    for p in positions:
        key = (p.topic, p.partition)
        result[key] = max(result.get(key, 0), p.offset + 1)
    return result


class OffsetCommitter:
    def __init__(self, bootstrap: str, group_id: str) -> None:
        # A consumer that never subscribes: it only commits, as a "simple" group member.
        self.consumer = KafkaConsumer(
            bootstrap_servers=bootstrap, group_id=group_id, enable_auto_commit=False
        )

    def commit(self, positions: list[KafkaPosition]) -> None:
        offsets = {
            TopicPartition(topic, partition): OffsetAndMetadata(offset, "", -1)
            for (topic, partition), offset in next_offsets(positions).items()
        }
        if offsets:
            self.consumer.commit(offsets)
            for tp, meta in offsets.items():
                log.debug("committed %s[%d] -> %d", tp.topic, tp.partition, meta.offset)

    def close(self) -> None:
        self.consumer.close(autocommit=False)
