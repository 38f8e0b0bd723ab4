"""Stage 3: score every article against the topic profile; only relevant ones go on to NLP.

Irrelevant articles and near-duplicates skip the expensive steps but are still indexed, so an
analyst can search everything that was reported.
"""

from __future__ import annotations

from dataclasses import replace

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.metrics import Metrics

from pipelines.extraction.relevance import load_profile, relevance_score
from pipelines.records import ArticleInFlight, article_text

SKIPPED = "skipped"


class ScoreRelevanceFn(beam.DoFn):
    def __init__(self, threshold: float | None) -> None:
        self.threshold = threshold
        self.relevant = Metrics.counter("relevance", "relevant")
        self.irrelevant = Metrics.counter("relevance", "irrelevant")

    def setup(self) -> None:
        if self.threshold is None:
            self.threshold = load_profile().threshold

    def process(self, item: ArticleInFlight):
        article = item.article
        score = relevance_score(article.get("title") or "", article_text(article).text)
        scored = replace(item, relevance=score, relevant=score >= self.threshold)
        if scored.relevant and scored.duplicate_of is None:
            self.relevant.inc()
            yield scored
        else:
            self.irrelevant.inc()
            yield pvalue.TaggedOutput(SKIPPED, scored)


class ScoreRelevance(beam.PTransform):
    """Outputs: main = relevant originals (go to NLP), `skipped` = the rest (indexed only)."""

    def __init__(self, threshold: float | None) -> None:
        super().__init__()
        self.threshold = threshold

    def expand(self, articles):
        return articles | "Score" >> beam.ParDo(ScoreRelevanceFn(self.threshold)).with_outputs(
            SKIPPED, main="relevant"
        )
