"""The sink's side of the alerts: the events a batch touched -> create-only alert operations.

Every event a batch touched is evaluated, not only the ones it changed: an article redelivered
after a crash merges as a no-op (its event was written before the crash, its alerts perhaps
not), and only the event's current state can still produce the missing alert. Events the merge
left unchanged are read back with a realtime multi-get; creates of alerts that exist already
answer 409, which the bulk writer counts as success.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from elasticsearch import Elasticsearch

from pipelines.alerts.documents import alert_documents, create_operations, event_id_of
from pipelines.alerts.rules import DEFAULT_RULE_TABLES, Rule, load_rules
from pipelines.retry import call_until_available

log = logging.getLogger(__name__)


def rules_from_option(rules_json: str | None) -> list[Rule]:
    """The rules passed to the pipeline as JSON (validated by the CLI before it started)."""
    tables = DEFAULT_RULE_TABLES if rules_json is None else json.loads(rules_json)
    return load_rules(tables, "pipeline option --alert_rules")


class AlertLedger:
    def __init__(self, es: Elasticsearch, events_index: str, alerts_index: str,
                 rules: list[Rule]) -> None:
        self.es = es
        self.events_index = events_index
        self.alerts_index = alerts_index
        self.rules = rules

    def operations(
        self,
        transitions: list[tuple[dict | None, dict]],
        event_ids: Mapping[str, str | None],
    ) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        if not self.rules:
            return []
        events = {event_id_of(new): new for _, new in transitions}
        unchanged = sorted({e for e in event_ids.values() if e} - events.keys())
        if unchanged:
            response = call_until_available(
                lambda: self.es.mget(index=self.events_index, ids=unchanged, realtime=True),
                "events for alert rules",
            )
            for doc in response["docs"]:
                if doc.get("found"):
                    events[doc["_id"]] = doc["_source"]
                else:
                    log.warning("alerts: event %s not found for re-evaluation", doc["_id"])
        return create_operations(alert_documents(self.rules, events.values()), self.alerts_index)
