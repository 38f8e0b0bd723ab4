"""Cheap topic relevance (no spaCy): decides which articles are worth the NLP stage.

The profile (`schemas/topic_profile.json` by default) is weighted regular expressions; the
score is a logistic of the capped, weighted counts, so one mention of Syria in a sports story
stays low while a headline about talks in Astana scores high.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

from pipelines.extraction.data import load_schema_data
from pipelines.extraction.prefilter import Prefiltered, prefiltered

DEFAULT_PROFILE = "topic_profile.json"


@dataclass(frozen=True)
class WeightedTerm:
    pattern: Prefiltered  # most articles lack most terms: the prefilter skips those scans
    weight: float
    cap: int


@dataclass(frozen=True)
class TopicProfile:
    name: str
    threshold: float
    bias: float
    title_multiplier: float
    terms: tuple[WeightedTerm, ...]


def profile_from_data(data: dict[str, Any]) -> TopicProfile:
    terms = [*data.get("terms", []), *data.get("negative_terms", [])]
    return TopicProfile(
        name=data["name"],
        threshold=float(data["threshold"]),
        bias=float(data["bias"]),
        title_multiplier=float(data.get("title_multiplier", 1.0)),
        terms=tuple(
            WeightedTerm(
                prefiltered(t["pattern"], re.IGNORECASE), float(t["weight"]), int(t["cap"])
            )
            for t in terms
        ),
    )


@cache
def load_profile(path: str | None = None) -> TopicProfile:
    """The default profile, or a JSON file with the same fields."""
    if path is None:
        return profile_from_data(load_schema_data(DEFAULT_PROFILE))
    return profile_from_data(json.loads(Path(path).read_text(encoding="utf-8")))


def relevance_score(title: str | None, text: str, profile: TopicProfile | None = None) -> float:
    profile = profile or load_profile()
    total = profile.bias
    for term in profile.terms:
        count = _count(term.pattern, text, _text_count_limit(term, profile))
        if title:
            count += profile.title_multiplier * len(term.pattern.findall(title))
        total += term.weight * min(count, term.cap)
    return 1.0 / (1.0 + math.exp(-total))


def _text_count_limit(term: WeightedTerm, profile: TopicProfile) -> int | None:
    """How many matches in the text can change the score: the count is capped, and the title
    only adds to it, so matches past the cap need not be found ("Syria" twenty times in a long
    report). None (count all) for the odd profile whose title subtracts."""
    return term.cap if term.cap >= 0 and profile.title_multiplier >= 0 else None


def _count(pattern: Prefiltered, text: str, limit: int | None) -> int:
    """Matches of `pattern` in `text`, at most `limit` of them."""
    return sum(1 for _ in islice(pattern.finditer(text), limit))


def is_relevant(title: str | None, text: str, profile: TopicProfile | None = None) -> bool:
    profile = profile or load_profile()
    return relevance_score(title, text, profile) >= profile.threshold
