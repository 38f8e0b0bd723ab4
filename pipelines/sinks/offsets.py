"""Commits Kafka offsets for the pipeline's consumer group, only below what has been written.

A runner may deliver a partition's records to the sink out of order and in several bundles
(stages such as the NLP batcher hold records back; a runner need not fuse the source with the
sink), so the highest offset written says nothing about the lower ones. Per partition we keep
the next offset not yet written, starting from where the pipeline started reading (the group's
committed offset), and advance it only over a contiguous run of written offsets. A crash then
replays from the first unwritten record: at-least-once, never a hole.

Offsets of a topic that is neither compacted nor written transactionally have no gaps. If one
ever had a gap, commits for that partition would stop advancing (lag grows, nothing is lost).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata

from pipelines.records import KafkaPosition

log = logging.getLogger(__name__)

Partition = tuple[str, int]


class ContiguousOffsets:
    """Per partition: the next offset such that every offset below it has been written."""

    def __init__(self, start_offset: Callable[[Partition], int]) -> None:
        self._start_offset = start_offset
        self._next: dict[Partition, int] = {}
        self._written: dict[Partition, set[int]] = {}

    def mark_written(self, positions: Iterable[KafkaPosition]) -> None:
        for p in positions:
            key = (p.topic, p.partition)
            if key not in self._next:
                self._next[key] = self._start_offset(key)
                self._written[key] = set()
            if p.offset >= self._next[key]:
                self._written[key].add(p.offset)
        for key, written in self._written.items():
            while self._next[key] in written:
                written.remove(self._next[key])
                self._next[key] += 1

    def next_offsets(self) -> dict[Partition, int]:
        return dict(self._next)


class OffsetCommitter:
    """One per worker process: sink instances on several bundle threads share it."""

    _shared: dict[tuple[str, str], OffsetCommitter] = {}
    _shared_lock = threading.Lock()

    @classmethod
    def for_group(cls, bootstrap: str, group_id: str) -> OffsetCommitter:
        with cls._shared_lock:
            key = (bootstrap, group_id)
            if key not in cls._shared:
                cls._shared[key] = cls(bootstrap, group_id)
            return cls._shared[key]

    def __init__(self, bootstrap: str, group_id: str) -> None:
        # A consumer that never subscribes: it only reads and commits the group's offsets.
        self.consumer = KafkaConsumer(
            bootstrap_servers=bootstrap, group_id=group_id, enable_auto_commit=False
        )
        self.offsets = ContiguousOffsets(self._start_offset)
        self._committed: dict[Partition, int] = {}
        self._lock = threading.Lock()

    def _start_offset(self, partition: Partition) -> int:
        tp = TopicPartition(*partition)
        committed = self.consumer.committed(tp)
        if committed is not None:
            return committed
        return self.consumer.beginning_offsets([tp])[tp]

    def commit_written(self, positions: list[KafkaPosition]) -> None:
        """Record these records as written and commit whatever that makes contiguous."""
        with self._lock:
            self.offsets.mark_written(positions)
            advanced = {
                key: offset
                for key, offset in self.offsets.next_offsets().items()
                if offset > self._committed.get(key, -1)
            }
            if not advanced:
                return
            self.consumer.commit(
                {TopicPartition(*key): OffsetAndMetadata(o, "", -1) for key, o in advanced.items()}
            )
            self._committed.update(advanced)
            for (topic, partition), offset in advanced.items():
                log.debug("committed %s[%d] -> %d", topic, partition, offset)
