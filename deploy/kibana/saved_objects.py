"""Builds deploy/kibana/saved_objects.ndjson: data views, saved searches, Lens charts, a map and
the dashboard over the talkwatch indices (Kibana 8.x/9.x saved-object formats).

The NDJSON is the artifact analysts import (`talkwatch kibana import --url URL`); this module is
how it is written, so a change is made here and the file regenerated:

    .venv/bin/python -m deploy.kibana.saved_objects > deploy/kibana/saved_objects.ndjson

Ids are fixed, so importing again with overwrite=true updates the same objects.
"""

from __future__ import annotations

import json
import sys
from typing import Any

PREFIX = "talkwatch"
CORE_VERSION = "8.8.0"
TIME_FIELDS = {"articles": "published_at", "events": "first_seen", "actors": "last_seen",
               "alerts": "created_at"}  # fmt: skip


def data_view_id(kind: str) -> str:
    return f"{PREFIX}-{kind}"


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def data_view(kind: str) -> dict[str, Any]:
    return {
        "id": data_view_id(kind), "type": "index-pattern",
        "coreMigrationVersion": CORE_VERSION, "typeMigrationVersion": "8.0.0",
        "attributes": {"title": f"{PREFIX}-{kind}", "name": f"talkwatch {kind}",
                       "timeFieldName": TIME_FIELDS[kind], "fields": "[]",
                       "fieldAttrs": "{}", "runtimeFieldMap": "{}", "sourceFilters": "[]",
                       "allowHidden": False},
        "references": [],
    }  # fmt: skip


def saved_search(
    object_id: str, title: str, kind: str, query: str, columns: list[str],
    sort: list[list[str]], description: str,
) -> dict[str, Any]:
    source = {"query": {"query": query, "language": "kuery"}, "filter": [],
              "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index"}  # fmt: skip
    return {
        "id": object_id, "type": "search",
        "coreMigrationVersion": CORE_VERSION, "typeMigrationVersion": "8.0.0",
        "attributes": {"title": title, "description": description, "columns": columns,
                       "sort": sort, "grid": {}, "hideChart": False, "isTextBasedQuery": False,
                       "kibanaSavedObjectMeta": {"searchSourceJSON": _json(source)}},
        "references": [{"id": data_view_id(kind), "type": "index-pattern",
                        "name": "kibanaSavedObjectMeta.searchSourceJSON.index"}],
    }  # fmt: skip


# --- Lens columns ---------------------------------------------------------------------------

def terms(field: str, order_by: str, size: int = 10, label: str | None = None) -> dict:
    return {"label": label or f"Top values of {field}", "dataType": "string",
            "operationType": "terms", "sourceField": field, "isBucketed": True,
            "scale": "ordinal", "customLabel": label is not None,
            "params": {"size": size, "orderBy": {"type": "column", "columnId": order_by},
                       "orderDirection": "desc", "otherBucket": True, "missingBucket": False,
                       "parentFormat": {"id": "terms"}}}  # fmt: skip


def date_histogram(field: str, label: str) -> dict:
    return {"label": label, "customLabel": True, "dataType": "date",
            "operationType": "date_histogram", "sourceField": field, "isBucketed": True,
            "scale": "interval",
            "params": {"interval": "M", "includeEmptyRows": True, "dropPartials": False}}


def count(label: str = "Count of records") -> dict:
    return {"label": label, "customLabel": True, "dataType": "number", "operationType": "count",
            "sourceField": "___records___", "isBucketed": False, "scale": "ratio",
            "params": {"emptyAsNull": True}}  # fmt: skip


def unique_count(field: str, label: str) -> dict:
    return {"label": label, "customLabel": True, "dataType": "number",
            "operationType": "unique_count", "sourceField": field, "isBucketed": False,
            "scale": "ratio", "params": {"emptyAsNull": True}}


def lens(
    object_id: str, title: str, kind: str, visualization_type: str, columns: dict[str, dict],
    visualization: dict, query: str = "", description: str = "",
) -> dict[str, Any]:
    layer = "layer1"
    state = {
        "datasourceStates": {"formBased": {"layers": {layer: {
            "columns": columns, "columnOrder": list(columns), "incompleteColumns": {}}}}},
        "visualization": {**visualization, "layerId": layer} if "layers" not in visualization
        else {**visualization, "layers": [{**visualization["layers"][0], "layerId": layer}]},
        "query": {"query": query, "language": "kuery"}, "filters": [],
        "internalReferences": [], "adHocDataViews": {},
    }  # fmt: skip
    return {
        "id": object_id, "type": "lens",
        "coreMigrationVersion": CORE_VERSION, "typeMigrationVersion": "8.9.0",
        "attributes": {"title": title, "description": description,
                       "visualizationType": visualization_type, "state": state},
        "references": [{"id": data_view_id(kind), "type": "index-pattern",
                        "name": f"indexpattern-datasource-layer-{layer}"}],
    }  # fmt: skip


def xy(series_type: str, x: str, y: str, split: str | None = None) -> dict:
    layer = {"layerType": "data", "seriesType": series_type, "xAccessor": x, "accessors": [y]}
    if split:
        layer["splitAccessor"] = split
    return {"legend": {"isVisible": True, "position": "right"}, "valueLabels": "hide",
            "preferredSeriesType": series_type, "layers": [layer]}


def venues_map() -> dict[str, Any]:
    layers = [
        {"id": "basemap", "type": "EMS_VECTOR_TILE", "label": None, "visible": True, "alpha": 1,
         "minZoom": 0, "maxZoom": 24,
         "sourceDescriptor": {"type": "EMS_TMS", "isAutoSelect": True,
                              "lightModeDefault": "road_map_desaturated"},
         "style": {"type": "EMS_VECTOR_TILE", "color": ""}},
        {"id": "venues", "type": "GEOJSON_VECTOR", "label": "Venues of talk rounds",
         "visible": True, "alpha": 0.9, "minZoom": 0, "maxZoom": 24,
         "sourceDescriptor": {
             "type": "ES_SEARCH", "id": "venues-source", "geoField": "venue.location",
             "scalingType": "LIMIT", "applyGlobalQuery": True, "applyGlobalTime": True,
             "tooltipProperties": ["location", "series", "round", "start_date", "status"],
             "sortField": "start_date", "sortOrder": "desc",
             "indexPatternRefName": "layer_1_source_index_pattern"},
         "style": {"type": "VECTOR", "isTimeAware": True, "properties": {
             "fillColor": {"type": "STATIC", "options": {"color": "#D36086"}},
             "iconSize": {"type": "STATIC", "options": {"size": 8}}}}},
    ]  # fmt: skip
    map_state = {"zoom": 3.2, "center": {"lon": 42.0, "lat": 42.0},
                 "timeFilters": {"from": "now-15y", "to": "now"},
                 "refreshConfig": {"isPaused": True, "interval": 0},
                 "query": {"query": "", "language": "kuery"}, "filters": [], "settings": {}}
    return {
        "id": "talkwatch-map-venues", "type": "map",
        "coreMigrationVersion": CORE_VERSION, "typeMigrationVersion": "8.4.0",
        "attributes": {"title": "Venues of talk rounds", "description": "Rounds on a map",
                       "mapStateJSON": _json(map_state), "layerListJSON": _json(layers),
                       "uiStateJSON": _json({"isLayerTOCOpen": True, "openTOCDetails": []})},
        "references": [{"id": data_view_id("events"), "type": "index-pattern",
                        "name": "layer_1_source_index_pattern"}],
    }  # fmt: skip


def dashboard(panels: list[tuple[dict[str, Any], dict[str, int]]]) -> dict[str, Any]:
    panel_json, references = [], []
    for number, (target, grid) in enumerate(panels, start=1):
        index = str(number)
        panel_json.append({"version": CORE_VERSION, "type": target["type"],
                           "gridData": {**grid, "i": index}, "panelIndex": index,
                           "embeddableConfig": {"enhancements": {}},
                           "panelRefName": f"panel_{index}"})  # fmt: skip
        references.append({"name": f"{index}:panel_{index}", "type": target["type"],
                           "id": target["id"]})
    return {
        "id": "talkwatch-dashboard-rounds", "type": "dashboard",
        "coreMigrationVersion": CORE_VERSION, "typeMigrationVersion": "8.7.0",
        "attributes": {
            "title": "talkwatch: rounds of Syria talks",
            "description": "Rounds on a timeline, who sat at the table, top actors, sources, "
                           "venues on a map",
            "panelsJSON": _json(panel_json),
            "optionsJSON": _json({"useMargins": True, "syncColors": False, "syncCursor": True,
                                  "syncTooltips": False, "hidePanelTitles": False}),
            "timeRestore": True, "timeFrom": "now-15y", "timeTo": "now",
            "refreshInterval": {"pause": True, "value": 60000},
            "kibanaSavedObjectMeta": {"searchSourceJSON": _json(
                {"query": {"query": "", "language": "kuery"}, "filter": []})},
        },
        "references": references,
    }  # fmt: skip


def saved_objects() -> list[dict[str, Any]]:
    views = [data_view(kind) for kind in ("articles", "events", "actors", "alerts")]
    new_rounds = saved_search(
        "talkwatch-search-new-rounds", "New talk rounds", "events",
        "is_syria_talks_round : true",
        ["series", "round", "location", "start_date", "status", "mention_count"],
        [["first_seen", "desc"]], "Rounds reported as opening, under way or concluded, newest "
        "first")
    searches = [
        new_rounds,
        saved_search("talkwatch-search-astana", "Astana process", "events", 'series : "astana"',
                     ["round", "location", "start_date", "end_date", "status", "actors"],
                     [["start_date", "desc"]], "Every round of the Astana format"),
        saved_search("talkwatch-search-by-venue", "Rounds by venue", "events", "venue.city : *",
                     ["location", "venue.country", "series", "round", "start_date"],
                     [["location", "asc"], ["start_date", "desc"]], "Rounds sorted by city"),
        saved_search("talkwatch-search-actor-mentions", "Actor mentions", "articles",
                     "actors : *", ["title", "actors", "source", "round.series"],
                     [["published_at", "desc"]], "Articles naming a known actor"),
    ]
    timeline = lens(
        "talkwatch-lens-rounds-timeline", "Rounds on a timeline", "events", "lnsXY",
        {"month": date_histogram("start_date", "Start date"),
         "series": terms("series", "rounds", 6, "Series"),
         "rounds": unique_count("event_id", "Rounds")},
        xy("bar_stacked", "month", "rounds", "series"))
    participants = lens(
        "talkwatch-lens-participants-by-round", "Participants by round", "events",
        "lnsDatatable",
        {"series": terms("series", "events", 6, "Series"),
         "round": terms("round", "events", 50, "Round"),
         "actor": terms("participants.actor", "events", 30, "Participant"),
         "events": count("Rounds")},
        {"layerType": "data", "columns": [{"columnId": c} for c in
                                          ("series", "round", "actor", "events")]},
        query="participants.actor : *")
    top_actors = lens(
        "talkwatch-lens-top-actors", "Top actors", "articles", "lnsXY",
        {"actor": terms("actors", "articles", 15, "Actor"), "articles": count("Articles")},
        xy("bar_horizontal", "actor", "articles"), query="relevant : true")
    sources = lens(
        "talkwatch-lens-sources", "Sources reporting rounds", "articles", "lnsPie",
        {"source": terms("source", "articles", 12, "Source"), "articles": count("Articles")},
        {"shape": "donut", "layers": [{"layerType": "data", "primaryGroups": ["source"],
                                       "metrics": ["articles"], "numberDisplay": "value",
                                       "categoryDisplay": "default",
                                       "legendDisplay": "default"}]},
        query="round.event_id : *")
    venues = venues_map()
    board = dashboard([
        (timeline, {"x": 0, "y": 0, "w": 32, "h": 14}),
        (top_actors, {"x": 32, "y": 0, "w": 16, "h": 14}),
        (venues, {"x": 0, "y": 14, "w": 24, "h": 16}),
        (participants, {"x": 24, "y": 14, "w": 24, "h": 16}),
        (sources, {"x": 0, "y": 30, "w": 16, "h": 14}),
        (new_rounds, {"x": 16, "y": 30, "w": 32, "h": 14}),
    ])
    return [*views, *searches, timeline, participants, top_actors, sources, venues, board]


def render_ndjson() -> str:
    return "".join(json.dumps(obj, ensure_ascii=False) + "\n" for obj in saved_objects())


if __name__ == "__main__":
    sys.stdout.write(render_ndjson())
