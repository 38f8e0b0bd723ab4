"""Stage 2: link syndicated copies and updated versions of a story to a canonical article.

The canonical article is the first one indexed. Candidates come from the fingerprints this
worker has seen recently and from the articles index (band keys), so the link holds across
workers and restarts. A re-delivered article (same id) is never its own duplicate.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace

import apache_beam as beam
from apache_beam.metrics import Metrics
from elasticsearch import Elasticsearch

from pipelines.records import ArticleInFlight
from pipelines.retry import call_until_available
from pipelines.similarity import bands, is_near_duplicate, simhash
from pipelines.sinks.indices import ensure_indices, index_name

RECENT_FINGERPRINTS = 50_000


def fingerprint_text(article: dict) -> str:
    return f"{article.get('title', '')}\n{article.get('text') or article.get('summary', '')}"


class RecentFingerprints:
    """A bounded, insertion-ordered index of fingerprints by band (oldest evicted first)."""

    def __init__(self, capacity: int = RECENT_FINGERPRINTS) -> None:
        self.capacity = capacity
        self._by_id: OrderedDict[str, int] = OrderedDict()
        self._by_band: dict[str, set[str]] = {}

    def add(self, article_id: str, fingerprint: int) -> None:
        if article_id in self._by_id:
            return
        self._by_id[article_id] = fingerprint
        for band in bands(fingerprint):
            self._by_band.setdefault(band, set()).add(article_id)
        while len(self._by_id) > self.capacity:
            old_id, old_print = self._by_id.popitem(last=False)
            for band in bands(old_print):
                self._by_band.get(band, set()).discard(old_id)

    def find(self, article_id: str, fingerprint: int) -> str | None:
        for band in bands(fingerprint):
            for other in self._by_band.get(band, ()):
                if other != article_id and is_near_duplicate(fingerprint, self._by_id[other]):
                    return other
        return None


class LinkNearDuplicatesFn(beam.DoFn):
    def __init__(self, es_url: str, index_prefix: str) -> None:
        self.es_url = es_url
        self.prefix = index_prefix
        self.index = index_name(index_prefix, "articles")
        self.duplicates = Metrics.counter("dedup", "near_duplicates")

    def setup(self) -> None:
        self.es = Elasticsearch(self.es_url, request_timeout=30)
        # The sink creates the indices too; here they must exist before the first lookup.
        call_until_available(lambda: ensure_indices(self.es, self.prefix), "index templates")
        self.recent = RecentFingerprints()

    def _indexed_duplicate(self, article_id: str, fingerprint: int) -> str | None:
        response = call_until_available(
            lambda: self._search_bands(article_id, fingerprint), "near-duplicate lookup"
        )
        for hit in response["hits"]["hits"]:
            other = int(hit["_source"]["simhash"], 16)
            if is_near_duplicate(fingerprint, other):
                return hit["_id"]
        return None

    def _search_bands(self, article_id: str, fingerprint: int):
        return self.es.search(
            index=self.index,
            query={"bool": {"filter": [{"terms": {"simhash_bands": bands(fingerprint)}}],
                            "must_not": [{"ids": {"values": [article_id]}},
                                         {"exists": {"field": "duplicate_of"}}]}},
            source=["simhash"],
            size=50,
            sort=[{"indexed_at": {"order": "asc", "unmapped_type": "date"}}],
        )

    def process(self, item: ArticleInFlight):
        article_id = item.article["id"]
        fingerprint = simhash(fingerprint_text(item.article))
        if fingerprint is None:
            yield item
            return
        canonical = self.recent.find(article_id, fingerprint) or self._indexed_duplicate(
            article_id, fingerprint
        )
        if canonical is None:
            self.recent.add(article_id, fingerprint)
        else:
            self.duplicates.inc()
        yield replace(item, simhash=fingerprint, duplicate_of=canonical)

    def teardown(self) -> None:
        self.es.close()


class LinkNearDuplicates(beam.PTransform):
    def __init__(self, es_url: str, index_prefix: str) -> None:
        super().__init__()
        self.es_url = es_url
        self.index_prefix = index_prefix

    def expand(self, articles):
        return articles | "SimHash" >> beam.ParDo(
            LinkNearDuplicatesFn(self.es_url, self.index_prefix)
        )
