"""Stage 4: spaCy over relevant articles, in batches, with the model loaded once per worker."""

from __future__ import annotations

from dataclasses import replace

import apache_beam as beam
from apache_beam.metrics import Metrics

from pipelines.extraction.nlp import annotate, load_nlp
from pipelines.records import ArticleInFlight, article_text


class AnnotateBatchFn(beam.DoFn):
    def __init__(self) -> None:
        self.annotated = Metrics.counter("nlp", "articles_annotated")
        self.batch_sizes = Metrics.distribution("nlp", "batch_size")

    def setup(self) -> None:
        self.nlp = load_nlp()

    def process(self, batch: list[ArticleInFlight]):
        annotations = annotate(self.nlp, [article_text(item.article).document for item in batch])
        self.annotated.inc(len(batch))
        self.batch_sizes.update(len(batch))
        for item, annotation in zip(batch, annotations, strict=True):
            yield replace(item, annotation=annotation)


class Annotate(beam.PTransform):
    def __init__(self, max_batch_size: int = 64) -> None:
        super().__init__()
        self.max_batch_size = max_batch_size

    def expand(self, articles):
        return (
            articles
            # Batches never wait across bundles: a lone article is annotated at once.
            | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=self.max_batch_size)
            | "spaCy" >> beam.ParDo(AnnotateBatchFn())
        )
