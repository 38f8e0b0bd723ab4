"""Venue cities: gazetteer (`schemas/venues.json`), venue phrases in a sentence, datelines.

A city is this round's venue when a sentence about the round places it there ("in Geneva",
"the capital of Kazakhstan, Nur-Sultan", "Nur-Sultan will host"). "Astana" in "Astana format" or
"Astana process" names the series, not the place, and is skipped. The capital named only as
"the Kazakh capital" is resolved to its name on the round's date (Astana, Nur-Sultan, Astana).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from pipelines.extraction.data import load_schema_data
from pipelines.extraction.prefilter import word_alternation

SERIES_NAME_AFTER = re.compile(
    r"^[- ](?:process|format|talks|peace|meeting|meetings|guarantors?|platform|track|round|"
    r"\d{1,2}\b|I{1,3}\b|IV\b|VI{0,3}\b|IX\b)",
    re.IGNORECASE,
)
# Another event named after the city ("the Astana International Forum"): not a round's venue.
OTHER_EVENT_NAME_AFTER = re.compile(
    r"^[- ](?:International|Economic|Financial|Club|Forum|Expo|Opera|Arena)\b"
)
LOCATIVE_BEFORE = re.compile(
    r"(?:\b(?:in|at|to|into|inside)\s+(?:the\s+)?(?:(?:Kazakh|Swiss|Austrian|Russian)\s+)?"
    r"(?:(?:city|capital|resort)\s+(?:of\s+)?)?|capital(?:,|\s+of)?\s+|\bcapital\s+)$",
    re.IGNORECASE,
)
HOST_AFTER = re.compile(r"^\s+(?:will host|is hosting|hosts|hosted|is welcoming|welcomed)\b")
DATELINE = re.compile(r"^(?P<city>[A-Z][A-Za-z]+(?:[- ][A-Z][A-Za-z]+)?)(?=\s*(?:,|\.|\(|–|—|-\s))")

# Where a dateline's city/date/agency part ends: "ASTANA, May 5. /TASS/. ", "GENEVA (Agency) - ".
DATELINE_END = re.compile(r"\s[-–—]\s|\)\s*[-–—:]?\s|/\.?\s|:\s")


@dataclass(frozen=True)
class Venue:
    id: str
    country: str
    lat: float
    lon: float
    names: tuple[tuple[str, date | None, date | None], ...]
    aliases: dict[str, str]
    capital_phrases: tuple[str, ...]

    def name_on(self, day: date | None, surface_name: str) -> str:
        """The name used at the time; a text's own spelling wins when the date is unknown."""
        if day is None or not self.names:
            return surface_name
        for name, start, end in self.names:
            if (start is None or day >= start) and (end is None or day < end):
                return name
        return surface_name


@dataclass(frozen=True)
class VenueMention:
    venue: Venue
    name: str  # as the text spells it, normalised ("Nur Sultan" -> "Nur-Sultan")
    start: int
    end: int
    strength: int  # 3 locative/host phrase, 2 capital phrase, 1 bare mention
    by_capital_phrase: bool = False


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _venue(entry: dict[str, Any]) -> Venue:
    return Venue(
        id=entry["id"],
        country=entry["country"],
        lat=entry["lat"],
        lon=entry["lon"],
        names=tuple(
            (n["name"], _date(n.get("from")), _date(n.get("until"))) for n in entry.get("names", [])
        ),
        aliases=dict(entry["aliases"]),
        capital_phrases=tuple(entry.get("capital_phrases", [])),
    )


@cache
def load_venues() -> tuple[Venue, ...]:
    return tuple(_venue(e) for e in load_schema_data("venues.json")["venues"])


@cache
def _alias_pattern() -> re.Pattern[str]:
    """Any alias, longest first; as a trie (see `word_alternation`), tried at every word."""
    aliases = {a for v in load_venues() for a in v.aliases}
    return re.compile(r"\b(?:" + word_alternation(aliases) + r")\b")


@cache
def _capital_phrase_patterns() -> tuple[tuple[Venue, re.Pattern[str]], ...]:
    """Each venue's capital phrases ("the Kazakh capital"), compiled once, in gazetteer order."""
    return tuple(
        (venue, re.compile(re.escape(phrase)))
        for venue in load_venues()
        for phrase in venue.capital_phrases
    )


def venue_by_name(name: str) -> Venue | None:
    for venue in load_venues():
        if name in venue.aliases or name in venue.aliases.values():
            return venue
    return None


def find_venues(sentence: str, offset: int = 0) -> list[VenueMention]:
    mentions = []
    for match in _alias_pattern().finditer(sentence):
        venue = venue_by_name(match.group(0))
        rest = sentence[match.end() :]
        if venue is None or SERIES_NAME_AFTER.search(rest) or OTHER_EVENT_NAME_AFTER.match(rest):
            continue
        before = sentence[max(0, match.start() - 40) : match.start()]
        if LOCATIVE_BEFORE.search(before) or HOST_AFTER.search(sentence[match.end() :]):
            strength = 3
        else:
            strength = 1
        mentions.append(
            VenueMention(
                venue,
                venue.aliases[match.group(0)],
                offset + match.start(),
                offset + match.end(),
                strength,
            )
        )
    for venue, phrase in _capital_phrase_patterns():
        for match in phrase.finditer(sentence):
            overlaps = any(
                m.start - offset <= match.end() + 12 and m.venue is venue for m in mentions
            )
            if not overlaps:
                mentions.append(
                    VenueMention(
                        venue,
                        "",
                        offset + match.start(),
                        offset + match.end(),
                        2,
                        by_capital_phrase=True,
                    )
                )
    return sorted(mentions, key=lambda m: m.start)


def dateline_city(document: str) -> tuple[VenueMention | None, int]:
    """A venue named by the dateline ("ASTANA, May 5. /TASS/.") in the first lines, with the
    character offset where the dateline ends (its date is the report's, not the round's)."""
    cursor = 0
    for line in document.split("\n")[:8]:
        match = DATELINE.match(line)
        if match:
            venue = venue_by_name(match.group("city"))
            if venue is not None:
                name = venue.aliases.get(match.group("city"), match.group("city"))
                separator = DATELINE_END.search(line[:90])
                end = cursor + (separator.end() if separator else match.end())
                return VenueMention(venue, name, cursor, cursor + match.end(), 1), end
        cursor += len(line) + 1
    return None, 0
