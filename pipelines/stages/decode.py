"""Stage 1: Kafka record -> validated article, or a dead letter naming the reason.

Both go on down the line (stages/line.py); the sink writes the dead letters."""

from __future__ import annotations

import json

import apache_beam as beam
from apache_beam.metrics import Metrics

from pipelines.records import ArticleInFlight, DeadLetter, KafkaPosition
from pipelines.source import KafkaRecord
from schemas.models import InvalidMessage, validate_article


def decode_record(record: KafkaRecord) -> ArticleInFlight | DeadLetter:
    position = KafkaPosition(record.topic, record.partition, record.offset)
    try:
        message = json.loads(record.value)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return DeadLetter(position, "decode", f"not JSON: {exc}", record.value, record.key)
    if not isinstance(message, dict):
        reason = f"not a JSON object but {type(message).__name__}"
        return DeadLetter(position, "decode", reason, record.value, record.key)
    try:
        validate_article(message)
    except InvalidMessage as exc:
        return DeadLetter(position, "decode", f"invalid article: {exc}", record.value, record.key)
    return ArticleInFlight(position=position, article=message)


class DecodeArticleFn(beam.DoFn):
    def __init__(self) -> None:
        self.decoded = Metrics.counter("decode", "articles_in")
        self.invalid = Metrics.counter("decode", "dead_letters")

    def process(self, record: KafkaRecord):
        result = decode_record(record)
        if isinstance(result, DeadLetter):
            self.invalid.inc()
        else:
            self.decoded.inc()
        yield result


class DecodeArticles(beam.PTransform):
    """Output: an ArticleInFlight or a DeadLetter per record."""

    def expand(self, records):
        return records | "Decode" >> beam.ParDo(DecodeArticleFn())
