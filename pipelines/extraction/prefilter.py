"""Literal prefilters: a regular expression is not run on text that lacks every word it needs.

`re` tries a pattern at every position of a text even when a word the pattern cannot match
without ("Astana", "round", "postpone") is nowhere in it. Most cue patterns match in few
sentences, and a substring test on the lower-cased text costs a small fraction of that scan.

The words are read off the pattern's parse tree (`required_literals`), so they follow every
change to a pattern in the data files; a pattern they cannot safely be read from is always run.
`Prefiltered` wraps a compiled pattern with its words and answers exactly as the pattern does.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from re import _constants as sre  # the parse tree's node types, as `re.compile` reads them
from re import _parser
from typing import Any

# Shorter words occur in nearly every sentence ("in", "of"): testing them saves no scan.
# Lengths count letters and digits only.
MIN_LITERAL_LENGTH = 3
# Longer words are all about equally rare; among them, fewer words to test is better, then
# longer ones.
ENOUGH_LENGTH = 4
# Under `re.IGNORECASE`, ASCII "i" and "s" also match these characters, which `str.lower`
# leaves as they are ("İ" it even makes two characters); mapped first, they still show the
# word the pattern matched. No other character matches an ASCII literal this way.
_CASE_EXTRAS = {"\u0130": "i", "\u0131": "i", "\u017f": "s"}
_CASE_EXTRAS_TABLE = str.maketrans(_CASE_EXTRAS)


def fold(text: str) -> str:
    """`text` lower-cased so that it contains a required literal wherever a match does."""
    if text.isascii() or not any(char in text for char in _CASE_EXTRAS):
        return text.lower()
    return text.translate(_CASE_EXTRAS_TABLE).lower()


Literals = frozenset[str]


def required_literals(
    pattern: re.Pattern[str], min_length: int = MIN_LITERAL_LENGTH
) -> Literals | None:
    """Lower-case strings of which every match of `pattern` contains at least one; None when
    no such set of strings with `min_length` letters or more can be read off it."""
    literals = _sequence_literals(_parser.parse(pattern.pattern, pattern.flags))
    if literals is None or min(map(_letters, literals)) < min_length:
        return None
    return literals


def _sequence_literals(items: Any) -> Literals | None:
    """The best literal set of a sequence of parse-tree nodes: every node must match, so any
    one node's set (or a run of consecutive literal characters) holds for the whole sequence."""
    candidates: list[Literals] = []
    run: list[str] = []
    for op, value in items:
        if op is sre.LITERAL and value < 128:
            run.append(chr(value).lower())
            continue
        if run:
            candidates.append(frozenset({"".join(run)}))
            run = []
        node = _node_literals(op, value)
        if node is not None:
            candidates.append(node)
    if run:
        candidates.append(frozenset({"".join(run)}))
    return max(candidates, key=_selectivity, default=None)


def _node_literals(op: Any, value: Any) -> Literals | None:
    """The literal set of one node; None for anything that may match without a literal
    (character classes, optional parts, lookarounds, anchors) or that is not understood."""
    if op is sre.SUBPATTERN:
        return _sequence_literals(value[-1])
    if op is sre.ATOMIC_GROUP:
        return _sequence_literals(value)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        minimum, _, item = value
        return _sequence_literals(item) if minimum >= 1 else None
    if op is sre.BRANCH:
        # A match takes one of the alternatives: each must have a literal set.
        branches = [_sequence_literals(branch) for branch in value[1]]
        literals = [branch for branch in branches if branch is not None]
        if len(literals) < len(branches):
            return None
        return _shortest_forms(frozenset().union(*literals))
    return None


def _shortest_forms(literals: Literals) -> Literals:
    """Drops words that contain another word of the set ("meetings" when "meeting" is there):
    wherever the longer occurs, so does the shorter."""
    return frozenset(
        word for word in literals if not any(other != word and other in word for other in literals)
    )


def _selectivity(literals: Literals) -> tuple[int, int, int]:
    shortest = min(map(_letters, literals))
    return min(shortest, ENOUGH_LENGTH), -len(literals), shortest


def _letters(literal: str) -> int:
    """The length that makes a literal rare: " to " is as common as "to"."""
    return sum(char.isalnum() for char in literal)


class Prefiltered:
    """A compiled pattern (`regex`) that answers "no match" at once on text without its
    literals; otherwise `regex` answers. The methods are those of `re.Pattern` the rules use."""

    __slots__ = ("regex", "literals")

    def __init__(self, regex: re.Pattern[str], min_length: int = MIN_LITERAL_LENGTH) -> None:
        self.regex = regex
        self.literals = tuple(sorted(required_literals(regex, min_length) or ()))

    def may_match(self, text: str) -> bool:
        """False when `text` lacks all the literals, so that the pattern cannot match it."""
        if not self.literals:
            return True
        folded = fold(text)
        # A plain loop: this runs for every pattern on every sentence, and a generator
        # expression in `any` costs more than most of the substring tests it makes.
        for literal in self.literals:  # noqa: SIM110
            if literal in folded:
                return True
        return False

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.search(text, pos, endpos) if self.may_match(text) else None

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.match(text, pos, endpos) if self.may_match(text) else None

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.fullmatch(text, pos, endpos) if self.may_match(text) else None

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text, pos, endpos) if self.may_match(text) else iter(())

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.regex.findall(text, pos, endpos) if self.may_match(text) else []

    def __repr__(self) -> str:
        return f"Prefiltered({self.regex!r}, literals={self.literals!r})"


def prefiltered(pattern: str, flags: int = 0, min_length: int = MIN_LITERAL_LENGTH) -> Prefiltered:
    return Prefiltered(re.compile(pattern, flags), min_length)
