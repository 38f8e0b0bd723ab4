"""Stage 4: spaCy over relevant articles, in batches, with the model loaded once per worker.

spaCy runs in `NLP_PROCESSES` processes shared by the worker's bundles (see nlp_pool.py): by
default one per CPU, at most 2; $TALKWATCH_NLP_PROCESSES overrides it, and 0 runs spaCy in the
worker process itself.
"""

from __future__ import annotations

import os
from dataclasses import replace

import apache_beam as beam
from apache_beam.metrics import Metrics

from pipelines.extraction.nlp import annotate, load_nlp
from pipelines.records import ArticleInFlight, article_text
from pipelines.stages.line import ArticleBatchStageFn
from pipelines.stages.nlp_pool import AnnotationPool

NLP_PROCESSES = int(os.environ.get("TALKWATCH_NLP_PROCESSES", min(2, os.cpu_count() or 1)))


class AnnotateBatchFn(ArticleBatchStageFn):
    def __init__(self, processes: int = NLP_PROCESSES) -> None:
        self.processes = processes
        self.annotated = Metrics.counter("nlp", "articles_annotated")
        self.batch_sizes = Metrics.distribution("nlp", "batch_size")

    def setup(self) -> None:
        self.nlp = load_nlp() if self.processes <= 0 else None

    def is_for(self, item: ArticleInFlight) -> bool:
        return item.needs_analysis

    def process_articles(self, batch: list[ArticleInFlight]):
        documents = [article_text(item.article).document for item in batch]
        if self.nlp is not None:
            annotations = annotate(self.nlp, documents)
        else:
            annotations = AnnotationPool.annotate(documents, self.processes)
        self.annotated.inc(len(batch))
        self.batch_sizes.update(len(batch))
        for item, annotation in zip(batch, annotations, strict=True):
            yield replace(item, annotation=annotation)


class Annotate(beam.PTransform):
    def __init__(self, max_batch_size: int = 64, processes: int = NLP_PROCESSES) -> None:
        super().__init__()
        self.max_batch_size = max_batch_size
        self.processes = processes

    def expand(self, articles):
        return (
            articles
            # Batches never wait across bundles: a lone article is annotated at once.
            | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=self.max_batch_size)
            | "spaCy" >> beam.ParDo(AnnotateBatchFn(self.processes))
        )
