"""Stage 2: link syndicated copies and updated versions of a story to a canonical article.

The canonical article is the first one indexed. Candidates come from the fingerprints this
worker has seen recently and from the articles index (band keys), so the link holds across
workers and restarts. A re-delivered article (same id) is never its own duplicate.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import replace

import apache_beam as beam
from apache_beam.metrics import Metrics
from elasticsearch import Elasticsearch

from pipelines.records import ArticleInFlight
from pipelines.retry import backoff_delays, call_until_available
from pipelines.similarity import bands, earliest_near_duplicates, is_near_duplicate, simhash
from pipelines.sinks.indices import ensure_indices, index_name
from pipelines.stages.line import ArticleBatchStageFn

log = logging.getLogger(__name__)

RECENT_FINGERPRINTS = 50_000
CANDIDATES_PAGE = 1000


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


class LinkNearDuplicatesFn(ArticleBatchStageFn):
    """Over a batch of articles: one search for the indexed candidates of all of them, then the
    articles in order, so a copy later in the batch links to an original earlier in it."""

    def __init__(
        self, es_url: str, index_prefix: str, page_size: int = CANDIDATES_PAGE
    ) -> None:
        self.es_url = es_url
        self.prefix = index_prefix
        self.page_size = page_size
        self.index = index_name(index_prefix, "articles")
        self.duplicates = Metrics.counter("dedup", "near_duplicates")

    def setup(self) -> None:
        self.es = Elasticsearch(self.es_url, request_timeout=30)
        # The sink creates the indices too; here they must exist before the first lookup.
        call_until_available(lambda: ensure_indices(self.es, self.prefix), "index templates")
        self.recent = RecentFingerprints()

    def process_articles(self, batch: list[ArticleInFlight]):
        fingerprints = [simhash(fingerprint_text(item.article)) for item in batch]
        lookups = [
            (item.article["id"], fingerprint)
            for item, fingerprint in zip(batch, fingerprints, strict=True)
            if fingerprint is not None
        ]
        indexed = dict(zip(lookups, self._indexed_duplicates(lookups), strict=True))
        for item, fingerprint in zip(batch, fingerprints, strict=True):
            if fingerprint is None:
                yield item
                continue
            article_id = item.article["id"]
            canonical = (
                self.recent.find(article_id, fingerprint) or indexed[(article_id, fingerprint)]
            )
            if canonical is None:
                self.recent.add(article_id, fingerprint)
            else:
                self.duplicates.inc()
            yield replace(item, simhash=fingerprint, duplicate_of=canonical)

    def _indexed_duplicates(self, lookups: list[tuple[str, int]]) -> list[str | None]:
        """For each (article id, fingerprint): the first-indexed canonical article within the
        distance, or None."""
        if not lookups:
            return []
        band_keys = sorted({band for _, fingerprint in lookups for band in bands(fingerprint)})
        return earliest_near_duplicates(lookups, self._candidates(band_keys))

    def _candidates(self, band_keys: list[str]) -> list[tuple[str, int]]:
        """Every indexed canonical article sharing a band with the batch, oldest first: one
        search for the whole batch, paged. (One search per article, even in a multi-search,
        cost Elasticsearch ~1.5 ms of CPU an article.)"""
        candidates: list[tuple[str, int]] = []
        after: list | None = None
        while True:
            hits = self._search(candidates_query(band_keys, self.page_size, after))
            candidates += [(hit["_id"], int(hit["_source"]["simhash"], 16)) for hit in hits]
            if len(hits) < self.page_size:
                return candidates
            after = hits[-1]["sort"]

    def _search(self, body: dict) -> list[dict]:
        for delay in backoff_delays():
            response = call_until_available(
                lambda: self.es.search(index=self.index, body=body), "near-duplicate lookup"
            )
            if not response["_shards"].get("failed"):
                return response["hits"]["hits"]
            log.warning("near-duplicate lookup: %s; retry in %.1fs",
                        response["_shards"].get("failures"), delay)  # fmt: skip
            time.sleep(delay)
        raise AssertionError("unreachable")

    def teardown(self) -> None:
        self.es.close()


def candidates_query(band_keys: list[str], size: int, after: list | None = None) -> dict:
    """Indexed canonical articles sharing any of the bands, oldest first, a page at a time."""
    body = {
        "query": {"bool": {"filter": [{"terms": {"simhash_bands": band_keys}}],
                           "must_not": [{"exists": {"field": "duplicate_of"}}]}},
        "_source": ["simhash"],
        "size": size,
        "sort": [{"indexed_at": {"order": "asc", "unmapped_type": "date"}},
                 {"id": {"order": "asc", "unmapped_type": "keyword"}}],
    }  # fmt: skip
    if after is not None:
        body["search_after"] = after
    return body


class LinkNearDuplicates(beam.PTransform):
    def __init__(self, es_url: str, index_prefix: str, max_batch_size: int = 200) -> None:
        super().__init__()
        self.es_url = es_url
        self.index_prefix = index_prefix
        self.max_batch_size = max_batch_size

    def expand(self, articles):
        return (
            articles
            # Batches never wait across bundles: a lone article is looked up at once.
            | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=self.max_batch_size)
            | "SimHash" >> beam.ParDo(LinkNearDuplicatesFn(self.es_url, self.index_prefix))
        )
