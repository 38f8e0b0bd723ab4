"""Date expressions in news text, resolved against the article's reference date.

A report dates a round in three ways: absolutely ("Jan. 23", "24-25 January 2024"), by weekday
("began on Monday", resolved to the most recent such day on or before the reference date, or the
next one when the verb is future), or relatively ("today", "next week", "mid-May"). A date
without a year takes the year that puts it nearest the reference date; with no reference date
it stays partial (month and day) for the round calendar to complete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from pipelines.extraction.prefilter import fold_word, prefiltered

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15,
}  # fmt: skip

# The lookahead stops a month prefix matching inside a word ("in separate" is not September,
# "in Marseille" not March); "May" stays capitalised even in case-insensitive patterns, since
# lower-case "may" is the modal verb.
_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|(?-i:May)|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)(?![a-z])\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY2 = r"(?:\s*(?:-|–|—|and|to|/)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
# Every sentence is searched for dates, and most name no month or weekday: the prefilter skips
# the scan of those (see `prefilter`). A year is "19xx" or "20xx", which few sentences contain,
# so two digits are enough of a prefilter for the year patterns (`YEARS_PREFILTER`).
YEARS_PREFILTER = 2
MONTH_FIRST = prefiltered(rf"\b{_MONTH}\s+{_DAY}\b{_DAY2}{_YEAR}(?!\s*(?:%|per|million))")
DAY_FIRST = prefiltered(rf"\b{_DAY}{_DAY2}\s+(?:of\s+)?{_MONTH}\b{_YEAR}")
ISO_DATE = prefiltered(
    r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b", min_length=YEARS_PREFILTER
)
WEEKDAY = prefiltered(
    r"\b(?:(?P<which>last|next|this|coming|past)\s+)?(?P<weekday>Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday)s?\b",
    re.IGNORECASE,
)
RELATIVE = prefiltered(
    r"\b(?P<word>today|tonight|yesterday|tomorrow|(?:this|next|last) (?:week|month))\b",
    re.IGNORECASE,
)
MONTH_PART = prefiltered(
    rf"\b(?:(?P<part>mid|early|late|end of|the middle of|the end of|the beginning of|"
    rf"beginning of|middle of|start of|the start of)[\s-]+|in\s+)(?:the\s+)?{_MONTH}{_YEAR}",
    re.IGNORECASE,
)
MONTH_YEAR = prefiltered(rf"\b(?P<part>){_MONTH}\s+(?P<year>(?:19|20)\d\d)\b")
# DAY_FIRST, MONTH_FIRST and MONTH_YEAR match only where `_MONTH` does, case and all, and every
# name it matches (each a key of MONTHS) starts as one of these ("Sept." as "Sep"). Their literal
# prefilter ("mar", "may", "dec", "sep") ignores case and where words end, so it lets through
# "market", "may" and "separate"; testing for these once spares the three scans there.
MONTH_PREFIXES = tuple(sorted({name[:3].capitalize() for name in MONTHS}))
_COUNT = r"\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen"
DURATION = prefiltered(
    rf"\b(?P<n>{_COUNT})[- ]day\b|\b(?:last|lasts|lasting|run|runs|span)\s+(?:for\s+)?"
    rf"(?:the\s+course\s+of\s+)?(?P<m>{_COUNT})\s+days\b",
    re.IGNORECASE,
)
FUTURE_BEFORE = re.compile(
    r"\b(?:will|shall|to be|is due|are due|scheduled|planned|expected|set (?:to|for)|until|"
    r"through|starting)\b[^.;]{0,30}$",
    re.IGNORECASE,
)
SINCE_BEFORE = re.compile(r"\b(?:since|until|before|after|from)\s+(?:the\s+)?$", re.IGNORECASE)
PART_DAY = {"mid": 15, "the middle of": 15, "middle of": 15, "early": 1, "the beginning of": 1,
            "beginning of": 1, "start of": 1, "the start of": 1, "late": 25, "end of": 28,
            "the end of": 28}  # fmt: skip


# A bare year as a time adjunct: "at talks in Astana in 2017".
YEAR_ONLY = prefiltered(
    r"\b(?:in|during|of)\s+(?:early\s+|late\s+|mid-)?(?P<year>(?:19|20)\d\d)\b(?![-–/]\d)",
    min_length=YEARS_PREFILTER,
)


@dataclass(frozen=True)
class DateMention:
    """A date expression; offsets are absolute in the analysed document."""

    start: int
    end: int
    text: str
    kind: str  # absolute | weekday | relative | month
    day: date | None  # resolved first day, when it could be resolved
    last_day: date | None = None  # "May 3-4" -> May 4
    month_day: tuple[int, int] | None = None  # kept when the year is unknown
    precision: str = "day"  # day | week | month
    after_since: bool = False  # "since April 2016": a bound, not an event date


def month_number(name: str) -> int:
    return MONTHS[fold_word(name).rstrip(".")]


def nearest_year(month: int, day: int, reference: date) -> date | None:
    """The date with this month and day that lies nearest the reference date."""
    best = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs(candidate - reference) < abs(best - reference):
            best = candidate
    return best


def weekday_on_or_before(weekday: int, reference: date) -> date:
    return reference - timedelta(days=(reference.weekday() - weekday) % 7)


def weekday_on_or_after(weekday: int, reference: date) -> date:
    return reference + timedelta(days=(weekday - reference.weekday()) % 7)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _absolute(match: re.Match[str], reference: date | None, offset: int) -> DateMention | None:
    month = month_number(match.group("month"))
    day = int(match.group("day"))
    if not 1 <= day <= 31:
        return None
    day2 = int(match.group("day2")) if match.group("day2") else None
    resolved = _resolve_year(match.group("year"), month, day, reference)
    last = None
    if resolved and day2 and day2 > day:
        last = _safe_date(resolved.year, month, day2)
    return DateMention(
        start=offset + match.start(),
        end=offset + match.end(),
        text=match.group(0),
        kind="absolute",
        day=resolved,
        last_day=last,
        month_day=(month, day),
    )


def find_dates(sentence: str, offset: int, reference: date | None) -> list[DateMention]:
    """All date expressions of one sentence, resolved against `reference` where possible."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= s or span[0] >= e for s, e in taken)

    for match in ISO_DATE.finditer(sentence):
        resolved = _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))
        if resolved:
            taken.append(match.span())
            found.append(
                DateMention(
                    offset + match.start(),
                    offset + match.end(),
                    match[0],
                    "absolute",
                    resolved,
                    month_day=(resolved.month, resolved.day),
                )
            )
    # Without a capitalised month name only MONTH_PART ("in march", "mid-May") can match.
    named_month = _names_a_month(sentence)
    for pattern in (DAY_FIRST, MONTH_FIRST) if named_month else ():
        for match in pattern.finditer(sentence):
            if not free(match.span()):
                continue
            mention = _absolute(match, reference, offset)
            if mention:
                taken.append(match.span())
                found.append(mention)
    for pattern in (MONTH_PART, MONTH_YEAR) if named_month else (MONTH_PART,):
        for match in pattern.finditer(sentence):
            if not free(match.span()):
                continue
            taken.append(match.span())
            found.append(_month_part(match, reference, offset))
    for match in WEEKDAY.finditer(sentence):
        if not free(match.span()):
            continue
        taken.append(match.span())
        found.append(_weekday(sentence, match, reference, offset))
    for match in RELATIVE.finditer(sentence):
        if free(match.span()):
            found.append(_relative(match, reference, offset))
    marked = []
    for mention in sorted(found, key=lambda m: m.start):
        before = sentence[max(0, mention.start - offset - 20) : mention.start - offset]
        if SINCE_BEFORE.search(before):
            mention = _replace(mention, after_since=True)
        marked.append(mention)
    return marked


def _names_a_month(sentence: str) -> bool:
    for prefix in MONTH_PREFIXES:  # noqa: SIM110 - a plain loop costs less than `any` here
        if prefix in sentence:
            return True
    return False


def _replace(mention: DateMention, **changes: object) -> DateMention:
    values = {**mention.__dict__, **changes}
    return DateMention(**values)  # type: ignore[arg-type]


def _resolve_year(year: str | None, month: int, day: int, reference: date | None) -> date | None:
    """The stated year, else the year that puts the day nearest the reference date."""
    if year:
        return _safe_date(int(year), month, day)
    return nearest_year(month, day, reference) if reference else None


def _month_part(match: re.Match[str], reference: date | None, offset: int) -> DateMention:
    month = month_number(match.group("month"))
    part = (match.group("part") or "").lower()
    day = PART_DAY.get(part, 1)
    resolved = _resolve_year(match.group("year"), month, day, reference)
    return DateMention(
        offset + match.start(),
        offset + match.end(),
        match.group(0),
        "month",
        resolved,
        month_day=(month, day),
        precision="month",
    )


def _weekday(
    sentence: str, match: re.Match[str], reference: date | None, offset: int
) -> DateMention:
    weekday = WEEKDAYS.index(fold_word(match.group("weekday")))
    which = (match.group("which") or "").lower()
    resolved = None
    if reference:
        before = sentence[: match.start()]
        forward = which in {"next", "coming"} or (
            which not in {"last", "past"} and bool(FUTURE_BEFORE.search(before[-40:]))
        )
        if forward:
            resolved = weekday_on_or_after(weekday, reference)
            if which == "next" and resolved == reference:
                resolved += timedelta(days=7)
        else:
            resolved = weekday_on_or_before(weekday, reference)
            if which == "last" and resolved == reference:
                resolved -= timedelta(days=7)
    return DateMention(
        offset + match.start(), offset + match.end(), match.group(0), "weekday", resolved
    )


def _relative(match: re.Match[str], reference: date | None, offset: int) -> DateMention:
    word = match.group("word").lower()
    resolved = None
    precision = "day"
    if reference:
        if word in {"today", "tonight"}:
            resolved = reference
        elif word == "yesterday":
            resolved = reference - timedelta(days=1)
        elif word == "tomorrow":
            resolved = reference + timedelta(days=1)
        elif word.endswith("week"):
            precision = "week"
            monday = reference - timedelta(days=reference.weekday())
            shift = {"this": 0, "next": 7, "last": -7}[word.split()[0]]
            resolved = monday + timedelta(days=shift)
        else:
            precision = "month"
            month_index = reference.year * 12 + reference.month - 1
            month_index += {"this": 0, "next": 1, "last": -1}[word.split()[0]]
            resolved = date(month_index // 12, month_index % 12 + 1, 1)
    return DateMention(
        offset + match.start(),
        offset + match.end(),
        match.group(0),
        "relative",
        resolved,
        precision=precision,
    )


def duration_days(text: str) -> int | None:
    """'a two-day meeting' -> 2; the first such phrase in the text."""
    match = DURATION.search(text)
    if not match:
        return None
    value = (match.group("n") or match.group("m")).lower()
    return int(value) if value.isdigit() else NUMBER_WORDS.get(value)
