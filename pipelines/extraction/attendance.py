"""Which sentences of an article say who attends the round it reports.

The lead sentence, sentences naming the round, and sentences with participation words
(delegation, attended, observer, envoy ...) whose verb governs this round. Sentences about the
battlefield, hypotheticals ("could join", "states such as"), another series, other rounds, other
times (a date far from the round's, "last week", "in 2016") or a background section are context,
not attendance; a sentence naming all the guarantors of the series together counts.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from pipelines.extraction.actors import ActorMention, load_registry
from pipelines.extraction.cues import SentenceCues, load_lexicon
from pipelines.extraction.dates import YEAR_ONLY, DateMention, find_dates

UN_MEDIATED_SERIES = frozenset({"geneva", "constitutional_committee"})
OTHER_TIME_DAYS = 30


def counted_sentences(
    sentences: list[SentenceCues],
    main: SentenceCues,
    series: str | None,
    round_start: date | None,
    reference: date | None,
    mentions: list[ActorMention] | None = None,
    background: frozenset[int] = frozenset(),
) -> set[int]:
    """Indices of sentences whose actor mentions count; a negative index -i-1 means that only
    the UN mediators mentioned in sentence i count. A sentence naming all the guarantors of the
    series together ("Russia, Turkey and Iran will set up a working group") speaks of them as
    the round's guarantors and counts like one with a participation word."""
    lexicon = load_lexicon()
    trio = _guarantor_sentences(mentions or [], series)
    counted = set()
    for cues in sentences:
        text = cues.text
        if cues.index == main.index:
            counted.add(cues.index)
            continue
        if cues.index in background:
            continue  # a background section's sentence that does not refer back to the round
        if cues.about_other_round:
            if _main_clause_attends(cues) and not _other_series(cues, series):
                counted.add(cues.index)  # "The envoy met both, and said a new session ..."
                continue
            # In UN-led series the envoy mediates every round, so a sentence where the envoy
            # speaks about the next round still shows who mediates this one.
            if series in UN_MEDIATED_SERIES and lexicon.mediator.search(text):
                counted.add(-cues.index - 1)  # negative: count only the UN mediators in it
            continue
        if _other_series(cues, series):
            continue
        if lexicon.prospective.search(text) or cues.series_level:
            continue
        participation = _participation_in_round(text)
        if not (
            participation or (cues.names_a_round and cues.has_round_head) or cues.index in trio
        ):
            continue  # nothing in it to count; the checks below (dates above all) cost more
        if lexicon.context_only.search(text) and not participation:
            continue
        if _about_other_time(text, cues.start, round_start or reference, round_start, reference):
            continue
        if (
            not cues.has_round_head
            and cues.index not in trio
            and _only_envoy_cue(text)
            and _dated_off_round(text, cues.start, round_start, reference)
        ):
            continue  # "On 29 October, the ministers met the envoy": another meeting
        counted.add(cues.index)
    return counted


def _main_clause_attends(cues: SentenceCues) -> bool:
    """The other round is named only in a reported-speech complement ("..., and said he hoped
    a new session could be agreed"), while the main clause before the speech verb shows
    someone taking part in this round."""
    lexicon = load_lexicon()
    verb = lexicon.speech_verbs.search(cues.text)
    if verb is None or cues.other_ordinal or cues.after_other_round:
        return False
    main = cues.text[: verb.start()]
    if lexicon.status["next_round"].search(main) or any(
        o.start - cues.start < verb.start() for o in cues.ordinals
    ):
        return False
    if lexicon.prospective.search(main) or lexicon.context_only.search(main):
        return False
    return _participation_in_round(main)


def _other_series(cues: SentenceCues, series: str | None) -> bool:
    """A sentence whose cues point to another series: strongly ("the Geneva talks"), or with no
    cue of this round's series at all ("the envoy, speaking in Geneva, ...")."""
    own_series = cues.best_series
    if not own_series or not series or own_series == series:
        return False
    weak = cues.series_scores.get(series, 0) == 0 and not ATTENDANCE_CLAUSE.search(cues.text)
    floor = 2 if weak else 3
    return cues.series_scores[own_series] >= floor and not _attends_before_clause(
        cues.text, own_series
    )


# Where the object of a participation verb ends, and an object that names some other thing:
# "co-chaired the International Syria Support Group with Russia".
OBJECT_END = re.compile(
    r"[,;:.()]|\s(?:with|under|in|on|at|as|for|since|after|before|alongside|and|but|while|"
    r"which|who|where|to|by)\b"
)
NAMED_OBJECT = re.compile(r"^\s*(?:(?:the|a|an|its|their|this|that)\b|[A-Z])")


def _participation_in_round(text: str) -> bool:
    """A participation cue that can concern this round. A verb of taking part counts only when
    its object is a round noun or absent ("attended as observers"), not another body ("chaired
    the support group"); "involving" only after a round noun ("talks involving Iran", not
    "incidents involving Israeli air strikes")."""
    lexicon = load_lexicon()
    verbs = lexicon.transitive_participation
    for cue in lexicon.participation.finditer(text):
        verb = verbs.match(text, cue.start()) if verbs else None
        if verb is None:
            return True
        if verb.group(0).lower().startswith("involv"):
            if lexicon.round_head.search(" ".join(text[: cue.start()].split()[-2:])):
                return True
            continue
        rest = text[verb.end() :]
        end = OBJECT_END.search(rest)
        obj = rest[: end.start()] if end else rest
        if not NAMED_OBJECT.match(obj) or lexicon.round_head.search(obj):
            return True
    return False


# An attendance verb closing its clause: "X also attended, after ...", "X took part; ...".
ATTENDANCE_CLAUSE = re.compile(
    r"\b(?:attend(?:s|ed)?|took part|take part|participated|participates|was present|were present)"
    r"(?:\s+(?:the|this|that)\s+(?:\w+\s+){0,2}?(?:congress|conference|meeting|talks|session|"
    r"round|event|gathering))?\s*(?:[,;:(]|\s[-–—])",
    re.IGNORECASE,
)


def _attends_before_clause(text: str, other_series: str) -> bool:
    """ "The envoy also attended, after securing assurances that any constitutional committee
    would be formed ...": the attendance verb governs the main clause, and the other series is
    only named in a clause after it."""
    verb = ATTENDANCE_CLAUSE.search(text)
    if verb is None:
        return False
    patterns = load_lexicon().series.get(other_series, ())
    firsts = [m.start() for pattern, _ in patterns for m in pattern.finditer(text)]
    return bool(firsts) and min(firsts) >= verb.end()


def _only_envoy_cue(text: str) -> bool:
    words = [m.group(0).lower() for m in load_lexicon().participation.finditer(text)]
    return bool(words) and all(word == "envoy" for word in words)


def _dated_off_round(
    text: str, offset: int, round_start: date | None, reference: date | None
) -> bool:
    """A day-precise date before the round opened, or after the report, dates another event."""
    if round_start is None:
        return False
    for mention in find_dates(text, offset, reference or round_start):
        if mention.day is None or mention.kind == "weekday" or mention.precision != "day":
            continue
        if mention.day < round_start or (reference and mention.day > max(reference, round_start)):
            return True
    return False


def _guarantor_sentences(mentions: list[ActorMention], series: str | None) -> set[int]:
    """Sentences that name every guarantor of the series (as the registry records them)."""
    if series is None:
        return set()
    registry = load_registry()
    guarantors = {a.id for a in registry.actors.values() if series in a.guarantor_of}
    if len(guarantors) < 2:
        return set()
    named: dict[int, set[str]] = {}
    for mention in mentions:
        actor = registry.actors.get(mention.actor_id) if mention.actor_id else None
        if actor is None or mention.metonym:
            continue
        ids = {actor.id, *actor.affiliations} & guarantors
        named.setdefault(mention.sentence, set()).update(ids)
    return {index for index, ids in named.items() if ids == guarantors}


# A relative clause still open before a date: "Iran, which guarantee the truce declared in late
# December" - the date belongs to the clause, not to the sentence's event.
RELATIVE_CLAUSE_BEFORE = re.compile(r",\s*(?:which|who|whose|that)\b[^,;:.()]*$", re.IGNORECASE)


def _about_other_time(
    text: str,
    offset: int,
    anchor: date | None,
    round_start: date | None = None,
    reference: date | None = None,
) -> bool:
    """A sentence dated away from the round: a date far from it, a relative period that ended
    before the round opened ("said in Geneva last week" in a report of its opening day), or a
    bare year other than the round's ("co-chaired the group in 2016")."""
    if anchor is None:
        return False
    for mention in find_dates(text, offset, anchor):
        if mention.kind == "weekday" or mention.day is None:
            continue
        if RELATIVE_CLAUSE_BEFORE.search(text[: mention.start - offset]):
            continue
        if abs((mention.day - anchor).days) > OTHER_TIME_DAYS:
            return True
        if mention.precision == "month" and reference and mention.day > max(reference, anchor):
            return True  # "likely in Geneva in June": a month still to come
        if mention.kind == "relative" and round_start and _period_end(mention) < round_start:
            return True
    return any(
        int(match.group("year")) != anchor.year
        and not RELATIVE_CLAUSE_BEFORE.search(text[: match.start()])
        for match in YEAR_ONLY.finditer(text)
    )


def _period_end(mention: DateMention) -> date:
    """The last day a relative phrase covers ("last week" -> that week's Sunday)."""
    assert mention.day is not None
    if mention.precision == "week":
        return mention.day + timedelta(days=6)
    if mention.precision == "month":
        following = mention.day.replace(day=28) + timedelta(days=4)
        return following - timedelta(days=following.day)
    return mention.day
