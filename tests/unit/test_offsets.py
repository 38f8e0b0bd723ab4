"""Offsets are committed only below a contiguous run of written records."""

from __future__ import annotations

from pipelines.records import KafkaPosition
from pipelines.sinks.offsets import ContiguousOffsets


def written(*offsets: int, partition: int = 0) -> list[KafkaPosition]:
    return [KafkaPosition("articles", partition, o) for o in offsets]


def test_out_of_order_writes_commit_only_the_contiguous_prefix() -> None:
    tracker = ContiguousOffsets(lambda partition: 10)
    tracker.mark_written(written(12, 13))
    assert tracker.next_offsets() == {("articles", 0): 10}
    tracker.mark_written(written(10))
    assert tracker.next_offsets() == {("articles", 0): 11}
    tracker.mark_written(written(11))
    assert tracker.next_offsets() == {("articles", 0): 14}


def test_partitions_advance_independently_from_their_own_start() -> None:
    starts = {("articles", 0): 0, ("articles", 1): 7}
    tracker = ContiguousOffsets(starts.__getitem__)
    tracker.mark_written(written(0, 1) + written(8, partition=1))
    assert tracker.next_offsets() == {("articles", 0): 2, ("articles", 1): 7}


def test_replayed_offsets_below_the_start_are_ignored() -> None:
    tracker = ContiguousOffsets(lambda partition: 5)
    tracker.mark_written(written(3, 4, 5))
    assert tracker.next_offsets() == {("articles", 0): 6}
