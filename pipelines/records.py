"""What travels between the pipeline's stages: one article and everything learnt about it.

Every stage returns a new `ArticleInFlight` with its own field filled in (dataclasses.replace),
so a record read from Kafka can be followed to the documents the sink writes. `position`
travels with it because the sink commits Kafka offsets only after the writes succeed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pipelines.extraction.article import ArticleText


@dataclass(frozen=True)
class KafkaPosition:
    topic: str
    partition: int
    offset: int


@dataclass(frozen=True)
class ArticleInFlight:
    position: KafkaPosition
    article: dict[str, Any]
    simhash: int | None = None
    duplicate_of: str | None = None
    relevance: float = 0.0
    relevant: bool = False
    annotation: Any = None  # pipelines.extraction.nlp.Annotation
    actors: tuple[Any, ...] = ()  # pipelines.extraction.actors.ActorMention
    extraction: Any = None  # pipelines.extraction.rounds.RoundExtraction

    @property
    def needs_analysis(self) -> bool:
        """Relevant originals go through spaCy, actors and rounds; near-duplicates and
        irrelevant articles are only indexed."""
        return self.relevant and self.duplicate_of is None


@dataclass(frozen=True)
class DeadLetter:
    """A message the pipeline could not use; written to the dead-letter topic, never dropped."""

    position: KafkaPosition
    stage: str
    reason: str
    raw: bytes
    key: bytes | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def published_date(article: dict[str, Any]) -> date | None:
    value = article.get("published_at")
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def article_text(article: dict[str, Any]) -> ArticleText:
    """The article as the extractor reads it; its `document` is what spaCy annotates."""
    return ArticleText(
        id=article["id"],
        url=article["url"],
        title=article.get("title") or None,
        published=published_date(article),
        # A feed that gives no more than a summary still gets its summary read.
        text=article.get("text") or article.get("summary") or "",
    )
