"""Index setup against a real Elasticsearch: stages set up the indices concurrently."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from elasticsearch import Elasticsearch

from pipelines.sinks.indices import KINDS, ensure_indices, index_name


def test_stages_setting_up_the_indices_at_once_all_succeed(es_url: str) -> None:
    # The dedup stage and the sink each call ensure_indices in `setup`; in one fused stage
    # they run on the same worker at the same moment, and one used to die on
    # resource_already_exists_exception.
    prefix = f"setup-{uuid.uuid4().hex[:8]}"
    es = Elasticsearch(es_url)
    try:
        with ThreadPoolExecutor(6) as pool:
            results = list(pool.map(lambda _: ensure_indices(es, prefix), range(6)))
        assert results == [None] * 6
        for kind in KINDS:
            mapping = es.indices.get_mapping(index=index_name(prefix, kind))
            assert mapping[index_name(prefix, kind)]["mappings"]["dynamic"] == "false"
    finally:
        for kind in KINDS:
            es.options(ignore_status=404).indices.delete(index=index_name(prefix, kind))
            es.options(ignore_status=404).indices.delete_index_template(
                name=index_name(prefix, kind)
            )
        es.close()


def test_near_duplicate_candidates_are_read_page_by_page_oldest_first(es_url: str) -> None:
    from pipelines.similarity import bands, to_hex
    from pipelines.stages.dedup import LinkNearDuplicatesFn

    prefix = f"dedup-{uuid.uuid4().hex[:8]}"
    base = 0x0123_4567_89AB_CDEF
    # Five indexed articles share a band with `base`; only the 4th and 5th oldest are within
    # three bits of it, so with pages of two the answer is on the second page.
    prints = [base ^ 0xFFFF, base ^ 0xFFF0, base ^ 0xFF00, base ^ 0b111, base ^ 0b1]
    es = Elasticsearch(es_url)
    lookup = LinkNearDuplicatesFn(es_url, prefix, page_size=2)
    try:
        ensure_indices(es, prefix)
        for n, fingerprint in enumerate(prints):
            es.index(index=index_name(prefix, "articles"), id=f"a{n}", document={
                "id": f"a{n}", "simhash": to_hex(fingerprint), "simhash_bands": bands(fingerprint),
                "indexed_at": f"2026-01-0{n + 1}T00:00:00Z",
            })  # fmt: skip
        es.indices.refresh(index=index_name(prefix, "articles"))
        lookup.setup()
        unrelated = base ^ (2**64 - 1)
        found = lookup._indexed_duplicates([("new", base), ("a4", prints[4]), ("x", unrelated)])
        assert found == ["a3", "a3", None]
    finally:
        lookup.teardown()
        for kind in KINDS:
            es.options(ignore_status=404).indices.delete(index=index_name(prefix, kind))
            es.options(ignore_status=404).indices.delete_index_template(
                name=index_name(prefix, kind)
            )
        es.close()
