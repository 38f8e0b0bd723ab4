"""The one line every stage sits on: articles and dead letters travel together.

A stage works on the articles it is for and passes every other element on unchanged, so the
pipeline is a single chain from the Kafka source to the sink. Tagged outputs joined again by a
Flatten read more like Beam, but Prism runs a Flatten in the runner: every element left the SDK
worker, was decoded and encoded by Prism and came back. On one line the runner fuses the source,
the stages and the sink into one stage; with the sink's reports in their own stage (see
sinks/elasticsearch.py), Prism's CPU fell from 7-8 ms an article to about 1.3 (bench/README.md).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator

import apache_beam as beam

from pipelines.records import ArticleInFlight, DeadLetter

log = logging.getLogger(__name__)

Element = ArticleInFlight | DeadLetter


class ArticleStageFn(beam.DoFn):
    """One element at a time: `process_article` for the articles `is_for` accepts.

    A stage of pure rules sets `stage` to its name: an article it fails on becomes a dead letter
    naming the stage and the error. Retrying would fail the same way and hold up the partition
    behind it; stages that call services leave `stage` unset and let the runner retry."""

    stage: str | None = None

    def is_for(self, item: ArticleInFlight) -> bool:
        return True

    def process(self, element: Element) -> Iterator[Element]:
        if not (isinstance(element, ArticleInFlight) and self.is_for(element)):
            yield element
        elif self.stage is None:
            yield from self.process_article(element)
        else:
            try:
                results = list(self.process_article(element))
            except Exception as exc:  # any rule bug: the article is kept, with the reason
                log.exception("%s failed on article %s", self.stage, element.article.get("id"))
                yield failed_article(element, self.stage, exc)
            else:
                yield from results

    def process_article(self, item: ArticleInFlight) -> Iterable[Element]:
        raise NotImplementedError


class ArticleBatchStageFn(beam.DoFn):
    """A batch at a time (after BatchElements): `process_articles` gets the accepted ones."""

    def is_for(self, item: ArticleInFlight) -> bool:
        return True

    def process(self, batch: list[Element]) -> Iterator[Element]:
        accepted = []
        for element in batch:
            if isinstance(element, ArticleInFlight) and self.is_for(element):
                accepted.append(element)
            else:
                yield element
        if accepted:
            yield from self.process_articles(accepted)

    def process_articles(self, batch: list[ArticleInFlight]) -> Iterable[Element]:
        raise NotImplementedError


def failed_article(item: ArticleInFlight, stage: str, error: Exception) -> DeadLetter:
    return DeadLetter(
        position=item.position,
        stage=stage,
        reason=f"{type(error).__name__}: {error}",
        raw=json.dumps(item.article, ensure_ascii=False, default=str).encode("utf-8"),
        extra={"article_id": item.article.get("id")},
    )
