"""Stage 6: extract the talk round an article reports (series, ordinal, venue, dates, ...)."""

from __future__ import annotations

from dataclasses import replace

import apache_beam as beam
from apache_beam.metrics import Metrics

from pipelines.extraction.rounds import extract_round
from pipelines.records import ArticleInFlight, article_text
from pipelines.stages.line import ArticleStageFn


class ExtractRoundFn(ArticleStageFn):
    stage = "rounds"

    def __init__(self) -> None:
        self.rounds = Metrics.counter("rounds", "talk_rounds_reported")
        self.named = Metrics.counter("rounds", "rounds_named")

    def is_for(self, item: ArticleInFlight) -> bool:
        return item.annotation is not None

    def process_article(self, item: ArticleInFlight):
        extraction = extract_round(article_text(item.article), item.annotation)
        if extraction.series:
            self.named.inc()
        if extraction.is_syria_talks_round:
            self.rounds.inc()
        # The annotation is a third of an article's bytes and nothing after this stage reads
        # it; dropping it here lightens what the runner carries to the sink.
        yield replace(item, extraction=extraction, annotation=None)


class ExtractRounds(beam.PTransform):
    def expand(self, articles):
        return articles | "Extract" >> beam.ParDo(ExtractRoundFn())
