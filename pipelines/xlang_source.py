"""Beam's Java KafkaIO through the cross-language expansion service, for Flink or Dataflow.

It needs a Java expansion service (Beam downloads `beam-sdks-java-io-expansion-service`, or
pass `--expansion_service`); records are mapped to the same KafkaRecord as our own source.
Offsets are committed by KafkaIO on finalised checkpoints (`commit_offset_in_finalize`), which
is the runner's checkpoint, not our sink: use it with a runner that checkpoints (Flink).
"""

from __future__ import annotations

import apache_beam as beam

from pipelines.source import KafkaRecord


class ReadKafkaCrossLanguage(beam.PTransform):
    def __init__(self, bootstrap: str, topic: str, group_id: str) -> None:
        super().__init__()
        self.bootstrap = bootstrap
        self.topic = topic
        self.group_id = group_id

    def expand(self, pbegin):
        from apache_beam.io.kafka import ReadFromKafka

        return (
            pbegin
            | "ReadFromKafka" >> ReadFromKafka(
                consumer_config={
                    "bootstrap.servers": self.bootstrap,
                    "group.id": self.group_id,
                    "auto.offset.reset": "earliest",
                },
                topics=[self.topic],
                with_metadata=True,
                commit_offset_in_finalize=True,
            )
            | "ToKafkaRecord" >> beam.Map(
                lambda r: KafkaRecord(
                    topic=r.topic,
                    partition=r.partition,
                    offset=r.offset,
                    key=r.key,
                    value=r.value,
                    timestamp_ms=r.timestamp,
                )
            )
        )
