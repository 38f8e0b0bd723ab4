"""Stage 3: score every article against the topic profile; only relevant ones go on to NLP.

Irrelevant articles and near-duplicates skip the expensive steps but are still indexed, so an
analyst can search everything that was reported.
"""

from __future__ import annotations

from dataclasses import replace

import apache_beam as beam
from apache_beam.metrics import Metrics

from pipelines.extraction.relevance import load_profile, relevance_score
from pipelines.records import ArticleInFlight, article_text
from pipelines.stages.line import ArticleStageFn


class ScoreRelevanceFn(ArticleStageFn):
    stage = "relevance"

    def __init__(self, threshold: float | None) -> None:
        self.threshold = threshold
        self.relevant = Metrics.counter("relevance", "relevant")
        self.irrelevant = Metrics.counter("relevance", "irrelevant")

    def setup(self) -> None:
        if self.threshold is None:
            self.threshold = load_profile().threshold

    def process_article(self, item: ArticleInFlight):
        article = item.article
        score = relevance_score(article.get("title") or "", article_text(article).text)
        scored = replace(item, relevance=score, relevant=score >= self.threshold)
        if scored.needs_analysis:
            self.relevant.inc()
        else:
            self.irrelevant.inc()
        yield scored


class ScoreRelevance(beam.PTransform):
    """Sets `relevance` and `relevant` on every article; the NLP stages take up the relevant
    originals (`needs_analysis`), the sink indexes them all."""

    def __init__(self, threshold: float | None) -> None:
        super().__init__()
        self.threshold = threshold

    def expand(self, articles):
        return articles | "Score" >> beam.ParDo(ScoreRelevanceFn(self.threshold))
