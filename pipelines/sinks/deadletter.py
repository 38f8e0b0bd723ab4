"""The dead-letter topic: every message the pipeline could not use, with the reason."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

from kafka import KafkaProducer

from pipelines.records import DeadLetter


def dead_letter_message(letter: DeadLetter) -> dict:
    try:
        raw = letter.raw.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        raw = base64.b64encode(letter.raw).decode("ascii")
        encoding = "base64"
    return {
        "stage": letter.stage,
        "reason": letter.reason,
        "topic": letter.position.topic,
        "partition": letter.position.partition,
        "offset": letter.position.offset,
        "raw": raw,
        "raw_encoding": encoding,
        "at": datetime.now(UTC).isoformat(),
        **letter.extra,
    }


class DeadLetterWriter:
    """Produces dead letters synchronously: `flush` returns only once the broker has them."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self.topic = topic
        self.producer = KafkaProducer(
            bootstrap_servers=bootstrap,
            acks="all",
            enable_idempotence=True,
            retries=2**31 - 1,
            value_serializer=lambda v: json.dumps(v).encode(),
        )
        self._pending = []

    def add(self, letter: DeadLetter) -> None:
        self._pending.append(
            self.producer.send(self.topic, key=letter.key, value=dead_letter_message(letter))
        )

    def flush(self) -> None:
        self.producer.flush()
        for future in self._pending:
            future.get(timeout=60)  # raises if the broker refused it: never acknowledge early
        self._pending = []

    def close(self) -> None:
        self.producer.close()
