"""Word cues of one sentence, compiled from `schemas/round_cues.json`.

`SentenceCues` is what the round rules know about a sentence: does it name a round (a head
noun such as "round", "talks", "session"), which series its words point to, which ordinals it
gives, whether it speaks of Syria or of another conflict, and its tense and status cues.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from pipelines.extraction.data import load_schema_data
from pipelines.extraction.ordinals import OrdinalMention, find_ordinals
from pipelines.extraction.prefilter import LiteralIndex, Prefiltered, prefiltered

# Event verbs governed by a future or purpose marker ("will begin", "to open") do not report
# that the event happened.
FUTURE_GOVERNED = re.compile(
    r"(?:\b(?:will|shall|would|won't|could|may|might)\s+(?:\w+\s+){0,2}|\bto\s+)$", re.IGNORECASE
)
# A past or present opening verb governing "a new round": the round reported, not the next one.
OPENED_BEFORE = re.compile(
    r"\b(?:opened|opens|began|begins|launched|launches|started|starts|kicked off|kicks off|"
    r"convened|convenes|resumed|resumes|held|holds|is holding|are holding)\s+"
    r"(?:a|the|their|its)\s+$",
    re.IGNORECASE,
)
# "A new round of UN-led negotiations ... opened in Geneva": the same, with the round as subject.
OPENED_AFTER = re.compile(
    r"[^.;:]{0,120}?\b(opened|opens|began|begins|started|starts|kicked off|kicks off|resumed|"
    r"resumes|convened|convenes|got under way|gets under way|is under way|was under way)\b",
    re.IGNORECASE,
)
# Generic event nouns that a non-talks cue in the same sentence ("Governments pledged ... at a
# one-day conference in Geneva") shows to be another kind of event.
GENERIC_EVENT_HEADS = frozenset({"conference", "meeting", "meetings", "gathering", "summit"})
# Head nouns too loose to name a round from the dateline alone ("ASTANA - ... opened the Astana
# International Forum, ... dialogue"): a dateline gives the venue, not the series.
WEAK_HEADS = frozenset({"dialogue", "gathering"})
# An upper-case dateline opening a sentence: "ASTANA - ", "GENEVA, May 5 (Reuters) -".
DATELINE_PREFIX = re.compile(r"^[A-Z][A-Z'’.]+(?:[- ][A-Z][A-Z'’.]+)?(?=\s*(?:,|\(|[-–—]\s))")
HAPPENED_CUES = frozenset({"concluded", "opened", "ongoing", "past_held"})
STATUS_CUE_NAMES = ("postponed", "cancelled", "concluded", "opened", "ongoing", "past_held",
                    "future", "arrival", "next_round")  # fmt: skip


@dataclass(frozen=True)
class Lexicon:
    round_head: Prefiltered
    series: dict[str, tuple[tuple[Prefiltered, float], ...]]
    syria: Prefiltered
    other_conflicts: dict[str, Prefiltered]
    status: dict[str, Prefiltered]
    start_verbs: Prefiltered
    end_verbs: Prefiltered
    speech_verbs: Prefiltered
    participation: Prefiltered
    absence: Prefiltered
    backer: Prefiltered
    context_only: Prefiltered
    prospective: Prefiltered
    guarantor: Prefiltered
    observer: Prefiltered
    mediator: Prefiltered
    host: Prefiltered
    outcomes: dict[str, Prefiltered]
    composition: Prefiltered | None = None
    leaders_meeting: Prefiltered | None = None
    background_heading: Prefiltered | None = None
    series_level: Prefiltered | None = None
    transitive_participation: Prefiltered | None = None
    non_talks_event: Prefiltered | None = None
    after_other_round: Prefiltered | None = None
    # The series, other-conflict and status cues, tested on every sentence: most match nowhere
    # in it, and one pass over their literals (see `LiteralIndex`) tells which may.
    sentence_groups: LiteralIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        patterns = [pattern for cues in self.series.values() for pattern, _ in cues]
        patterns += [*self.other_conflicts.values(), *self.status.values()]
        object.__setattr__(self, "sentence_groups", LiteralIndex(patterns))


def _compile(pattern: str, case_sensitive: bool = False) -> Prefiltered:
    # Every sentence is matched against every cue pattern, and most cues occur in few of them:
    # the prefilter skips the scan of a sentence that lacks all the words a cue needs.
    return prefiltered(pattern, 0 if case_sensitive else re.IGNORECASE)


def lexicon_from_data(data: dict[str, Any]) -> Lexicon:
    return Lexicon(
        round_head=_compile(data["round_head"]),
        series={
            name: tuple(
                (_compile(cue["pattern"], cue.get("case_sensitive", False)), float(cue["weight"]))
                for cue in cues
            )
            for name, cues in data["series_cues"].items()
        },
        syria=_compile(data["syria_terms"]),
        other_conflicts={k: _compile(v) for k, v in data["other_conflicts"].items()},
        status={k: _compile(v) for k, v in data["status_cues"].items()},
        start_verbs=_compile(data["start_verbs"]),
        end_verbs=_compile(data["end_verbs"]),
        speech_verbs=_compile(data["speech_verbs"]),
        participation=_compile(data["participation_cues"]),
        absence=_compile(data["absence_cues"]),
        backer=_compile(data["backer_cues"]),
        context_only=_compile(data["context_only_cues"]),
        prospective=_compile(data["prospective_cues"]),
        guarantor=_compile(data["guarantor_cues"]),
        observer=_compile(data["observer_cues"]),
        mediator=_compile(data["mediator_cues"]),
        host=_compile(data["host_cues"]),
        outcomes={k: _compile(v) for k, v in data["outcomes"].items()},
        composition=_optional(data, "composition_cues"),
        leaders_meeting=_optional(data, "leaders_meeting_cues"),
        background_heading=_optional(data, "background_headings"),
        series_level=_optional(data, "series_level_cues"),
        transitive_participation=_optional(data, "transitive_participation_cues"),
        non_talks_event=_optional(data, "non_talks_event_cues"),
        after_other_round=_optional(data, "after_other_round_cues"),
    )


def _optional(data: dict[str, Any], key: str) -> Prefiltered | None:
    return _compile(data[key]) if key in data else None


@cache
def load_lexicon() -> Lexicon:
    return lexicon_from_data(load_schema_data("round_cues.json"))


@dataclass(frozen=True)
class SentenceCues:
    index: int
    start: int
    end: int
    text: str
    in_title: bool
    has_round_head: bool
    series_scores: dict[str, float]
    ordinals: tuple[OrdinalMention, ...]
    syria: int
    other_conflict: int
    status: frozenset[str]
    # Round head nouns outside a leaders' or ministers' meeting phrase ("trilateral summit").
    round_heads: tuple[str, ...] = ()
    # Names a meeting of heads of state or ministers, which is not a round of talks.
    leaders_meeting: bool = False
    # Its round nouns are all plural and counted or tied to a series name ("nine rounds of
    # talks", "took part in the Astana meetings"): the series, not one round.
    series_level: bool = False
    # Every round ordinal in it differs from the ordinal chosen for the reported round.
    other_ordinal: bool = False
    # Where (document offset) a clause about a later event begins, after a clause reporting
    # this round: "... ended on Tuesday, and the next meeting will be held in Sochi in July".
    other_event_from: int | None = None
    # "The meeting came days after the envoy ended a session of talks": the round it names is
    # an earlier one, set against the event the sentence reports.
    after_other_round: bool = False

    @property
    def best_series(self) -> str | None:
        named = {k: v for k, v in self.series_scores.items() if k != "other" and v > 0}
        if not named:
            return None
        return max(named, key=lambda k: named[k])

    @property
    def names_a_round(self) -> bool:
        """A sentence about some round of talks: head noun plus a series cue or an ordinal."""
        if self.leaders_meeting and not self.has_round_head:
            return False  # "the trilateral summit of the Astana guarantors" is not a round
        has_series = any(v > 0 for v in self.series_scores.values())
        # "the first meeting since 2011" / "in this format" counts meetings, not rounds.
        numbered = any(not o.counts_since for o in self.ordinals)
        if self.has_round_head and (has_series or numbered):
            return True
        # "The Constitutional Committee will convene ...": a strong series name acting as the
        # event's subject stands for its round.
        return max(self.series_scores.values(), default=0) >= 3 and bool(self.status)

    @property
    def about_other_round(self) -> bool:
        """Speaks of a previous or next round rather than this one."""
        if self.other_ordinal or self.after_other_round:
            return True
        if "next_round" in self.status and self.other_event_from is None:
            return True
        return bool(self.ordinals) and all(o.other_round for o in self.ordinals)


def mark_other_ordinals(
    sentences: list[SentenceCues], value: int, main: SentenceCues
) -> list[SentenceCues]:
    """Once the reported round's ordinal is known, a sentence numbering only other rounds ("The
    second meeting, on February 15-16, ...", "due to hold their 18th meeting") is background
    about those rounds: its dates, venue and participants are not this round's."""
    marked = []
    for cues in sentences:
        if (
            cues.index != main.index
            and any(not o.counts_since for o in cues.ordinals)
            and all(o.value != value for o in cues.ordinals if not o.counts_since)
        ):
            cues = replace(cues, other_ordinal=True)
        marked.append(cues)
    return marked


def sentence_cues(index: int, start: int, end: int, text: str, in_title: bool) -> SentenceCues:
    lexicon = load_lexicon()
    live = lexicon.sentence_groups.may_match(text)
    scores = _series_scores(lexicon, text, live)
    other = sum(_count(p, text, live) for p in lexicon.other_conflicts.values())
    pattern = lexicon.leaders_meeting
    leaders = [m.span() for m in pattern.finditer(text)] if pattern else []
    head_matches = [
        m
        for m in lexicon.round_head.finditer(text)
        if not any(first <= m.start() < last for first, last in leaders)
    ]
    if lexicon.non_talks_event and lexicon.non_talks_event.search(text):
        head_matches = [m for m in head_matches if m.group(0).lower() not in GENERIC_EVENT_HEADS]
    heads = tuple(m.group(0).lower() for m in head_matches)
    if heads and set(heads) <= WEAK_HEADS and (dateline := DATELINE_PREFIX.match(text)):
        body = text[dateline.end() :]
        scores = _series_scores(lexicon, body, lexicon.sentence_groups.may_match(body))
    plural = [m.span() for m in lexicon.series_level.finditer(text)] if lexicon.series_level else []
    # Both the status cue and the later-event clause look for "next round" phrases.
    next_rounds = (
        list(lexicon.status["next_round"].regex.finditer(text))
        if lexicon.status["next_round"] in live
        else []
    )
    return SentenceCues(
        index=index,
        start=start,
        end=end,
        text=text,
        in_title=in_title,
        has_round_head=bool(heads),
        series_scores=scores,
        ordinals=tuple(
            o  # "the first meeting between Presidents X and Y" numbers no round
            for o in find_ordinals(text, start)
            if not any(o.start - start < last and o.end - start > first for first, last in leaders)
        ),
        syria=len(lexicon.syria.findall(text)),
        other_conflict=other,
        status=frozenset(
            name
            for name, p in lexicon.status.items()
            if p in live and _has_cue(name, p, text, next_rounds)
        ),
        round_heads=heads,
        leaders_meeting=bool(leaders),
        series_level=bool(plural)
        and all(
            any(a <= m.start() < b for a, b in plural) or _bare_plural(text, m)
            for m in head_matches
        ),
        other_event_from=_later_event_clause(text, start, lexicon, next_rounds),
        after_other_round=_after_other_round(text, head_matches, lexicon),
    )


def _count(pattern: Prefiltered, text: str, live: AbstractSet[Prefiltered]) -> int:
    """Matches of a pattern of `Lexicon.sentence_groups` in `text`; `live` are the patterns
    that may match it, so the others are not run."""
    return len(pattern.regex.findall(text)) if pattern in live else 0


def _series_scores(lexicon: Lexicon, text: str, live: AbstractSet[Prefiltered]) -> dict[str, float]:
    """Each series' weighted cue count: `sum(weight * count)` over its cues, in their order.
    A cue that cannot match adds `weight * 0`, which leaves a float sum as it is, so only the
    `live` ones are counted; the sum starts as the float it becomes after its first cue."""
    scores: dict[str, float] = {}
    for series, cues in lexicon.series.items():
        score = 0.0 if cues else 0
        for pattern, weight in cues:
            if pattern in live:
                score += weight * len(pattern.regex.findall(text))
        scores[series] = score
    return scores


def _after_other_round(text: str, heads: list[re.Match[str]], lexicon: Lexicon) -> bool:
    """A round named inside "days after <it> ended" is an earlier one; the sentence reports
    another event unless a talks noun outside that clause names its own round ("The talks
    opened on Monday, two weeks after the last session ended")."""
    if lexicon.after_other_round is None:
        return False
    # The clause runs on past its verb to the round it names: "ended a session of talks".
    clauses = [(m.start(), len(text)) for m in lexicon.after_other_round.finditer(text)]
    inside = [m for m in heads if any(a <= m.start() < b for a, b in clauses)]
    outside = [m.group(0).lower() for m in heads if m not in inside]
    return bool(inside) and all(h in GENERIC_EVENT_HEADS for h in outside)


# A future event verb: what follows it is about an event still to come ("the Congress will be
# held in Sochi on January 29-30", "next round to move to Sochi").
FUTURE_EVENT = prefiltered(
    r"\b(?:will|would|shall|is to|are to|to)\s+(?:be\s+)?(?:held|hosted|take place|convene|"
    r"reconvene|meet|open|begin|start|resume|move|gather)\b",
    re.IGNORECASE,
)


# A determiner or event adjective before a plural head makes it one event ("the talks", "new
# negotiations"); without one it is generic ("a venue for difficult negotiations").
DETERMINED = re.compile(
    r"\b(?:the|these|those|this|its|their|his|her|our|new|latest|current|fresh|peace|"
    r"Syria|Syrian|UN|U\.N\.)\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


def _bare_plural(text: str, head: re.Match[str]) -> bool:
    """A plural head noun used generically, next to a counted series of rounds: "a venue for
    difficult negotiations, including the Astana process, ... twenty rounds of meetings"."""
    return head.group(0).lower() in {"talks", "negotiations", "consultations", "discussions"} and (
        not DETERMINED.search(text[max(0, head.start() - 40) : head.start()])
    )


def _later_event_clause(
    text: str, offset: int, lexicon: Lexicon, next_rounds: list[re.Match[str]]
) -> int | None:
    """The offset of a next-round phrase (`next_rounds`, the matches of that status cue) or
    future event verb that follows a clause reporting a round as having happened ("The ninth
    round ended on Tuesday, ... announcing that the next meeting would be held in Sochi"); None
    when the sentence has no such later clause."""
    later = [m.start() for m in next_rounds]
    later += [m.start() for m in FUTURE_EVENT.finditer(text)]
    if not later:
        return None
    cut = min(later)
    before = text[:cut]
    if not lexicon.round_head.search(before):
        return None
    happened = any(
        _has_cue(name, lexicon.status[name], before) for name in ("concluded", "opened", "ongoing")
    )
    return offset + cut if happened else None


def _opened_new_round(text: str, match: re.Match[str]) -> bool:
    """A "new round" phrase that reports this round as opening ("opened a new round of talks",
    "a new round of negotiations began") rather than announcing the next one ("will open a new
    round", "a new round is expected next month")."""
    if OPENED_BEFORE.search(text[max(0, match.start() - 40) : match.start()]):
        return not FUTURE_GOVERNED.search(text[max(0, match.start() - 60) : match.start()])
    if match.group(0).split()[0].lower() not in {"new", "another"}:
        return False  # "the next round", "the following session" are never this one
    verb = OPENED_AFTER.match(text, match.end())
    return verb is not None and not FUTURE_GOVERNED.search(
        text[max(0, verb.start(1) - 30) : verb.start(1)]
    )


def _has_cue(
    name: str, pattern: Prefiltered, text: str, next_rounds: list[re.Match[str]] | None = None
) -> bool:
    """Whether the status cue `name` (its `pattern`) holds in `text`; for "next_round", the
    pattern's matches in `text` may be given (`next_rounds`)."""
    if name == "next_round":
        matches = pattern.finditer(text) if next_rounds is None else next_rounds
        return any(not _opened_new_round(text, m) for m in matches)
    if name not in HAPPENED_CUES:
        return bool(pattern.search(text))
    return any(
        not FUTURE_GOVERNED.search(text[max(0, m.start() - 30) : m.start()])
        for m in pattern.finditer(text)
    )
