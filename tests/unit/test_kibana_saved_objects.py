"""deploy/kibana/saved_objects.ndjson: it parses, its references resolve, and every index and
field it uses exists in our index templates with a type that suits the use."""

from __future__ import annotations

import json
import re
from fnmatch import fnmatch
from pathlib import Path

import pytest

from deploy.kibana.saved_objects import render_ndjson
from pipelines.sinks.indices import KINDS, render_template

NDJSON = Path(__file__).resolve().parents[2] / "deploy" / "kibana" / "saved_objects.ndjson"
NUMERIC = {"integer", "long", "short", "byte", "float", "double", "scaled_float"}
# The field types each use needs (a terms split on a text field fails; a map needs geo_point).
SUITS = {
    "time field": {"date"},
    "date_histogram": {"date"},
    "terms": {"keyword", "boolean", "ip"} | NUMERIC,
    "unique_count": {"keyword", "date", "ip", "boolean"} | NUMERIC,
    "sort": {"keyword", "date", "boolean"} | NUMERIC,
    "geo": {"geo_point"},
    "column": {"keyword", "text", "date", "boolean", "geo_point", "ip"} | NUMERIC,
    "query": {"keyword", "text", "date", "boolean", "geo_point", "ip"} | NUMERIC,
}


def objects() -> list[dict]:
    return [json.loads(line) for line in NDJSON.read_text("utf-8").splitlines() if line.strip()]


def by_id() -> dict[tuple[str, str], dict]:
    return {(o["type"], o["id"]): o for o in objects()}


def template_for(title: str) -> dict:
    for kind in KINDS:
        template = render_template(kind, "talkwatch")
        if any(fnmatch(title, pattern) for pattern in template["index_patterns"]):
            return template["template"]["mappings"]
    raise AssertionError(f"no index template matches data view {title!r}")


def field_type(mappings: dict, path: str) -> str | None:
    node: dict = {"properties": mappings["properties"]}
    parts = path.split(".")
    for number, part in enumerate(parts):
        if part in node.get("properties", {}):
            node = node["properties"][part]
            if node.get("enabled") is False:
                return None  # stored, not indexed: nothing can search or aggregate it
        elif part in node.get("fields", {}) and number == len(parts) - 1:
            node = node["fields"][part]
        else:
            return None
    return node.get("type", "object" if "properties" in node else None)


def kql_fields(query: str) -> list[str]:
    return re.findall(r"([A-Za-z_][\w.]*)\s*:", query)


def reference(obj: dict, name: str) -> dict:
    (ref,) = [r for r in obj["references"] if r["name"] == name]
    return ref


def view_title(ref: dict) -> str:
    assert ref["type"] == "index-pattern"
    return by_id()[("index-pattern", ref["id"])]["attributes"]["title"]


def field_uses() -> list[tuple[str, str, str, str]]:
    """(object id, data view title, field, use) for every field the saved objects reference."""
    uses = []
    for obj in objects():
        attrs, oid = obj["attributes"], obj["id"]
        if obj["type"] == "index-pattern":
            uses.append((oid, attrs["title"], attrs["timeFieldName"], "time field"))
        elif obj["type"] == "search":
            source = json.loads(attrs["kibanaSavedObjectMeta"]["searchSourceJSON"])
            title = view_title(reference(obj, source["indexRefName"]))
            uses += [(oid, title, f, "query") for f in kql_fields(source["query"]["query"])]
            uses += [(oid, title, f, "column") for f in attrs["columns"]]
            uses += [(oid, title, f, "sort") for f, _ in attrs["sort"]]
        elif obj["type"] == "lens":
            state = attrs["state"]
            for layer_id, layer in state["datasourceStates"]["formBased"]["layers"].items():
                title = view_title(reference(obj, f"indexpattern-datasource-layer-{layer_id}"))
                for column in layer["columns"].values():
                    if column["sourceField"] != "___records___":
                        uses.append((oid, title, column["sourceField"], column["operationType"]))
                uses += [(oid, title, f, "query") for f in kql_fields(state["query"]["query"])]
        elif obj["type"] == "map":
            for layer in json.loads(attrs["layerListJSON"]):
                source = layer["sourceDescriptor"]
                if source["type"] != "ES_SEARCH":
                    continue
                title = view_title(reference(obj, source["indexPatternRefName"]))
                uses.append((oid, title, source["geoField"], "geo"))
                uses += [(oid, title, f, "column") for f in source["tooltipProperties"]]
                uses.append((oid, title, source["sortField"], "sort"))
    return uses


def test_the_ndjson_parses_into_saved_objects():
    for obj in objects():
        assert {"id", "type", "attributes", "references"} <= obj.keys()
        assert obj["attributes"]["title"]


def test_the_ndjson_is_what_the_generator_writes():
    assert NDJSON.read_text("utf-8") == render_ndjson()


def test_there_is_a_data_view_for_each_index():
    titles = {o["attributes"]["title"] for o in objects() if o["type"] == "index-pattern"}
    assert titles == {f"talkwatch-{kind}" for kind in KINDS}


def test_the_analyst_searches_and_the_dashboard_are_there():
    titles = {o["attributes"]["title"] for o in objects()}
    assert {"New talk rounds", "Astana process", "Rounds by venue", "Actor mentions"} <= titles
    assert [o["type"] for o in objects()].count("dashboard") == 1


def test_every_reference_resolves_to_an_object_in_the_file():
    known = by_id()
    for obj in objects():
        for ref in obj["references"]:
            assert (ref["type"], ref["id"]) in known, f"{obj['id']}: dangling {ref}"


def test_dashboard_panels_each_have_their_reference():
    for board in (o for o in objects() if o["type"] == "dashboard"):
        names = {r["name"] for r in board["references"]}
        panels = json.loads(board["attributes"]["panelsJSON"])
        kinds = {p["type"] for p in panels}
        assert {"lens", "map", "search"} <= kinds
        for panel in panels:
            assert f"{panel['panelIndex']}:{panel['panelRefName']}" in names


@pytest.mark.parametrize(("object_id", "title", "field", "use"), field_uses())
def test_each_field_exists_in_the_index_template_with_a_suitable_type(object_id, title, field,
                                                                       use):
    found = field_type(template_for(title), field)
    assert found in SUITS[use], f"{object_id}: {title} field {field!r} is {found} for {use}"


def test_the_field_check_catches_unsuitable_fields():
    events = template_for("talkwatch-events")
    assert field_type(events, "venue.location") == "geo_point"
    assert field_type(events, "sources.title") not in SUITS["terms"]  # text
    assert field_type(events, "evidence.round") is None  # disabled object
    assert field_type(template_for("talkwatch-articles"), "title.keyword") == "keyword"
