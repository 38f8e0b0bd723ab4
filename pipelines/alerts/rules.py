"""Alert rules: which talk-round events deserve an email, as data in the config.

Each rule is a small class with a declared set of required and optional options, checked when
the config is loaded (errors name the file and the key). A rule looks at one event document and
returns the *transitions* it has reached: "new" (reported as opening, under way or concluded),
"announced" (named before it happened), "status:postponed", "actor:Iran" ...

Rules are evaluated on the event's state, not on the difference between two versions of it. The
sink writes the event before the bulk request that carries the alerts; if a worker dies in
between, the redelivered articles merge into the event as no-ops, so a rule that compared
old and new would never fire again. Evaluating the state, with an alert id derived from
(rule, event, transition) and create-only writes, fires once whatever the batch boundaries,
replays or workers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from talkwatch.config import ConfigError

SERIES = ("astana", "geneva", "sochi", "constitutional_committee", "other")
STATUSES = ("announced", "scheduled", "opening", "under way", "concluded", "postponed",
            "cancelled")  # fmt: skip
# What the event is, before it happens; `new_round` calls these "announced".
NOT_YET_HELD = {"announced", "scheduled", "postponed", "cancelled", None}

DEFAULT_RULE_TABLES: list[dict[str, Any]] = [
    {"name": "new-round", "type": "new_round"},
    {"name": "status-change", "type": "status_change"},
]


@dataclass(frozen=True)
class Match:
    """One transition a rule found in an event."""

    rule: str
    rule_type: str
    transition: str
    headline: str  # "New round", "Round postponed", "Watched actor: Iran"


class Rule:
    type_name: ClassVar[str]
    required_options: ClassVar[frozenset[str]] = frozenset()
    optional_options: ClassVar[dict[str, type | tuple[type, ...]]] = {}
    common_options: ClassVar[dict[str, type | tuple[type, ...]]] = {
        "name": str, "type": str, "series": list, "enabled": bool,
    }  # fmt: skip

    def __init__(self, options: Mapping[str, Any], where: str) -> None:
        self.where = where
        self.options = dict(options)
        self.name: str = options["name"]
        self.series: tuple[str, ...] = tuple(options.get("series", ()))
        self.enabled: bool = options.get("enabled", True)
        self.configure(where)

    def configure(self, where: str) -> None:
        """Read the rule's own options (already type-checked)."""

    def applies_to(self, event: Mapping[str, Any]) -> bool:
        return not self.series or event.get("series") in self.series

    def matches(self, event: Mapping[str, Any]) -> list[Match]:
        if not self.enabled or not self.applies_to(event):
            return []
        return [Match(self.name, self.type_name, t, h) for t, h in self.transitions(event)]

    def transitions(self, event: Mapping[str, Any]) -> list[tuple[str, str]]:
        raise NotImplementedError


class NewRoundRule(Rule):
    """A round seen for the first time: "new" once reported as held, "announced" before that.

    An announcement and the round itself are two facts an analyst wants to hear about: the
    announcement weeks ahead (subject "Round announced"), the opening when it happens ("New
    round"). An event first seen already under way gets only "New round".
    """

    type_name = "new_round"
    optional_options = {"announcements": bool}

    def configure(self, where: str) -> None:
        self.announcements = self.options.get("announcements", True)

    def transitions(self, event):
        if event.get("is_syria_talks_round"):
            return [("new", "New round")]
        if self.announcements and event.get("status") in NOT_YET_HELD:
            return [("announced", "Round announced")]
        return []


class StatusChangeRule(Rule):
    """A known round changed status: postponed, cancelled, concluded (with an outcome).

    "Changed" is read from the event's status history: the current status must differ from an
    earlier report, so an event first seen already concluded is only a "New round".
    """

    type_name = "status_change"
    optional_options = {"statuses": list, "concluded_requires_outcome": bool}
    headlines = {"postponed": "Round postponed", "cancelled": "Round cancelled",
                 "concluded": "Round concluded", "opening": "Round opening",
                 "under way": "Round under way", "scheduled": "Round scheduled",
                 "announced": "Round announced"}  # fmt: skip

    def configure(self, where: str) -> None:
        self.statuses = tuple(self.options.get("statuses", ("postponed", "cancelled", "concluded")))
        for status in self.statuses:
            if status not in STATUSES:
                raise ConfigError(f"{where}: statuses: unknown status {status!r}; "
                                  f"one of {', '.join(STATUSES)}")
        self.concluded_requires_outcome = self.options.get("concluded_requires_outcome", True)

    def transitions(self, event):
        status = event.get("status")
        if status not in self.statuses:
            return []
        earlier = {h.get("status") for h in event.get("status_history") or []}
        if not earlier - {status}:
            return []  # no earlier, different status: nothing changed
        if status == "concluded" and self.concluded_requires_outcome and not event.get("outcomes"):
            return []  # fires once an outcome is reported
        return [(f"status:{status}", self.headlines.get(status, f"Round {status}"))]


class WatchedActorRule(Rule):
    """A watched actor (canonical name from the actor registry) appears in a round."""

    type_name = "watched_actor"
    required_options = frozenset({"actors"})
    optional_options = {"actors": list}

    def configure(self, where: str) -> None:
        self.actors = tuple(self.options["actors"])
        if not self.actors or not all(isinstance(a, str) and a.strip() for a in self.actors):
            raise ConfigError(f"{where}: actors must be a non-empty list of names")

    def transitions(self, event):
        present = set(event.get("actors") or [])
        present |= {p.get("actor") for p in event.get("participants") or []}
        return [(f"actor:{a}", f"Watched actor: {a}") for a in self.actors if a in present]


RULE_TYPES: dict[str, type[Rule]] = {
    cls.type_name: cls for cls in (NewRoundRule, StatusChangeRule, WatchedActorRule)
}


def load_rules(tables: list[Any], source: str, key: str = "[[alerts.rules]]") -> list[Rule]:
    """Build the rules from their config tables; ConfigError names `source` and the key."""
    if not isinstance(tables, list):
        raise ConfigError(f"{source}: {key} must be a list of tables")
    rules: list[Rule] = []
    for number, table in enumerate(tables, start=1):
        where = f"{source}: {key} #{number}"
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: must be a table")
        rules.append(_build(table, where))
    names = [r.name for r in rules]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(f"{source}: {key}: rule name {name!r} is used twice; "
                              "alert ids derive from it, so names must be unique")
    return rules


def _build(table: dict[str, Any], where: str) -> Rule:
    for required in ("name", "type"):
        if required not in table:
            raise ConfigError(f"{where}: key {required!r} is required")
    if not isinstance(table["name"], str) or not table["name"].strip():
        raise ConfigError(f"{where}: name must be a non-empty string")
    where = f"{where} ({table['name']!r})"
    cls = RULE_TYPES.get(table["type"])
    if cls is None:
        raise ConfigError(f"{where}: type {table['type']!r} unknown; one of "
                          f"{', '.join(sorted(RULE_TYPES))}")
    allowed = {**Rule.common_options, **cls.optional_options}
    for missing in sorted(cls.required_options - table.keys()):
        raise ConfigError(f"{where}: key {missing!r} is required for type {cls.type_name}")
    for option, value in table.items():
        if option not in allowed:
            raise ConfigError(f"{where}: unknown key {option!r} for type {cls.type_name}; "
                              f"allowed: {', '.join(sorted(allowed))}")
        kind = allowed[option]
        if not isinstance(value, kind):
            kinds = kind if isinstance(kind, tuple) else (kind,)
            raise ConfigError(f"{where}: {option} must be "
                              f"{' or '.join(k.__name__ for k in kinds)}, got {value!r}")
    for series in table.get("series", []):
        if series not in SERIES:
            raise ConfigError(f"{where}: series: unknown series {series!r}; "
                              f"one of {', '.join(SERIES)}")
    return cls(table, where)
