"""Who took part in the round, and in which role.

Only the sentences `attendance.counted_sentences` picks count. Within a counted sentence a
mention is dropped when it is a backer ("backed by Russia"), a topic ("condemning Turkey's
incursion"), part of a title ("ambassador to the United Nations") or a former office holder,
and marked absent when an absence cue ("abstained from sending", "boycotted") stands next to it.
The venue's country is the host; hosts that only host are not reported as actors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.extraction.actors import ActorMention, load_registry
from pipelines.extraction.cues import SentenceCues, load_lexicon
from pipelines.extraction.prefilter import prefiltered
from pipelines.extraction.venues import venue_by_name

NOT_ATTENDING_ROLES = frozenset({"host", "absent/boycotting"})
# How far (characters) an absence or backer cue reaches from the actor it concerns.
ABSENCE_REACH_AFTER = 80
ABSENCE_REACH_BEFORE = 25


@dataclass(frozen=True)
class Participant:
    actor: str  # canonical name, or the surface text of an unlinked name
    role: str
    linked: bool
    sentence: int
    start: int
    end: int


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
        if mention.canonical is None and mention.type in {"place", "group"}:
            continue  # an unlinked place or nationality is not a participant
        sentence = by_index[mention.sentence]
        preceding = document[sentence.start : mention.start]
        following = document[mention.end : sentence.end]
        if _is_backer(preceding, following) or _in_composition(preceding, following):
            continue
        if (
            MILITARY_AFTER.match(following)
            or TOPIC_BEFORE.search(preceding)
            or TITLE_BEFORE.search(preceding)
            or _adjective_on_other_event(mention, following, series)
        ):
            continue
        if FORMER_BEFORE.search(preceding[-40:]) or LEFT_POST_AFTER.match(following):
            continue  # "a former UN envoy, X, left the post": no longer at the table
        actor = registry.actors.get(mention.actor_id) if mention.actor_id else None
        before = document[max(sentence.start, mention.start - ABSENCE_REACH_BEFORE) : mention.start]
        after = document[mention.end : min(sentence.end, mention.end + ABSENCE_REACH_AFTER)]
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


# The patterns searched for in the text around every counted mention need words that few
# sentences have ("backed", "condemned", "ambassador", "neither"): they are prefiltered (see
# `prefilter`), so that most searches end before the scan.

# "backed by Russia, Iran and Hezbollah": the cue governs a short coordinated list. The other
# way round, "supporters of President Assad" or "fighters loyal to Damascus" name whom a group
# backs, not a party present.
BACKER_LIST_BEFORE = prefiltered(
    r"\b(?:(?:backed|supported|armed|sponsored) by|supporters of|loyal to|loyalists of)\s+"
    r"(?:the\s+)?(?:(?:President|Syrian President|leader)\s+)?(?:[\w.'’-]+(?:\s[\w.'’-]+)?,?\s+"
    r"(?:and\s+|as well as\s+)?){0,4}$"
)
BACKER_AFTER = re.compile(r"^[-\s](?:backed|supported|armed|sponsored)\b")


# "American forces", "Turkey's military incursion", "Russian air strikes": a country named as the
# owner of troops or of an operation is a party to the fighting, not a delegation at the table,
# whatever participation word the sentence also has.
MILITARY_AFTER = re.compile(
    r"^(?:['’]s?)?[\s-]+"
    # "the US and Turkish occupation forces": a coordinated nationality before the modifier.
    r"(?:and\s+(?:the\s+)?(?-i:[A-Z])[\w-]*(?:['’]s)?\s+)?"
    r"(?:(?:military|armed|air|ground|naval|special|security|occupation|-?led|"
    r"backed)\s+)?(?:forces|troops|soldiers|army|jets|warplanes|air ?strikes?|strikes|"
    r"military(?!\s+(?:delegation|delegates|officials|experts|team|representatives|advis))|"
    r"bombing|bombardment|shelling|offensive|incursion|invasion|operations?|occupation|"
    r"militias?|fighters|bases?|deployment)\b",
    re.IGNORECASE,
)
# "condemning Turkey's incursion", "discussed Iran's proposal": the object of a verb of
# judging or discussing is a topic of the talks, not a participant.
TOPIC_BEFORE = prefiltered(
    r"\b(?:condemn(?:s|ed|ing)?|denounc(?:e|es|ed|ing)|discuss(?:es|ed|ing)?|"
    r"criticis(?:e|es|ed|ing)|criticiz(?:e|es|ed|ing)|deplor(?:e|es|ed|ing))\s+(?:the\s+)?$",
    re.IGNORECASE,
)


# "Damascus' ambassador to the United Nations": an organisation inside a person's title is where
# the person serves, not a party at the table.
TITLE_BEFORE = prefiltered(
    r"\b(?:ambassadors?|envoys?|representatives?|emissar(?:y|ies)|permanent (?:mission|observer))"
    r"\s+(?:to|at)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


# "days before the Russian congress": a nationality adjective on another event names who holds
# that event, not a party at this round's table.
DEMONYM = re.compile(r"(?:ian|ish|ese|qi)$")
OTHER_EVENT_AFTER = re.compile(
    r"^\s+(?P<noun>congress|conference|summit|forum|gathering|initiative|plan|proposal)\b",
    re.IGNORECASE,
)
# The event nouns a series' own rounds go by: "the Russian congress" in a report of Sochi.
SERIES_EVENT_NOUNS = {"sochi": frozenset({"congress", "conference", "gathering"})}


def _adjective_on_other_event(mention, after: str, series: str | None) -> bool:
    match = OTHER_EVENT_AFTER.match(after)
    if match is None or not DEMONYM.search(mention.surface):
        return False
    return match.group("noun").lower() not in SERIES_EVENT_NOUNS.get(series or "", frozenset())


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
AGREEMENT_BY_BEFORE = prefiltered(
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
# "would stay away unless ...": a condition, not an absence.
ABSENCE_CONDITION_AFTER = re.compile(r"^[^.;]{0,60}?\bunless\b", re.IGNORECASE)
# An absence from another round is not absence from this one.
ABSENCE_OTHER_ROUND_AFTER = re.compile(
    r"^\s+(?:from|of|at)\s+(?:the|its|their|a)\s+(?:previous|last|earlier|prior|next|coming|"
    r"upcoming|following|other|another)\b",
    re.IGNORECASE,
)
# "Neither the government nor the opposition was present": both named parties are absent.
NEITHER_NOR_ABSENT = prefiltered(
    r"\bneither\b[^.;]{0,80}\bnor\b[^.;]{0,60}?\b(?:(?:was|were)\s+(?:present|represented|"
    r"invited|there)|took part|attended|sent\s+(?:a\s+)?delegations?)\b",
    re.IGNORECASE,
)
# "the absence of the rebels": absent is the party named right after, not the speaker.
ABSENCE_OF_BEFORE = prefiltered(r"\b(?:the|their|its)\s+absence\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# A place naming the event boycotted: "a Sochi boycott", "a boycott of the Sochi congress".
ABSENCE_PLACE_BEFORE = re.compile(r"\b([A-Z][\w-]+)\s+$")
ABSENCE_PLACE_AFTER = re.compile(r"^\s+(?:of|from)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?([A-Z][\w-]+)\b")


def _absence_elsewhere(text: str, cue: re.Match[str], venue_country: str | None) -> bool:
    """An absence cue that is only considered, or whose object is an event held elsewhere
    ("the opposition weighs a Sochi boycott" in a report of talks in Vienna), is not absence
    from this round."""
    before, after = text[: cue.start()], text[cue.end() :]
    if ABSENCE_HEDGE_BEFORE.search(before[-40:]) or ABSENCE_CONDITION_AFTER.match(after):
        return True
    if ABSENCE_OTHER_ROUND_AFTER.match(after):  # "stayed away from the previous session"
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
    if NEITHER_NOR_ABSENT.search(f"{before} X {after}") or ABSENCE_OF_BEFORE.search(before):
        return True
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
