"""The one line every stage sits on: articles and dead letters travel together.

A stage works on the articles it is for and passes every other element on unchanged, so the
pipeline is a single chain from the Kafka source to the sink. Tagged outputs joined again by a
Flatten read more like Beam, but Prism runs a Flatten in the runner: every element left the SDK
worker, was decoded and encoded by Prism and came back. On one line the runner fuses the source,
the stages and the sink into one stage; with the sink's reports in their own stage (see
sinks/elasticsearch.py), Prism's CPU fell from 7-8 ms an article to about 1.3 (bench/README.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import apache_beam as beam

from pipelines.records import ArticleInFlight, DeadLetter

Element = ArticleInFlight | DeadLetter


class ArticleStageFn(beam.DoFn):
    """One element at a time: `process_article` for the articles `is_for` accepts."""

    def is_for(self, item: ArticleInFlight) -> bool:
        return True

    def process(self, element: Element) -> Iterator[Element]:
        if isinstance(element, ArticleInFlight) and self.is_for(element):
            yield from self.process_article(element)
        else:
            yield element

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
