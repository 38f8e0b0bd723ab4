"""The public record of rounds (`schemas/round_calendar.json`).

It completes what a report leaves implicit: the first day of a round named only by its ordinal
or its end, the year of "April 25", and the series of a meeting known by venue and dates. It
never supplies an ordinal the text does not state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache

from pipelines.extraction.data import load_schema_data


@dataclass(frozen=True)
class KnownRound:
    series: str
    round: int
    location: str
    start: date
    end: date


@cache
def load_calendar() -> tuple[KnownRound, ...]:
    return tuple(
        KnownRound(
            series=entry["series"],
            round=entry["round"],
            location=entry["location"],
            start=date.fromisoformat(entry["start"]),
            end=date.fromisoformat(entry["end"]),
        )
        for entry in load_schema_data("round_calendar.json")["rounds"]
    )


def by_ordinal(
    series: str, number: int, near: date | None, window_days: int = 60
) -> KnownRound | None:
    """The round with this ordinal; when a reference date is known it must lie near the round,
    so a misread ordinal cannot pull in a date from another year."""
    for known in load_calendar():
        if known.series != series or known.round != number:
            continue
        if (
            near is None
            or (known.start - near).days <= window_days
            and (near - known.end).days <= window_days
        ):
            return known
    return None


def by_month_day(series: str | None, month: int, day: int) -> KnownRound | None:
    return _only(series, lambda k: (k.start.month, k.start.day) == (month, day))


def by_end(series: str | None, day: date, tolerance_days: int = 1) -> KnownRound | None:
    """The round of the series that ended on `day` ("the talks ended on Friday")."""
    return _only(series, lambda k: abs((k.end - day).days) <= tolerance_days)


def _only(series: str | None, fits: Callable[[KnownRound], bool]) -> KnownRound | None:
    """The one round of the series (any series if None) that fits; None when none or several
    do, since a guess between two rounds would date the article wrongly."""
    matches = [k for k in load_calendar() if (series is None or k.series == series) and fits(k)]
    return matches[0] if len(matches) == 1 else None


def by_venue_and_date(location: str, day: date, tolerance_days: int = 2) -> KnownRound | None:
    for known in load_calendar():
        if known.location != location:
            continue
        if (known.start - day).days <= tolerance_days and (day - known.end).days <= tolerance_days:
            return known
    return None


def around(series: str, day: date, before_days: int = 2, after_days: int = 3) -> KnownRound | None:
    """A round of the series under way on `day`, or opening just after it, or just ended."""
    for known in load_calendar():
        if known.series != series:
            continue
        if (known.start - day).days <= before_days and (day - known.end).days <= after_days:
            return known
    return None
