"""Who took part in the round, and in which role.

Only sentences about this round count: the lead sentence, sentences naming the round, and
sentences with participation words (delegation, attended, observer, envoy ...). Sentences about
the battlefield, hypotheticals ("could join", "states such as"), sentences about another series,
other rounds, or other times (a date far from the round's) are context, not attendance.
Within a counted sentence a mention is dropped when it is a backer ("backed by Russia") and
marked absent when an absence cue ("abstained from sending", "boycotted") stands next to it.
The venue's country is the host; hosts that only host are not reported as actors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from pipelines.extraction.actors import ActorMention, load_registry
from pipelines.extraction.cues import SentenceCues, load_lexicon
from pipelines.extraction.dates import YEAR_ONLY, DateMention, find_dates
from pipelines.extraction.venues import venue_by_name

UN_MEDIATED_SERIES = frozenset({"geneva", "constitutional_committee"})
NOT_ATTENDING_ROLES = frozenset({"host", "absent/boycotting"})
# How far (characters) an absence or backer cue reaches from the actor it concerns.
ABSENCE_REACH_AFTER = 80
ABSENCE_REACH_BEFORE = 25
OTHER_TIME_DAYS = 30


@dataclass(frozen=True)
class Participant:
    actor: str  # canonical name, or the surface text of an unlinked name
    role: str
    linked: bool
    sentence: int
    start: int
    end: int


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
        if lexicon.context_only.search(text) and not participation:
            continue
        if _about_other_time(text, cues.start, round_start or reference, round_start, reference):
            continue
        if (
            _only_envoy_cue(text)
            and not cues.has_round_head
            and cues.index not in trio
            and _dated_off_round(text, cues.start, round_start, reference)
        ):
            continue  # "On 29 October, the ministers met the envoy": another meeting
        if participation or (cues.names_a_round and cues.has_round_head) or cues.index in trio:
            counted.add(cues.index)
    return counted


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


def assign_roles(
    mentions: list[ActorMention],
    document: str,
    sentences: list[SentenceCues],
    counted: set[int],
    series: str | None,
    venue_country: str | None,
) -> list[Participant]:
    registry = load_registry()
    by_index = {s.index: s for s in sentences}
    participants = []
    for mention in mentions:
        if mention.sentence not in by_index:
            continue
        mediators_only = -mention.sentence - 1 in counted
        if mention.sentence not in counted and not mediators_only:
            continue
        if mediators_only and "United Nations" not in mention.reported_as:
            continue
        sentence = by_index[mention.sentence]
        before = document[max(sentence.start, mention.start - ABSENCE_REACH_BEFORE) : mention.start]
        after = document[mention.end : min(sentence.end, mention.end + ABSENCE_REACH_AFTER)]
        if _is_backer(
            document[sentence.start : mention.start], document[mention.end : sentence.end]
        ):
            continue
        if _in_composition(
            document[sentence.start : mention.start], document[mention.end : sentence.end]
        ):
            continue
        preceding = document[sentence.start : mention.start]
        if (
            MILITARY_AFTER.match(document[mention.end : sentence.end])
            or TOPIC_BEFORE.search(preceding)
            or TITLE_BEFORE.search(preceding)
        ):
            continue
        actor = registry.actors.get(mention.actor_id) if mention.actor_id else None
        if mention.canonical is None and mention.type in {"place", "group"}:
            continue  # an unlinked place or nationality is not a participant
        if FORMER_BEFORE.search(preceding[-40:]) or LEFT_POST_AFTER.match(
            document[mention.end : sentence.end]
        ):
            continue  # "a former UN envoy, X, left the post": no longer at the table
        role = _role(mention, actor, sentence.text, before, after, series, venue_country)
        participants.append(
            Participant(
                actor=mention.canonical or mention.surface,
                role=role,
                linked=mention.canonical is not None,
                sentence=mention.sentence,
                start=mention.start,
                end=mention.end,
            )
        )
    return participants


# "backed by Russia, Iran and Hezbollah": the cue governs a short coordinated list. The other
# way round, "supporters of President Assad" or "fighters loyal to Damascus" name whom a group
# backs, not a party present.
BACKER_LIST_BEFORE = re.compile(
    r"\b(?:(?:backed|supported|armed|sponsored) by|supporters of|loyal to|loyalists of)\s+"
    r"(?:the\s+)?(?:(?:President|Syrian President|leader)\s+)?(?:[\w.'’-]+(?:\s[\w.'’-]+)?,?\s+"
    r"(?:and\s+|as well as\s+)?){0,4}$"
)
BACKER_AFTER = re.compile(r"^[-\s](?:backed|supported|armed|sponsored)\b")


# "American forces", "Turkey's military incursion", "Russian air strikes": a country named as the
# owner of troops or of an operation is a party to the fighting, not a delegation at the table,
# whatever participation word the sentence also has.
MILITARY_AFTER = re.compile(
    r"^(?:['’]s?)?[\s-]+(?:(?:military|armed|air|ground|naval|special|security|occupation|-?led|"
    r"backed)\s+)?(?:forces|troops|soldiers|army|jets|warplanes|air ?strikes?|strikes|"
    r"military(?!\s+(?:delegation|delegates|officials|experts|team|representatives|advis))|"
    r"bombing|bombardment|shelling|offensive|incursion|invasion|operations?|occupation|"
    r"militias?|fighters|bases?|deployment)\b",
    re.IGNORECASE,
)
# "condemning Turkey's incursion", "discussed Iran's proposal": the object of a verb of
# judging or discussing is a topic of the talks, not a participant.
TOPIC_BEFORE = re.compile(
    r"\b(?:condemn(?:s|ed|ing)?|denounc(?:e|es|ed|ing)|discuss(?:es|ed|ing)?|"
    r"criticis(?:e|es|ed|ing)|criticiz(?:e|es|ed|ing)|deplor(?:e|es|ed|ing))\s+(?:the\s+)?$",
    re.IGNORECASE,
)


# "Damascus' ambassador to the United Nations": an organisation inside a person's title is where
# the person serves, not a party at the table.
TITLE_BEFORE = re.compile(
    r"\b(?:ambassadors?|envoys?|representatives?|emissar(?:y|ies)|permanent (?:mission|observer))"
    r"\s+(?:to|at)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


# A former office holder, or one who has left it, does not attend for that office.
FORMER_BEFORE = re.compile(r"\b(?:former|ex-|erstwhile)\s+(?:[\w.'’-]+,?\s+){0,3}$", re.I)
LEFT_POST_AFTER = re.compile(
    r"^[\s,]*(?:who\s+)?(?:has\s+|had\s+)?(?:left (?:the|his|her) (?:post|job|role)|"
    r"stepped down|resigned|quit)\b",
    re.IGNORECASE,
)


# "..., UN envoy Staffan de Mistura said": the speaker of a reporting clause.
SPEAKER_AFTER = re.compile(r"^\s*(?:[\w.'’-]+\s+){0,2}?(?:said|says|told|added|noted|stated)\b")


def _in_composition(before: str, after: str) -> bool:
    """Names after a composition word are what a body is made of (the topic), not who attends:
    "the list of civil society members", "a committee comprising government, opposition and
    civil society". The speaker of a reporting clause after it is not part of the list."""
    lexicon = load_lexicon()
    if lexicon.composition is None or not lexicon.composition.search(before):
        return False
    return not SPEAKER_AFTER.match(after)


# "a separate arrangement brokered by the United States, Russia and Jordan": the makers of a
# deal other than the round (a truce, a zone) are its backers, a topic of the talks; "talks
# mediated by the UN" names the round's mediator and stays.
AGREEMENT_BY_BEFORE = re.compile(
    r"\b(?P<noun>[\w-]+)\s+(?:brokered|agreed|mediated|negotiated|drawn up|guaranteed)\s+by\s+"
    r"(?:the\s+)?(?:[\w.'’-]+(?:\s[\w.'’-]+)?,?\s+(?:and\s+|as well as\s+)?){0,4}$"
)


def _is_backer(before: str, after: str) -> bool:
    if BACKER_LIST_BEFORE.search(before[-80:]) or BACKER_AFTER.match(after):
        return True
    deal = AGREEMENT_BY_BEFORE.search(before[-100:])
    return bool(deal) and not load_lexicon().round_head.fullmatch(deal.group("noun"))


# "weighs a boycott", "threatened to boycott": an absence considered, not one that happened.
ABSENCE_HEDGE_BEFORE = re.compile(
    r"\b(?:weigh(?:s|ed|ing)?|consider(?:s|ed|ing)?|mull(?:s|ed|ing)?|threat(?:en|ens|ened|ening)|"
    r"debat(?:e|es|ed|ing)|decid(?:e|es|ed|ing) (?:whether|on)|may|might|could)\s+"
    r"(?:(?:a|an|the|its|their|to)\s+)?(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
# A place naming the event boycotted: "a Sochi boycott", "a boycott of the Sochi congress".
ABSENCE_PLACE_BEFORE = re.compile(r"\b([A-Z][\w-]+)\s+$")
ABSENCE_PLACE_AFTER = re.compile(r"^\s+(?:of|from)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?([A-Z][\w-]+)\b")


def _absence_elsewhere(text: str, cue: re.Match[str], venue_country: str | None) -> bool:
    """An absence cue that is only considered, or whose object is an event held elsewhere
    ("the opposition weighs a Sochi boycott" in a report of talks in Vienna), is not absence
    from this round."""
    before, after = text[: cue.start()], text[cue.end() :]
    if ABSENCE_HEDGE_BEFORE.search(before[-40:]):
        return True
    if venue_country is None:
        return False
    for match in (ABSENCE_PLACE_BEFORE.search(before), ABSENCE_PLACE_AFTER.match(after)):
        place = venue_by_name(match.group(1)) if match else None
        if place is not None and place.country != venue_country:
            return True
    return False


def _is_absent(before: str, after: str, venue_country: str | None) -> bool:
    lexicon = load_lexicon()
    return any(
        not _absence_elsewhere(text, cue, venue_country)
        for text in (after, before)
        for cue in lexicon.absence.finditer(text)
    )


def _role(mention, actor, sentence, before, after, series, venue_country) -> str:
    lexicon = load_lexicon()
    if _is_absent(before, after, venue_country):
        return "absent/boycotting"
    is_guarantor = actor is not None and series in actor.guarantor_of
    if actor is not None and actor.name == venue_country and not is_guarantor:
        return "host"
    if not is_guarantor and _hosts(after, lexicon) and not lexicon.participation.search(after[:30]):
        return "host"
    if is_guarantor:
        # The registry says who guarantees a format (Russia, Turkey and Iran for Astana): at
        # one of its rounds they sit as guarantors whatever verb the sentence uses, even when
        # one of them hosts it ("Russia hosted the Astana-format round in Sochi").
        return "guarantor/sponsor"
    if lexicon.observer.search(sentence):
        return "observer"
    if (
        actor is not None
        and ("United Nations" in mention.reported_as)
        and (actor.type == "person" or lexicon.mediator.search(sentence))
    ):
        return "mediator/envoy"
    return "delegation"


def _hosts(after: str, lexicon) -> bool:
    """ "Kazakhstan, which hosts ..." or "Kazakhstan hosted ...": the host verb belongs to this
    mention only when at most two words and no clause break stand between them."""
    cue = lexicon.host.search(after[:30])
    if cue is None:
        return False
    between = after[: cue.start()]
    return not re.search(r"[;.]|,\s*(?:while|and|but|as)\b", between) and len(between.split()) <= 2


def reported_actors(
    participants: list[Participant],
    mentions: list[ActorMention],
    headline: frozenset[int] = frozenset(),
) -> list[str]:
    """Canonical names for the `actors` field: attending participants and their affiliations,
    minus anyone reported absent. An absence in the headline (sentence indices `headline`)
    yields to attendance the body reports: headlines compress and speculate."""
    reported_as = {(m.start, m.end): m.reported_as for m in mentions}
    absent: set[str] = set()
    headline_absent: set[str] = set()
    attending_in_body: set[str] = set()
    names: list[str] = []
    for participant in participants:
        if not participant.linked:
            continue
        groups = reported_as.get((participant.start, participant.end), ())
        if participant.role == "absent/boycotting":
            (headline_absent if participant.sentence in headline else absent).update(groups[:1])
            continue
        if participant.role not in NOT_ATTENDING_ROLES and participant.sentence not in headline:
            attending_in_body.update(groups[:1])
        if participant.role in NOT_ATTENDING_ROLES:
            continue
        for name in groups:
            if name not in names:
                names.append(name)
    absent |= headline_absent - attending_in_body
    return [name for name in names if name not in absent]
