"""One article -> one `RoundExtraction`: is it a report of a round of Syria talks, and which.

The rules, in the order they run:
1. Subject: Syria must outweigh other conflicts (Yemen talks in Geneva are not Syria talks).
2. Lead round sentence: the first body sentence naming a round (a head noun with a series cue
   or an ordinal) that is not about a previous or next round; the headline is the fallback.
3. Series from weighted cues (headline and lead count most), ordinal from the lead sentence
   first, venue from locative phrases, then the dateline.
4. Dates (see `round_dates`): an absolute start date in a round sentence, then the public-record
   calendar for a stated ordinal, then weekdays and relative phrases, then month-only phrases.
5. Status from dates and verbs (see `status`); only opening, under way or just-concluded
   rounds are reports. Announcements and postponements keep series/round/status so they can
   update the round they name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from pipelines.extraction import calendar
from pipelines.extraction.actors import ActorRegistry, link_actors
from pipelines.extraction.article import ArticleText
from pipelines.extraction.attendance import counted_sentences
from pipelines.extraction.cues import (
    SentenceCues,
    load_lexicon,
    mark_other_ordinals,
    sentence_cues,
)
from pipelines.extraction.dates import YEAR_ONLY, find_dates
from pipelines.extraction.nlp import Annotation
from pipelines.extraction.ordinals import OrdinalMention
from pipelines.extraction.participants import Participant, assign_roles, reported_actors
from pipelines.extraction.round_dates import (
    DATE_LINE,
    PLAUSIBLE_AFTER_DAYS,
    PLAUSIBLE_BEFORE_DAYS,
    Evidence,
    RoundDates,
    choose_dates,
)
from pipelines.extraction.sections import background_sentences
from pipelines.extraction.status import decide_status, is_report
from pipelines.extraction.venues import VenueMention, dateline_city, find_venues, venue_by_name

SERIES = ("astana", "geneva", "sochi", "constitutional_committee", "other")
# Weights of a sentence's series cues by where the sentence stands.
HEADLINE_WEIGHT, LEAD_WEIGHT, EARLY_WEIGHT, LATER_WEIGHT = 3.0, 3.0, 2.0, 1.0
EARLY_SENTENCES = 5
# The round an article reports is named in its headline or its opening body sentences; a round
# named only further down is a passing mention ("talks in Nur-Sultan have made little progress"
# at the end of an aid story). Datelines and other short lines do not count.
LEAD_BODY_SENTENCES = 4


@dataclass(frozen=True)
class RoundExtraction:
    article_id: str
    is_syria_talks_round: bool
    series: str | None = None
    round: int | None = None
    location: str | None = None
    country: str | None = None
    coordinates: tuple[float, float] | None = None  # (lat, lon)
    start_date: date | None = None
    end_date: date | None = None
    status: str | None = None
    participants: tuple[Participant, ...] = ()
    outcomes: tuple[str, ...] = ()
    next_round: dict[str, Any] | None = None
    actors: tuple[str, ...] = ()
    evidence: dict[str, Evidence] = field(default_factory=dict)

    def output_line(self) -> dict[str, Any]:
        """The line `talkwatch extract` writes for this article."""
        return {
            "id": self.article_id,
            "is_syria_talks_round": self.is_syria_talks_round,
            "series": self.series,
            "round": self.round,
            "location": self.location,
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "actors": list(self.actors),
            "status": self.status,
            "evidence": {name: ev.to_dict() for name, ev in self.evidence.items()},
        }


def extract_round(
    article: ArticleText, annotation: Annotation, registry: ActorRegistry | None = None
) -> RoundExtraction:
    """`annotation` must be of `article.document` (title + text)."""
    document = article.document
    title_end = article.title_end
    sentences = [
        sentence_cues(i, start, end, document[start:end], in_title=end <= title_end)
        for i, (start, end) in enumerate(annotation.sentences)
    ]
    sentences = _summits_of_leaders(sentences)
    dateline, dateline_end = dateline_city(document)
    reference = article.published or _reference_from_text(document, sentences)
    if not _syria_is_subject(sentences):
        return RoundExtraction(article.id, False)
    main = _lead_round_sentence(sentences, reference)
    if main is None:
        return RoundExtraction(article.id, False)
    evidence: dict[str, Evidence] = {}
    headline = [s for s in sentences if s.in_title]
    round_sentences = [
        s
        for s in sentences
        if s.names_a_round and not s.about_other_round and s.syria >= s.other_conflict
    ]
    series, series_conf = _choose_series(sentences, main, round_sentences)
    ordinal = _choose_ordinal(main, headline, round_sentences, series, reference)
    if ordinal is not None:
        sentences, round_sentences = _drop_other_ordinals(sentences, round_sentences, ordinal, main)
        headline = [s for s in sentences if s.in_title]
        series, series_conf = _choose_series(sentences, main, round_sentences)
    venue = _choose_venue(main, headline, round_sentences, series, dateline)
    talk_sentences = [s for s in sentences if s.has_round_head and not s.about_other_round]

    def dates_for(series: str | None) -> RoundDates:
        return choose_dates(
            main, headline, round_sentences, series, ordinal, reference, dateline_end,
            talk_sentences,
        )  # fmt: skip

    dates = dates_for(series)
    start, end = dates.start, dates.end
    venue = _prefer_recorded_dateline(venue, dateline, series, start or reference)

    location = country = None
    coordinates = None
    if venue is not None:
        location = venue.name or venue.venue.name_on(
            start or reference, venue.venue.aliases.get(next(iter(venue.venue.aliases)), "")
        )
        country = venue.venue.country
        coordinates = (venue.venue.lat, venue.venue.lon)
        evidence["location"] = _evidence(
            document, sentences, venue.start, 0.9 if venue.strength >= 2 else 0.6
        )
        if start and location:
            known = calendar.by_venue_and_date(location, start)
            if known and known.series != series:
                # The record says another series met there then: its calendar dates the round.
                series, series_conf = known.series, 0.9
                dates = dates_for(series)
                start, end = dates.start or start, dates.end or end
    if series is None:
        return RoundExtraction(article.id, False)
    evidence["series"] = Evidence(main.text, main.start, main.end, series_conf)
    if ordinal is not None:
        evidence["round"] = _evidence(
            document, sentences, ordinal.start, 0.9 if ordinal.start >= main.start else 0.7
        )
    if dates.evidence is not None:
        evidence["start_date"] = dates.evidence

    status_cues = main.status | frozenset().union(
        *(s.status & {"postponed", "cancelled"} for s in round_sentences[:3])
    )
    headline_cues = frozenset().union(*(s.status for s in headline)) if headline else frozenset()
    status = decide_status(status_cues, headline_cues, start, end, reference)
    reported = is_report(status, end, reference, start)
    evidence["status"] = Evidence(main.text, main.start, main.end, 0.8)
    evidence["is_syria_talks_round"] = Evidence(
        main.text, main.start, main.end, 0.85 if reported else 0.7
    )

    mentions = link_actors(document, annotation, reference, registry)
    background = frozenset(background_sentences(sentences, main, ordinal and ordinal.value))
    counted = counted_sentences(sentences, main, series, start, reference, mentions, background)
    participants = assign_roles(mentions, document, sentences, counted, series, country)
    actors = reported_actors(participants, mentions, frozenset(s.index for s in headline))
    if actors:
        first = (
            min(p.start for p in participants if p.linked and p.actor in actors)
            if any(p.linked and p.actor in actors for p in participants)
            else main.start
        )
        evidence["actors"] = _evidence(document, sentences, first, 0.7)
    return RoundExtraction(
        article_id=article.id,
        is_syria_talks_round=reported,
        series=series,
        round=ordinal.value if ordinal else None,
        location=location if reported else None,
        country=country if reported else None,
        coordinates=coordinates if reported else None,
        start_date=start,
        end_date=end,
        status=status,
        participants=tuple(participants),
        outcomes=tuple(_outcomes(sentences, counted)),
        next_round=_next_round(sentences, ordinal, reference),
        actors=tuple(actors) if reported else (),
        evidence=evidence,
    )


def _drop_other_ordinals(
    sentences: list[SentenceCues],
    round_sentences: list[SentenceCues],
    ordinal: OrdinalMention,
    main: SentenceCues,
) -> tuple[list[SentenceCues], list[SentenceCues]]:
    """Background on other numbered rounds ("The second meeting, on February 15-16, ...") is
    marked as about another round and leaves the round sentences (series, venue, dates)."""
    marked = mark_other_ordinals(sentences, ordinal.value, main)
    kept = {s.index for s in round_sentences}
    return marked, [s for s in marked if s.index in kept and not s.about_other_round]


def _evidence(
    document: str, sentences: list[SentenceCues], char: int, confidence: float
) -> Evidence:
    for cues in sentences:
        if cues.start <= char < cues.end:
            return Evidence(cues.text, cues.start, cues.end, confidence)
    return Evidence(document[char : char + 80], char, min(len(document), char + 80), confidence)


def _reference_from_text(document: str, sentences: list[SentenceCues]) -> date | None:
    """With no publication date, a date line near the top ("31 January 2016") or the dateline's
    dated form ("Astana, 23 November 2022") stands for it."""
    for cues in sentences[:6]:
        if DATE_LINE.match(cues.text) or cues.index < 3:
            for mention in find_dates(cues.text[:60], cues.start, None):
                if mention.kind == "absolute" and mention.day is not None:
                    return mention.day
    return None


def _syria_is_subject(sentences: list[SentenceCues]) -> bool:
    syria = other = 0.0
    for cues in sentences:
        weight = HEADLINE_WEIGHT if cues.in_title else (2.0 if cues.index < 4 else 1.0)
        syria += weight * cues.syria
        other += weight * cues.other_conflict
    return syria >= 2 and syria > other


def _dated_elsewhere(cues: SentenceCues, reference: date | None) -> bool:
    """A round sentence whose every date lies far from the reference date names a past (or far
    future) round: "a de-escalation zone agreed at talks in Astana in 2017" in a 2019 report.
    A sentence with a round ordinal is left to the ordinal rules."""
    if reference is None or cues.ordinals:
        return False
    days = [
        m.day for m in find_dates(cues.text, cues.start, reference) if m.day and not m.after_since
    ]
    for match in YEAR_ONLY.finditer(cues.text):
        year = int(match.group("year"))
        days.append(date(year, 12, 31) if year < reference.year else date(year, 1, 1))
    if not days:
        return False
    return all(
        not -PLAUSIBLE_BEFORE_DAYS <= (day - reference).days <= PLAUSIBLE_AFTER_DAYS for day in days
    )


def _early_indices(sentences: list[SentenceCues]) -> set[int]:
    """The headline and the first `LEAD_BODY_SENTENCES` body sentences."""
    early: set[int] = set()
    body_seen = 0
    for cues in sentences:
        if not cues.in_title:
            if body_seen >= LEAD_BODY_SENTENCES:
                break
            if len(cues.text.split()) > 3:  # a dateline or a subheading does not count
                body_seen += 1
        early.add(cues.index)
    return early


def _summits_of_leaders(sentences: list[SentenceCues]) -> list[SentenceCues]:
    """Once the headline or the lead calls the meeting a leaders' summit ("the trilateral
    summit of the guarantor countries"), a bare "the summit" later on is that meeting too."""
    early = _early_indices(sentences)
    if not any(s.leaders_meeting for s in sentences if s.index in early):
        return sentences
    changed = []
    for cues in sentences:
        heads = tuple(h for h in cues.round_heads if not h.startswith("summit"))
        if heads != cues.round_heads:
            cues = replace(cues, round_heads=heads, has_round_head=bool(heads))
        changed.append(cues)
    return changed


def _lead_round_sentence(
    sentences: list[SentenceCues], reference: date | None = None
) -> SentenceCues | None:
    early = _early_indices(sentences)
    candidates = [
        s
        for s in sentences
        if s.index in early
        and s.names_a_round
        and s.syria >= s.other_conflict
        and not s.about_other_round
        and not s.series_level
        and not _dated_elsewhere(s, reference)
    ]
    body = [s for s in candidates if not s.in_title and s.status - {"next_round"}]
    if body:
        return body[0]
    # Without an event verb the fallback still needs some sign of one event in time: a status
    # cue (in the headline) or a date. "presided over nine rounds of talks" names no round.
    timed = [s for s in candidates if s.status - {"next_round"} or find_dates(s.text, 0, reference)]
    return timed[0] if timed else None


def _choose_series(
    sentences: list[SentenceCues], main: SentenceCues, round_sentences: list[SentenceCues]
) -> tuple[str | None, float]:
    totals = dict.fromkeys(SERIES, 0.0)
    # The round sentences are some of `sentences` themselves: looked up by identity, not by
    # comparing every field of every round sentence with each sentence.
    round_ids = {id(cues) for cues in round_sentences}
    for cues in sentences:
        if cues.index == main.index:
            weight = LEAD_WEIGHT
        elif cues.in_title:
            weight = HEADLINE_WEIGHT
        elif id(cues) in round_ids:
            weight = EARLY_WEIGHT if cues.index < EARLY_SENTENCES else LATER_WEIGHT
        else:
            continue
        for series, score in cues.series_scores.items():
            totals[series] += weight * score
    named = {k: v for k, v in totals.items() if k != "other" and v > 0}
    if named:
        best = max(named, key=lambda k: named[k])
        total = sum(named.values())
        return best, min(0.95, 0.5 + 0.5 * named[best] / total)
    if totals["other"] > 0:
        return "other", 0.5
    return None, 0.0


def _ordinal_fits(ordinal: OrdinalMention, reference: date | None) -> bool:
    if ordinal.other_round or ordinal.counts_since:
        return False
    if ordinal.dated and reference:
        mentions = find_dates(f"in {ordinal.dated}", 0, reference)
        if mentions and mentions[0].day:
            day = mentions[0].day
            return (day.year, day.month) == (reference.year, reference.month)
        year = re.search(r"\d{4}", ordinal.dated)
        return bool(year) and int(year.group(0)) == reference.year
    return True


def _choose_ordinal(
    main: SentenceCues,
    headline: list[SentenceCues],
    round_sentences: list[SentenceCues],
    series: str | None,
    reference: date | None,
) -> OrdinalMention | None:
    ordered = [main, *headline, *[s for s in round_sentences if s is not main]]
    for cues in ordered:
        if cues is not main and cues.best_series not in (None, series):
            continue
        for ordinal in cues.ordinals:
            if _ordinal_fits(ordinal, reference):
                return ordinal
    return None


def _choose_venue(
    main: SentenceCues,
    headline: list[SentenceCues],
    round_sentences: list[SentenceCues],
    series: str | None,
    dateline: VenueMention | None,
) -> VenueMention | None:
    ordered = [main, *headline, *[s for s in round_sentences if s is not main]]
    ordered = [
        s
        for s in ordered
        if s is main or (s.best_series in (None, series) and not s.about_other_round)
    ]  # a headline about the next round ("next round to move to Sochi") does not place this one
    mentions = [
        m
        for cues in ordered
        for m in find_venues(cues.text, cues.start)
        if cues.other_event_from is None or m.start < cues.other_event_from
    ]
    # The lead sentence's own locative ("opened in the Kazakh capital") places the round; a
    # city in a later sentence may be where someone spoke ("said in Geneva last week").
    in_lead = [m for m in mentions if main.start <= m.start < main.end and m.strength >= 2]
    if in_lead:
        same_city = dateline is not None and dateline.venue.id == in_lead[0].venue.id
        return dateline if same_city and in_lead[0].by_capital_phrase else in_lead[0]
    for strength in (3, 2):
        named = [m for m in mentions if m.strength == strength and not m.by_capital_phrase]
        if named:
            return named[0]
        if strength == 2:
            by_phrase = [m for m in mentions if m.by_capital_phrase]
            if by_phrase and dateline is None:
                return by_phrase[0]
    if dateline is not None:
        return dateline
    bare = [m for m in mentions if m.strength == 1]
    return bare[0] if bare else None


def _prefer_recorded_dateline(
    venue: VenueMention | None,
    dateline: VenueMention | None,
    series: str | None,
    day: date | None,
) -> VenueMention | None:
    """When the dateline city is where the public record puts this series' round of that date,
    it beats a locative phrase about something else ("SOCHI - A congress ... ended with a call
    to set up a committee in Geneva")."""
    if venue is None or dateline is None or series is None or day is None:
        return venue
    if venue.venue.id == dateline.venue.id:
        return venue
    known = calendar.around(series, day)
    if known is None:
        return venue
    recorded = venue_by_name(known.location)
    if recorded is not None and recorded.id == dateline.venue.id != venue.venue.id:
        return dateline
    return venue


def _outcomes(sentences: list[SentenceCues], counted: set[int]) -> list[str]:
    lexicon = load_lexicon()
    found = []
    for cues in sentences:
        if cues.index not in counted:
            continue
        for name, pattern in lexicon.outcomes.items():
            if name not in found and pattern.search(cues.text):
                found.append(name)
    return found


def _next_round(
    sentences: list[SentenceCues], ordinal: OrdinalMention | None, reference: date | None
) -> dict[str, Any] | None:
    for cues in sentences:
        if "next_round" not in cues.status:
            continue
        dates = [
            m
            for m in find_dates(cues.text, cues.start, reference)
            if m.day and (reference is None or m.day > reference)
        ]
        return {
            "round": ordinal.value + 1 if ordinal else None,
            "start_date": dates[0].day.isoformat() if dates and dates[0].day else None,
            "evidence": Evidence(cues.text, cues.start, cues.end, 0.6).to_dict(),
        }
    return None
