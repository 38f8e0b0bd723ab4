"""When a round met: the start (and end) date an article gives for the round it reports.

In this order: an absolute start date in a round sentence, then the public-record calendar for
a stated ordinal, then weekdays and relative phrases, then month-and-day phrases, then an end
date, then the calendar's round under way at publication when the text speaks of the round
as an event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pipelines.extraction import calendar
from pipelines.extraction.cues import SentenceCues, load_lexicon
from pipelines.extraction.dates import DateMention, duration_days, find_dates
from pipelines.extraction.ordinals import OrdinalMention

# A dated phrase is about this round only if it lies this near the reference date.
PLAUSIBLE_BEFORE_DAYS, PLAUSIBLE_AFTER_DAYS = 45, 120
# How far (characters) an event verb reaches to the date it governs ("began two days of talks
# with the warring parties in Vienna on Thursday").
ROLE_REACH = 80
DATE_LINE = re.compile(
    r"^\W*(?:(?:Published|Updated|Posted)\s+)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+\w+\.?,?\s+\d{4}|\w+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|"
    r"\d{4}-\d\d-\d\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Evidence:
    """Where a field's value comes from: the sentence (character offsets in the document, or -1
    for "public record: ..."), and how sure the rule that chose it is."""

    sentence: str
    start: int
    end: int
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "confidence": round(self.confidence, 2),
        }


@dataclass(frozen=True)
class RoundDates:
    start: date | None
    end: date | None
    evidence: Evidence | None


def _role(mention: DateMention, text: str, offset: int) -> str:
    """start, end or other: the nearest event verb decides what a date dates."""
    if mention.last_day is not None:
        return "start"
    lexicon = load_lexicon()
    nearest = ("other", 10_000)
    local_start, local_end = mention.start - offset, mention.end - offset
    for role, pattern in (
        ("start", lexicon.start_verbs),
        ("end", lexicon.end_verbs),
        ("other", lexicon.speech_verbs),
    ):
        for match in pattern.finditer(text):
            distance = (
                local_start - match.end()
                if match.end() <= local_start
                else match.start() - local_end
            )
            if distance < 0:
                continue
            if distance < nearest[1]:
                nearest = (role, distance)
    return nearest[0] if nearest[1] <= ROLE_REACH else "other"


def _plausible(mention: DateMention, reference: date | None) -> bool:
    if mention.after_since:
        return False
    if reference is None or mention.day is None:
        return True
    delta = (mention.day - reference).days
    return -PLAUSIBLE_BEFORE_DAYS <= delta <= PLAUSIBLE_AFTER_DAYS


def _within(day: date, known: calendar.KnownRound, slack_days: int = 1) -> bool:
    return (known.start - day).days <= slack_days and (day - known.end).days <= slack_days


def choose_dates(
    main: SentenceCues,
    headline: list[SentenceCues],
    round_sentences: list[SentenceCues],
    series: str | None,
    ordinal: OrdinalMention | None,
    reference: date | None,
    dateline_end: int,
    talk_sentences: list[SentenceCues],
) -> RoundDates:
    ordered = [main, *[s for s in round_sentences if s is not main and not s.in_title], *headline]
    ordered = [s for s in ordered if s is main or s.best_series in (None, series)]
    found: list[tuple[DateMention, str, SentenceCues]] = []
    for cues in ordered:
        if DATE_LINE.match(cues.text) and len(cues.text) < 60:
            continue
        for mention in find_dates(cues.text, cues.start, reference):
            if mention.start < dateline_end or not _plausible(mention, reference):
                continue
            if cues.other_event_from is not None and mention.start >= cues.other_event_from:
                continue  # dates the later event a clause announces
            found.append((mention, _role(mention, cues.text, cues.start), cues))
    duration = duration_days(" ".join(s.text for s in talk_sentences))

    def result(start: date, end: date | None, cues: SentenceCues | None, conf: float) -> RoundDates:
        if end is None and duration:
            end = start + timedelta(days=duration - 1)
        ev = Evidence(cues.text, cues.start, cues.end, conf) if cues else None
        return RoundDates(start, end, ev)

    known = calendar.by_ordinal(series, ordinal.value, reference) if ordinal and series else None
    for mention, role, cues in found:
        if mention.kind == "absolute" and mention.day and role == "start":
            if known and not _within(mention.day, known):
                continue  # the record of the stated ordinal beats a date of another event
            return result(mention.day, mention.last_day, cues, 0.9)
    if known:
        return RoundDates(
            known.start,
            known.end,
            Evidence(f"public record: {series} round {known.round}", -1, -1, 0.85),
        )
    for mention, role, cues in found:
        if (
            mention.kind in {"weekday", "relative"}
            and mention.day
            and role == "start"
            and mention.precision == "day"
        ):
            return result(mention.day, None, cues, 0.75)
    for mention, role, cues in found:
        if (
            mention.kind == "absolute"
            and mention.day is None
            and mention.month_day
            and role == "start"
        ):
            known = calendar.by_month_day(series, *mention.month_day)
            if known:
                return RoundDates(
                    known.start, known.end, Evidence(cues.text, cues.start, cues.end, 0.7)
                )
    for mention, role, cues in found:
        if mention.day and role == "end" and mention.precision == "day":
            known = calendar.by_end(series, mention.day)
            if known and known.start <= mention.day:
                return RoundDates(
                    known.start, known.end, Evidence(cues.text, cues.start, cues.end, 0.7)
                )
            first = mention.day - timedelta(days=(duration or 1) - 1)
            return RoundDates(first, mention.day, Evidence(cues.text, cues.start, cues.end, 0.6))
    for mention, role, cues in found:
        if mention.day and role == "start":
            return result(mention.day, None, cues, 0.4)
    # The public record dates a round "under way" only when the text itself speaks of the round
    # as an event (a status verb or a date); a passing mention of a series gives no time.
    timed = bool(found) or any(s.status - {"next_round"} for s in (main, *headline))
    if reference and series and timed:
        known = calendar.around(series, reference)
        if known:
            return RoundDates(
                known.start,
                known.end,
                Evidence(f"public record: {series} round under way", -1, -1, 0.6),
            )
    return RoundDates(None, None, None)
