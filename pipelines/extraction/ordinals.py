"""Ordinals that number a round: "fourth round", "8th session", "Astana 10", "Geneva IV",
"the 19th International Meeting", "special round 9".

Each mention records why it may not be this round's: an ordinal right after "previous", "next",
"last" ... names another round; "the first round of talks since April 2016" counts rounds since a
date, not the series; "the 11th session in March 2020" is dated, and the caller compares that
date with the round's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pipelines.extraction.data import load_schema_data
from pipelines.extraction.prefilter import (
    fold,
    fold_word,
    prefiltered,
    shortest_forms,
    word_alternation,
)

_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
          "seventeenth", "eighteenth", "nineteenth"]  # fmt: skip
ORDINAL_WORDS: dict[str, int] = {word: i + 1 for i, word in enumerate(_UNITS)}
ORDINAL_WORDS.update({word: i + 10 for i, word in enumerate(_TEENS)})
ORDINAL_WORDS["twentieth"] = 20
ORDINAL_WORDS["thirtieth"] = 30
# "the inaugural session of the Constitutional Committee" numbers the first round.
ORDINAL_WORDS["inaugural"] = 1
for _tens_word, _tens in (("twenty", 20), ("thirty", 30)):
    for _i, _unit in enumerate(_UNITS):
        ORDINAL_WORDS[f"{_tens_word}-{_unit}"] = _tens + _i + 1
        ORDINAL_WORDS[f"{_tens_word} {_unit}"] = _tens + _i + 1
ROMAN = {"II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
         "XI": 11, "XII": 12}  # fmt: skip

# The words as a trie (see `word_alternation`): `re` tries this at every word of a sentence with
# a head noun, and would otherwise try each of the seventy-odd words there.
_ORDINAL = rf"(?P<ordinal>{word_alternation(ORDINAL_WORDS)}|\d{{1,2}}(?:st|nd|rd|th))"
# Words that may stand between an ordinal and its head ("19th international Meeting"), but not
# words that make the ordinal count something else ("second day of talks", "first time").
_MODIFIER = (
    r"(?:(?!(?:of|in|on|the|a|for|since|to|and|day|days|time|times|year|week|month)\b)[\w'’-]+\s+)"
)
_HEAD = (
    r"(?P<head>rounds?|sessions?|meetings?|talks|negotiations|consultations|conference|congress)"
)
# Every sentence is searched for ordinals, and most name no round: the prefilters skip the scan
# of a sentence without the words a pattern needs (a head noun, a series name; see `prefilter`).
ORDINAL_BEFORE_HEAD = prefiltered(
    rf"\b{_ORDINAL}(?:[\s-]+){_MODIFIER}{{0,3}}{_HEAD}\b", re.IGNORECASE
)
# Even as a trie, the ordinal alternation tried at every word of a sentence with a head noun is the
# dearest part of `find_ordinals`: it is only tried on a sentence that also has an ordinal word
# (or a part every longer one contains: "thir|teenth", "twen|tieth") or a numeral with an
# ordinal suffix.
ORDINAL_STEMS = tuple(sorted(shortest_forms(frozenset(ORDINAL_WORDS) | {"teenth", "tieth"})))
NUMBERED = re.compile(r"\d(?:st|nd|rd|th)", re.IGNORECASE)
HEAD_BEFORE_NUMBER = prefiltered(
    r"\b(?P<head>round|session|meeting)\s+(?:No\.?\s*|number\s+)?(?P<number>\d{1,2})(?![\d,.]\d)\b",
    re.IGNORECASE,
)
# "the committee convened for the first time": "first time" numbers the round only when its
# subject is the body or the talks themselves ("Jordan attended for the first time" does not).
FIRST_TIME = prefiltered(
    r"\b(?:committee|body|talks|negotiations|round|session|congress|conference|meeting|dialogue)"
    r"\s+(?:(?:has|have|had|was|were|is|are)\s+)?(?:convened|convenes|met|meets|opened|opens|"
    r"gathered|gathers|began|begins|sat|held its first meeting|took place|takes place)"
    r"\s+(?:\w+\s+){0,2}?for\s+the\s+(?P<ordinal>first)\s+time\b",
    re.IGNORECASE,
)
SERIES_NUMBER = prefiltered(
    r"\b(?P<series>Astana|Geneva)[- ](?P<number>\d{1,2}|II|III|IV|VI{0,3}|IX|XI{0,2})(?![\w-])"
)
DATED_AFTER = re.compile(
    r"^[^.;,]{0,40}?\b(?:in|on|of)\s+(?P<when>(?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December)(?:\s+(?:19|20)\d\d)?|(?:19|20)\d\d)\b"
)


@dataclass(frozen=True)
class OrdinalMention:
    start: int
    end: int
    text: str
    value: int
    other_round: bool  # "previous, fifth round", "next round": numbers another round
    counts_since: bool  # "the first round of talks since April 2016": not the series ordinal
    dated: str | None  # "February 2021" when the phrase dates the round it numbers


def ordinal_value(word: str) -> int | None:
    word = fold_word(word).replace("–", "-")
    if word in ORDINAL_WORDS:
        return ORDINAL_WORDS[word]
    digits = re.match(r"(\d{1,2})(?:st|nd|rd|th)$", word)
    return int(digits.group(1)) if digits else None


@cache  # compiled once, not looked up in `re`'s cache for every sentence
def _cues() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = load_schema_data("round_cues.json")
    before = re.compile(data["ordinal_excluded_before"] + r"\s*,?\s*(?:the\s+)?$", re.IGNORECASE)
    after = re.compile(data["ordinal_excluded_after"], re.IGNORECASE)
    return before, after


def find_ordinals(sentence: str, offset: int = 0) -> list[OrdinalMention]:
    """Round ordinals in one sentence; offsets are shifted by `offset`."""
    excluded_before, since_after = _cues()
    mentions: list[OrdinalMention] = []
    for match in _ordinals_before_heads(sentence):
        value = ordinal_value(match.group("ordinal"))
        if value is None:
            continue
        mentions.append(
            _mention(
                sentence,
                offset,
                match.start(),
                match.end(),
                value,
                excluded_before,
                since_after if value == 1 else None,
            )
        )
    for match in HEAD_BEFORE_NUMBER.finditer(sentence):
        mentions.append(
            _mention(
                sentence,
                offset,
                match.start(),
                match.end(),
                int(match.group("number")),
                excluded_before,
                None,
            )
        )
    for match in FIRST_TIME.finditer(sentence):
        mentions.append(
            _mention(
                sentence,
                offset,
                match.start("ordinal"),
                match.end(),
                1,
                excluded_before,
                since_after,
            )
        )
    for match in SERIES_NUMBER.finditer(sentence):
        number = match.group("number")
        value = int(number) if number.isdigit() else ROMAN.get(number)
        if value:
            mentions.append(
                _mention(sentence, offset, match.start(), match.end(), value, excluded_before, None)
            )
    return sorted(mentions, key=lambda m: m.start)


def _ordinals_before_heads(sentence: str) -> Iterator[re.Match[str]]:
    """`ORDINAL_BEFORE_HEAD.finditer`, not tried on a sentence without an ordinal."""
    if ORDINAL_BEFORE_HEAD.may_match(sentence) and _has_ordinal(sentence):
        return ORDINAL_BEFORE_HEAD.regex.finditer(sentence)
    return iter(())


def _has_ordinal(sentence: str) -> bool:
    """An ordinal word (or stem) or an ordinal numeral; every ordinal of `_ORDINAL` has one."""
    folded = fold(sentence)
    for stem in ORDINAL_STEMS:  # noqa: SIM110 - a plain loop costs less than `any` here
        if stem in folded:
            return True
    return NUMBERED.search(sentence) is not None


def _mention(
    sentence: str,
    offset: int,
    start: int,
    end: int,
    value: int,
    excluded_before: re.Pattern[str],
    since_after: re.Pattern[str] | None,
) -> OrdinalMention:
    before = sentence[max(0, start - 30) : start]
    after = sentence[end:]
    other_round = bool(excluded_before.search(before))
    counts_since = since_after is not None and bool(since_after.search(after))
    dated_match = DATED_AFTER.search(after)
    return OrdinalMention(
        start=offset + start,
        end=offset + end,
        text=sentence[start:end],
        value=value,
        other_round=other_round,
        counts_since=counts_since,
        dated=dated_match.group("when") if dated_match else None,
    )
