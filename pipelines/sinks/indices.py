"""Index names and the index templates from schemas/templates, installed before writing.

Text fields use the `standard` analyzer by default because the local integ-test distribution has
no language analyzers; on a full Elasticsearch, `text_analyzer = "english"` upgrades them.
"""

from __future__ import annotations

import json
from importlib import resources

from elasticsearch import BadRequestError, Elasticsearch

KINDS = ("articles", "events", "actors", "alerts")


def index_name(prefix: str, kind: str) -> str:
    return f"{prefix}-{kind}"


def render_template(kind: str, prefix: str, text_analyzer: str = "standard") -> dict:
    raw = resources.files("schemas").joinpath("templates", f"{kind}.json").read_text("utf-8")
    return json.loads(raw.replace("{prefix}", prefix).replace("{text_analyzer}", text_analyzer))


def ensure_indices(es: Elasticsearch, prefix: str, text_analyzer: str = "standard") -> None:
    """Put every template and create every index (idempotent, and safe to run concurrently:
    the stages that read and write an index set it up in their own `setup`, on threads of one
    worker or on several workers)."""
    for kind in KINDS:
        template = render_template(kind, prefix, text_analyzer)
        es.indices.put_index_template(name=index_name(prefix, kind), **template)
        name = index_name(prefix, kind)
        if not es.indices.exists(index=name):
            try:
                es.indices.create(index=name)
            except BadRequestError as exc:
                if exc.error != "resource_already_exists_exception":
                    raise
