"""The actor registry (`schemas/actors.json`) and linking of actor mentions in a text.

Registry names become EntityRuler patterns (see `nlp.load_nlp`), so linking here only reads the
annotation: an entity with a registry id is checked against the alias's date range and the
metonym and generic-word rules; an NER name the registry lacks is kept as an unlinked mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from pipelines.extraction.data import load_schema_data

if TYPE_CHECKING:
    from pipelines.extraction.nlp import Annotation

REGISTRY_FILE = "actors.json"
ENTITY_LABEL_BY_TYPE = {
    "state": "GPE",
    "government": "ORG",
    "opposition body": "ORG",
    "armed group": "ORG",
    "international organisation": "ORG",
    "person": "PERSON",
}
# NER labels kept as unlinked actors, and the actor type each stands for.
UNLINKED_TYPE_BY_LABEL = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "NORP": "group",
}
# A place name right after these words is a place, not the state it could stand for.
LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|to|into|near|outside|around|across|toward|towards|via|visited|visit|visiting)\s+$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Alias:
    text: str
    valid_from: date | None = None
    valid_until: date | None = None
    generic: bool = False

    def valid_on(self, day: date | None) -> bool:
        if day is None:
            return True
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day >= self.valid_until)


@dataclass(frozen=True)
class DatedName:
    name: str
    valid_from: date | None
    valid_until: date | None


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    type: str
    reportable: bool
    aliases: tuple[Alias, ...]
    metonyms: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    names: tuple[DatedName, ...] = ()
    guarantor_of: tuple[str, ...] = ()

    def name_on(self, day: date | None) -> str:
        """The canonical name in use on `day` (the latest name when the date is unknown)."""
        if not self.names:
            return self.name
        if day is None:
            return self.names[-1].name
        for dated in self.names:
            after_start = dated.valid_from is None or day >= dated.valid_from
            before_end = dated.valid_until is None or day < dated.valid_until
            if after_start and before_end:
                return dated.name
        return self.names[-1].name


@dataclass(frozen=True)
class ActorRegistry:
    actors: dict[str, Actor]
    generic_blockers: frozenset[str]
    # Every linked name asks for its alias and its reported names: both are looked up in tables
    # made once, not searched for in the actor's aliases and affiliations each time.
    _aliases: dict[tuple[str, str], Alias] = field(init=False, repr=False, compare=False)
    _reported: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        aliases: dict[tuple[str, str], Alias] = {}
        for actor_id, actor in self.actors.items():
            for alias in actor.aliases:  # the first alias written or capitalised so wins
                aliases.setdefault((actor_id, alias.text), alias)
                aliases.setdefault((actor_id, _capitalised(alias.text)), alias)
        object.__setattr__(self, "_aliases", aliases)
        reported = {actor_id: self._affiliated_names(actor_id) for actor_id in self.actors}
        object.__setattr__(self, "_reported", reported)

    def alias(self, actor_id: str, surface: str) -> Alias | None:
        return self._aliases.get((actor_id, surface))

    def is_metonym(self, actor_id: str, surface: str) -> bool:
        return surface in self.actors[actor_id].metonyms

    def reported_names(self, actor_id: str) -> tuple[str, ...]:
        """Reportable canonical names of the actor and, transitively, its affiliations."""
        found = self._reported.get(actor_id)
        return self._affiliated_names(actor_id) if found is None else found

    def _affiliated_names(self, actor_id: str) -> tuple[str, ...]:
        seen: list[str] = []
        stack = [actor_id]
        visited: set[str] = set()
        while stack:
            current = stack.pop(0)
            if current in visited or current not in self.actors:
                continue
            visited.add(current)
            actor = self.actors[current]
            if actor.reportable and actor.name not in seen:
                seen.append(actor.name)
            stack.extend(actor.affiliations)
        return tuple(seen)


@dataclass(frozen=True)
class ActorMention:
    canonical: str | None  # None: a name NER found that the registry lacks
    actor_id: str | None
    type: str
    surface: str
    start: int
    end: int
    sentence: int
    metonym: bool = False
    reported_as: tuple[str, ...] = field(default=())


def _parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _alias(entry: str | dict[str, Any]) -> Alias:
    if isinstance(entry, str):
        return Alias(entry)
    return Alias(
        text=entry["text"],
        valid_from=_parse_date(entry.get("from")),
        valid_until=_parse_date(entry.get("until")),
        generic=bool(entry.get("generic", False)),
    )


def registry_from_data(data: dict[str, Any]) -> ActorRegistry:
    actors: dict[str, Actor] = {}
    for entry in data["actors"]:
        actors[entry["id"]] = Actor(
            id=entry["id"],
            name=entry["name"],
            type=entry["type"],
            reportable=bool(entry.get("reportable", False)),
            aliases=tuple(_alias(a) for a in entry.get("aliases", [])),
            metonyms=tuple(entry.get("metonyms", [])),
            affiliations=tuple(entry.get("affiliations", [])),
            names=tuple(
                DatedName(n["name"], _parse_date(n.get("from")), _parse_date(n.get("until")))
                for n in entry.get("names", [])
            ),
            guarantor_of=tuple(entry.get("guarantor_of", [])),
        )
    for actor in actors.values():
        for affiliation in actor.affiliations:
            if affiliation not in actors:
                raise ValueError(f"{REGISTRY_FILE}: {actor.id}: unknown affiliation {affiliation}")
    return ActorRegistry(
        actors=actors, generic_blockers=frozenset(data.get("generic_blockers", []))
    )


@cache
def load_registry() -> ActorRegistry:
    return registry_from_data(load_schema_data(REGISTRY_FILE))


def ruler_patterns(registry: ActorRegistry | None = None) -> list[dict[str, str]]:
    """EntityRuler phrase patterns: every alias and metonym, labelled by actor type."""
    registry = registry or load_registry()
    patterns = []
    for actor in registry.actors.values():
        label = ENTITY_LABEL_BY_TYPE.get(actor.type, "ORG")
        texts = {alias.text for alias in actor.aliases} | set(actor.metonyms)
        # Sentence-initial words are capitalised: "Opposition delegates said ...".
        texts |= {_capitalised(text) for text in texts}
        patterns.extend({"label": label, "pattern": text, "id": actor.id} for text in sorted(texts))
    return patterns


def link_actors(
    text: str,
    annotation: Annotation,
    published: date | None,
    registry: ActorRegistry | None = None,
) -> list[ActorMention]:
    """Actor mentions in `text`, linked to the registry where possible, in text order."""
    registry = registry or load_registry()
    mentions = []
    for start, end, label, surface, ent_id in annotation.entities:
        sentence = annotation.sentence_index(start)
        if ent_id and ent_id in registry.actors:
            mention = _linked_mention(
                registry, text, ent_id, surface, start, end, sentence, published
            )
            if mention is not None:
                mentions.append(mention)
        elif label in UNLINKED_TYPE_BY_LABEL:
            mentions.append(
                ActorMention(
                    None, None, UNLINKED_TYPE_BY_LABEL[label], surface, start, end, sentence
                )
            )
    return mentions


def _linked_mention(
    registry: ActorRegistry,
    text: str,
    actor_id: str,
    surface: str,
    start: int,
    end: int,
    sentence: int,
    published: date | None,
) -> ActorMention | None:
    actor = registry.actors[actor_id]
    before = text[max(0, start - 40) : start]
    metonym = registry.is_metonym(actor_id, surface) or registry.is_metonym(
        actor_id, surface.title()
    )
    if metonym:
        if LOCATIVE_BEFORE.search(before) or _is_dateline(text, start, end):
            return None
        if text[end : end + 1] in {"-", "–"}:  # "Damascus-Aleppo highway": a place in a compound
            return None
        if PLATFORM_AFTER.match(text[end:]):  # "the Moscow group": opposition, not the state
            return None
    else:
        alias = registry.alias(actor_id, surface)
        if alias is not None and not alias.valid_on(published):
            return None
        if alias is not None and alias.generic and _blocked_generic(registry, before):
            return None
        if alias is not None and alias.generic and GENERIC_AS_MODIFIER_AFTER.match(text[end:]):
            return None
    return ActorMention(
        canonical=actor.name_on(published),
        actor_id=actor_id,
        type=actor.type,
        surface=surface,
        start=start,
        end=end,
        sentence=sentence,
        metonym=metonym,
        reported_as=registry.reported_names(actor_id),
    )


# A city naming an opposition platform: "the Moscow platform", also as the first of a pair
# ("the Moscow and Cairo platforms", where the noun follows the second city).
PLATFORM_AFTER = re.compile(r"^(?:\s+(?:and|or)\s+[A-Z][\w-]+)?\s+(?:groups?|platforms?)\b")


# "the government flag", "regime media", "government-held areas": a generic word ("government",
# "regime", "opposition") as the modifier of a thing or a place names no party at the table.
GENERIC_AS_MODIFIER_AFTER = re.compile(
    r"^(?:-(?:held|controlled)\b|(?:\s+|-)(?:flags?|logos?|emblems?|banners?|symbols?|media|newspapers?|television|TV|"
    r"radio|news|websites?|agency|buildings?|offices|headquarters|areas?|territory|territories|"
    r"positions|checkpoints|strongholds?|bombardment|shelling|offensive|"
    r"airstrikes?|air strikes?|forces|troops|soldiers|jets|warplanes|prisons?|jails?|"
    r"crackdown|policies|policy|propaganda|salaries|budget)\b)"
)


def _blocked_generic(registry: ActorRegistry, before: str) -> bool:
    """'the Yemeni government': a generic word qualified by another state is not Syria's."""
    words = re.findall(r"[\w.'-]+", before)
    return bool(words) and words[-1] in registry.generic_blockers


def _is_dateline(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return start == line_start and text[start:end].isupper()
