"""Alert rules: which events produce which transitions, and config errors at load time."""

from __future__ import annotations

import pytest

from pipelines.alerts.documents import alert_documents, alert_id, create_operations
from pipelines.alerts.rules import load_rules
from talkwatch.config import ConfigError


def event(**fields):
    base = {
        "event_id": "evt-00000000000000000001", "series": "astana", "round": 2,
        "status": "opening", "status_history": [{"status": "opening", "at": "2017-02-15"}],
        "is_syria_talks_round": True, "location": "Astana", "start_date": "2017-02-15",
        "participants": [], "actors": [], "outcomes": [], "sources": [],
    }  # fmt: skip
    base.update(fields)
    return base


def transitions(tables, ev):
    return [(m.rule, m.transition) for r in load_rules(tables, "t.toml") for m in r.matches(ev)]


NEW = [{"name": "new", "type": "new_round"}]
STATUS = [{"name": "status", "type": "status_change"}]


def test_a_round_reported_as_held_is_a_new_round():
    assert transitions(NEW, event()) == [("new", "new")]


def test_an_announcement_is_announced_not_new():
    ev = event(is_syria_talks_round=False, status="announced",
               status_history=[{"status": "announced"}])
    assert transitions(NEW, ev) == [("new", "announced")]


def test_announcements_can_be_switched_off():
    ev = event(is_syria_talks_round=False, status="scheduled")
    assert transitions([{**NEW[0], "announcements": False}], ev) == []


def test_postponement_of_a_known_round_is_a_status_change():
    ev = event(is_syria_talks_round=False, status="postponed",
               status_history=[{"status": "announced"}, {"status": "postponed"}])
    assert transitions(STATUS, ev) == [("status", "status:postponed")]


def test_first_report_already_postponed_is_no_status_change():
    ev = event(is_syria_talks_round=False, status="postponed",
               status_history=[{"status": "postponed"}, {"status": "postponed"}])
    assert transitions(STATUS, ev) == []


def test_concluded_alerts_only_once_an_outcome_is_reported():
    history = [{"status": "opening"}, {"status": "concluded"}]
    assert transitions(STATUS, event(status="concluded", status_history=history)) == []
    ev = event(status="concluded", status_history=history, outcomes=["joint statement"])
    assert transitions(STATUS, ev) == [("status", "status:concluded")]


def test_watched_actor_in_participants_or_actors():
    rule = [{"name": "w", "type": "watched_actor", "actors": ["Iran", "Qatar"]}]
    ev = event(participants=[{"actor": "Iran", "role": "guarantor/sponsor"}])
    assert transitions(rule, ev) == [("w", "actor:Iran")]


def test_series_filter_limits_a_rule():
    assert transitions([{**NEW[0], "series": ["geneva"]}], event()) == []


def test_alert_id_depends_on_rule_event_and_transition_only():
    first = alert_documents(load_rules(NEW, "t"), [event(mention_count=1)])
    again = alert_documents(load_rules(NEW, "t"), [event(mention_count=7, status="under way")])
    assert first[0]["id"] == again[0]["id"] == alert_id("new", "evt-00000000000000000001", "new")
    assert alert_id("new", "evt-1", "new") != alert_id("new", "evt-1", "announced")


def test_alert_documents_are_created_pending_and_create_only():
    docs = alert_documents(load_rules(NEW + STATUS, "t"), [event()])
    assert [d["delivery"]["state"] for d in docs] == ["pending"]
    assert docs[0]["subject"] == "[talkwatch] New round: Astana 2 — Astana, 15 Feb 2017"
    (action, doc), = create_operations(docs, "tw-alerts")
    assert action == {"create": {"_index": "tw-alerts", "_id": doc["id"]}}


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        ([{"type": "new_round"}], "t.toml: [[alerts.rules]] #1: key 'name' is required"),
        ([{"name": "x", "type": "nope"}], "type 'nope' unknown"),
        ([{"name": "x", "type": "watched_actor"}], "key 'actors' is required"),
        ([{"name": "x", "type": "new_round", "colour": 1}], "unknown key 'colour'"),
        ([{"name": "x", "type": "status_change", "statuses": ["lost"]}], "unknown status"),
        ([{"name": "x", "type": "new_round", "series": ["kyiv"]}], "unknown series 'kyiv'"),
        ([{"name": "x", "type": "new_round", "announcements": "yes"}], "must be bool"),
        (NEW + NEW, "rule name 'new' is used twice"),
    ],
)
def test_bad_rules_fail_at_load_with_file_and_key(tables, message):
    with pytest.raises(ConfigError, match="t.toml") as raised:
        load_rules(tables, "t.toml")
    assert message in str(raised.value)
