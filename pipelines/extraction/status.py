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
# A round that opened more than this many days before the report is under way only when the
# text says it still goes on; otherwise it is a past round.
UNDER_WAY_DAYS = 10


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
            # "ended in Geneva on Friday" with Friday read as the start: the verb wins.
            return "concluded" if delta == 0 and "concluded" in cues and end is None else "opening"
        if "concluded" in cues or (end is not None and end < reference):
            return "concluded"
        if delta < -UNDER_WAY_DAYS and "ongoing" not in cues:
            return "concluded"  # a start weeks back with no sign the round still goes on
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


def is_report(
    status: str, end: date | None, reference: date | None, start: date | None = None
) -> bool:
    """A report of a round opening, under way or just concluded (not a retrospective)."""
    if status not in REPORTED_STATUSES:
        return False
    last = end or start
    if status == "concluded" and last and reference:
        return (reference - last).days <= RECENT_END_DAYS
    return True
