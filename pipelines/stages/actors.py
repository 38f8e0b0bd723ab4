"""Stage 5: link actor mentions to the registry in schemas/actors.json (unlinked names kept)."""

from __future__ import annotations

from dataclasses import replace

import apache_beam as beam
from apache_beam.metrics import Metrics

from pipelines.extraction.actors import link_actors
from pipelines.records import ArticleInFlight, article_text
from pipelines.stages.line import ArticleStageFn


class LinkActorsFn(ArticleStageFn):
    stage = "actors"

    def __init__(self) -> None:
        self.linked = Metrics.counter("actors", "linked_mentions")
        self.unlinked = Metrics.counter("actors", "unlinked_mentions")

    def is_for(self, item: ArticleInFlight) -> bool:
        return item.annotation is not None

    def process_article(self, item: ArticleInFlight):
        text = article_text(item.article)
        mentions = link_actors(text.document, item.annotation, text.published)
        linked = sum(1 for m in mentions if m.canonical)
        self.linked.inc(linked)
        self.unlinked.inc(len(mentions) - linked)
        yield replace(item, actors=tuple(mentions))


class LinkActors(beam.PTransform):
    def expand(self, articles):
        return articles | "Link" >> beam.ParDo(LinkActorsFn())
