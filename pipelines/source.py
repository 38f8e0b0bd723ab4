"""An unbounded Kafka source written in Python, so the pipeline runs on Prism with no Java.

Each Kafka partition is one element; a splittable DoFn reads it under an offset restriction
that starts at the consumer group's committed offset. The DoFn claims every offset it emits,
checkpoints itself (defer_remainder) after every poll, and advances a manual
watermark from the articles' publish times. Offsets are *not* committed here: the sink commits
them after the documents are written (see pipelines/sinks/elasticsearch.py), which is what
makes the pipeline at-least-once across crashes.
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass

import apache_beam as beam
from apache_beam.io.restriction_trackers import OffsetRange, OffsetRestrictionTracker
from apache_beam.io.watermark_estimators import ManualWatermarkEstimator
from apache_beam.metrics import Metrics
from apache_beam.transforms.core import RestrictionProvider
from apache_beam.utils.timestamp import Duration, Timestamp
from kafka import KafkaConsumer, TopicPartition

log = logging.getLogger(__name__)

# Publish times of news are out of order by hours; the watermark trails the newest one seen by
# this much so that ordinary lateness does not make articles late.
WATERMARK_SKEW = Duration(seconds=3600)
POLL_TIMEOUT_MS = 500
MAX_RECORDS_PER_BUNDLE = 200
IDLE_RESUME_SECONDS = 0.5


@dataclass(frozen=True)
class KafkaPartition:
    bootstrap: str
    topic: str
    partition: int
    group_id: str


@dataclass(frozen=True)
class KafkaRecord:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    timestamp_ms: int


def list_partitions(bootstrap: str, topic: str, group_id: str) -> list[KafkaPartition]:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    try:
        partitions = consumer.partitions_for_topic(topic)
    finally:
        consumer.close()
    if not partitions:
        raise ValueError(f"Kafka topic {topic!r} does not exist on {bootstrap}")
    return [KafkaPartition(bootstrap, topic, p, group_id) for p in sorted(partitions)]


def committed_or_earliest(partition: KafkaPartition) -> int:
    """Where a (re)started pipeline resumes: the group's committed offset, else the start."""
    consumer = KafkaConsumer(
        bootstrap_servers=partition.bootstrap,
        group_id=partition.group_id,
        enable_auto_commit=False,
    )
    try:
        tp = TopicPartition(partition.topic, partition.partition)
        committed = consumer.committed(tp)
        if committed is not None:
            return committed
        return consumer.beginning_offsets([tp])[tp]
    finally:
        consumer.close()


class PartitionOffsetTracker(OffsetRestrictionTracker):
    """Claims offsets in order and allows only checkpoints, never a split of the range.

    A runner may ask to split an element's remaining work in two (Prism does, for slow
    bundles); a Kafka partition has a single in-order reader, so only a split at the current
    position (fraction 0, the checkpoint) is accepted.
    """

    def try_split(self, fraction_of_remainder):
        if fraction_of_remainder > 0:
            return None
        return super().try_split(fraction_of_remainder)


class PartitionRestrictionProvider(RestrictionProvider):
    def initial_restriction(self, partition: KafkaPartition) -> OffsetRange:
        return OffsetRange(committed_or_earliest(partition), sys.maxsize)

    def create_tracker(self, restriction: OffsetRange) -> PartitionOffsetTracker:
        return PartitionOffsetTracker(restriction)

    def restriction_size(self, partition: KafkaPartition, restriction: OffsetRange) -> int:
        # Unbounded; a constant keeps runners from trying to split by size.
        return 1

    def truncate(self, partition: KafkaPartition, restriction: OffsetRange) -> None:
        # On drain, stop reading: what was not read stays uncommitted and is read next time.
        return None


RESTRICTIONS = PartitionRestrictionProvider()
WATERMARKS = ManualWatermarkEstimator.default_provider()


class ReadPartitionFn(beam.DoFn):
    def __init__(self) -> None:
        self.records_read = Metrics.counter("source", "records_read")
        self._consumers: dict[KafkaPartition, KafkaConsumer] = {}

    def setup(self) -> None:
        self._consumers = {}

    def _consumer(self, partition: KafkaPartition) -> KafkaConsumer:
        consumer = self._consumers.get(partition)
        if consumer is None:
            consumer = KafkaConsumer(
                bootstrap_servers=partition.bootstrap,
                group_id=None,
                enable_auto_commit=False,
                max_poll_records=MAX_RECORDS_PER_BUNDLE,
            )
            consumer.assign([TopicPartition(partition.topic, partition.partition)])
            self._consumers[partition] = consumer
        return consumer

    @beam.DoFn.unbounded_per_element()
    def process(
        self,
        partition: KafkaPartition,
        tracker=beam.DoFn.RestrictionParam(RESTRICTIONS),
        watermark=beam.DoFn.WatermarkEstimatorParam(WATERMARKS),
    ):
        tp = TopicPartition(partition.topic, partition.partition)
        consumer = self._consumer(partition)
        start = tracker.current_restriction().start
        consumer.seek(tp, start)
        batch = consumer.poll(timeout_ms=POLL_TIMEOUT_MS).get(tp, [])
        newest = None
        for record in batch:
            if not tracker.try_claim(record.offset):
                return
            self.records_read.inc()
            event_time = Timestamp(micros=record.timestamp * 1000)
            newest = event_time if newest is None else max(newest, event_time)
            yield beam.window.TimestampedValue(
                KafkaRecord(
                    topic=record.topic,
                    partition=record.partition,
                    offset=record.offset,
                    key=record.key,
                    value=record.value,
                    timestamp_ms=record.timestamp,
                ),
                event_time,
            )
        self._advance_watermark(watermark, newest, caught_up=len(batch) == 0)
        # Checkpoint: the runner keeps the rest of the partition as a residual restriction and
        # calls us again, after a short pause when the partition was idle.
        tracker.defer_remainder(Duration(seconds=0 if batch else IDLE_RESUME_SECONDS))

    @staticmethod
    def _advance_watermark(estimator, newest: Timestamp | None, caught_up: bool) -> None:
        current = estimator.current_watermark() or Timestamp(0)
        candidates = [current]
        if newest is not None:
            candidates.append(newest - WATERMARK_SKEW)
        if caught_up:
            # An idle partition must not hold the watermark back forever.
            candidates.append(Timestamp.of(time.time()) - WATERMARK_SKEW)
        target = max(candidates)
        if target > current:
            estimator.set_watermark(target)

    def teardown(self) -> None:
        for consumer in self._consumers.values():
            consumer.close()
        self._consumers = {}


class ReadKafkaRecords(beam.PTransform):
    """Every record of `topic` from the group's committed offsets onward, unbounded."""

    def __init__(self, bootstrap: str, topic: str, group_id: str) -> None:
        super().__init__()
        self.bootstrap = bootstrap
        self.topic = topic
        self.group_id = group_id

    def expand(self, pbegin):
        partitions = list_partitions(self.bootstrap, self.topic, self.group_id)
        return (
            pbegin
            | "Partitions" >> beam.Create(partitions)
            | "ReadPartitions" >> beam.ParDo(ReadPartitionFn())
        )


def read_articles(opts) -> beam.PTransform:
    """The Kafka read the options ask for: ours (any runner) or Beam's cross-language one."""
    if opts.kafka_source == "xlang":
        from pipelines.xlang_source import ReadKafkaCrossLanguage

        return ReadKafkaCrossLanguage(opts.bootstrap, opts.articles_topic, opts.group_id)
    return ReadKafkaRecords(opts.bootstrap, opts.articles_topic, opts.group_id)
