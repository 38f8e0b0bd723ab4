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
