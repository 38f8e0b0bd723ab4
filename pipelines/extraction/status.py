"""The status of a round, and whether a report is about a round that is happening.

Dates decide first: a round that opens more than a day after the reference date is scheduled
(an announcement, not a report), one opening the same day or the next is opening (the eve of a
round counts as its report). Without dates the verbs decide: past or present event verbs report
the round; future-only wording announces it, unless delegations are already arriving.
A postponement or cancellation in the headline or the lead sentence overrides all of this.
"""

from __future__ import annotations

from datetime import date

REPORTED_STATUSES = frozenset({"opening", "under way", "concluded"})
# How long after a round ended a report of it still counts as news of that round.
RECENT_END_DAYS = 14


def decide_status(
    cues: frozenset[str],
    headline_cues: frozenset[str],
    start: date | None,
    end: date | None,
    reference: date | None,
) -> str:
    """One of announced, scheduled, opening, under way, concluded, postponed, cancelled."""
    lead = cues | headline_cues
    if "cancelled" in lead:
        return "cancelled"
    if "postponed" in lead:
        return "postponed"
    happened = bool(cues & {"concluded", "opened", "ongoing", "past_held"})
    if start and reference:
        delta = (start - reference).days
        if delta > 1:
            return "scheduled"
        if delta >= 0:
            return "opening"
        if "concluded" in cues or (end is not None and end < reference):
            return "concluded"
        return "under way"
    if "concluded" in cues:
        return "concluded"
    if "opened" in cues:
        return "opening"
    if happened:
        return "under way" if cues & {"ongoing"} else "concluded"
    if "arrival" in cues:
        return "opening"
    if "future" in lead:
        return "scheduled" if start else "announced"
    if headline_cues & {"concluded", "opened", "ongoing", "past_held"}:
        return "under way"
    return "announced"


def is_report(status: str, end: date | None, reference: date | None) -> bool:
    """A report of a round opening, under way or just concluded (not a retrospective)."""
    if status not in REPORTED_STATUSES:
        return False
    if status == "concluded" and end and reference:
        return (reference - end).days <= RECENT_END_DAYS
    return True
