"""Literal prefilters: a regular expression is not run on text that lacks every word it needs.

`re` tries a pattern at every position of a text even when a word the pattern cannot match
without ("Astana", "round", "postpone") is nowhere in it. Most cue patterns match in few
sentences, and a substring test on the lower-cased text costs a small fraction of that scan.

The words are read off the pattern's parse tree (`required_literals`), so they follow every
change to a pattern in the data files; a pattern they cannot safely be read from is always run.
`Prefiltered` wraps a compiled pattern with its words and answers exactly as the pattern does.

Where the parse tree also bounds how far into a match its word begins (`Anchor.reach`: 0 for
"\\bAstana\\b", 6 for "(?:peace )?talks"), no match starts before the word's first occurrence
less that reach, and the scan starts there instead of at the start of the text; between two
matches it skips ahead the same way. On a whole article (relevance) that skips most of it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
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
# A reach this large means a repeat without bound ("\s+") may stand before the word.
UNBOUNDED = _parser.MAXWIDTH
# The rules test one sentence against dozens of patterns in a row: the last text folded, and its
# fold, so that it is lower-cased once. A pair, replaced whole, so that threads sharing the
# module never see one text with another's fold.
_last_fold: tuple[str, str] = ("", "")


def fold(text: str) -> str:
    """`text` lower-cased so that it contains a required literal wherever a match does, at the
    same offset: every character folds to exactly one character (the one that `str.lower` makes
    two of is mapped first)."""
    global _last_fold
    last = _last_fold
    if last[0] is text:
        return last[1]
    folded = fold_word(text)
    _last_fold = (text, folded)
    return folded


def fold_word(text: str) -> str:
    """`fold` without its one-text cache: for looking up a matched word ("Tueſday", which a
    case-insensitive "Tuesday" matches) in a table of lower-case ASCII words."""
    if text.isascii() or not any(char in text for char in _CASE_EXTRAS):
        return text.lower()
    return text.translate(_CASE_EXTRAS_TABLE).lower()


Literals = frozenset[str]


@dataclass(frozen=True)
class Anchor:
    """Lower-case words of which every match contains at least one, beginning at most `reach`
    characters after the start of the match (`UNBOUNDED` or more: anywhere in it)."""

    words: Literals
    reach: int


def required_literals(
    pattern: re.Pattern[str], min_length: int = MIN_LITERAL_LENGTH
) -> Literals | None:
    """Lower-case strings of which every match of `pattern` contains at least one; None when
    no such set of strings with `min_length` letters or more can be read off it."""
    anchor = required_anchor(pattern, min_length)
    return None if anchor is None else anchor.words


def required_anchor(
    pattern: re.Pattern[str], min_length: int = MIN_LITERAL_LENGTH
) -> Anchor | None:
    """`required_literals`, with how far into a match they may begin."""
    anchor = _sequence_literals(_parser.parse(pattern.pattern, pattern.flags))
    if anchor is None or min(map(_letters, anchor.words)) < min_length:
        return None
    return anchor


def _sequence_literals(items: Any) -> Anchor | None:
    """The best literal set of a sequence of parse-tree nodes: every node must match, so any
    one node's set (or a run of consecutive literal characters) holds for the whole sequence.
    Its reach adds the widest the nodes before it can match to the node's own reach."""
    candidates: list[Anchor] = []
    run: list[str] = []
    run_start = offset = 0  # the widest the nodes before the run / the next node can match
    for op, value in items:
        if op is sre.LITERAL and value < 128:
            if not run:
                run_start = offset
            run.append(chr(value).lower())
        else:
            if run:
                candidates.append(Anchor(frozenset({"".join(run)}), run_start))
                run = []
            node = _node_literals(op, value)
            if node is not None:
                candidates.append(Anchor(node.words, offset + node.reach))
        offset += _parser.SubPattern(items.state, [(op, value)]).getwidth()[1]
    if run:
        candidates.append(Anchor(frozenset({"".join(run)}), run_start))
    return max(candidates, key=lambda anchor: _selectivity(anchor.words), default=None)


def _node_literals(op: Any, value: Any) -> Anchor | None:
    """The literal set of one node; None for anything that may match without a literal
    (character classes, optional parts, lookarounds, anchors) or that is not understood."""
    if op is sre.SUBPATTERN:
        return _sequence_literals(value[-1])
    if op is sre.ATOMIC_GROUP:
        return _sequence_literals(value)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        minimum, _, item = value
        return _sequence_literals(item) if minimum >= 1 else None  # found in the first repeat
    if op is sre.BRANCH:
        # A match takes one of the alternatives: each must have a literal set.
        branches = []
        for branch in value[1]:
            anchor = _sequence_literals(branch)
            if anchor is None:
                return None
            branches.append(anchor)
        words = shortest_forms(frozenset().union(*(branch.words for branch in branches)))
        # A word dropped for a shorter one inside it ("represent" for "present") moves the
        # word that stands for it further into the match.
        reach = max(branch.reach + _shift(branch.words, words) for branch in branches)
        return Anchor(words, reach)
    return None


def shortest_forms(literals: Literals) -> Literals:
    """Drops words that contain another word of the set ("meetings" when "meeting" is there):
    wherever the longer occurs, so does the shorter."""
    return frozenset(
        word for word in literals if not any(other != word and other in word for other in literals)
    )


def _shift(words: Literals, kept: Literals) -> int:
    """How far into one of `words` a word of `kept` (its shortest forms) may first begin."""
    return max(min(word.find(other) for other in kept if other in word) for word in words)


def _selectivity(literals: Literals) -> tuple[int, int, int, bool]:
    shortest = min(map(_letters, literals))
    # At equal length, digits are rarer in prose than letters ("19" and "20" against "in").
    numeric = all(any(char.isdigit() for char in literal) for literal in literals)
    return min(shortest, ENOUGH_LENGTH), -len(literals), shortest, numeric


def _letters(literal: str) -> int:
    """The length that makes a literal rare: " to " is as common as "to"."""
    return sum(char.isalnum() for char in literal)


class Prefiltered:
    """A compiled pattern (`regex`) that answers "no match" at once on text without its
    literals; otherwise `regex` answers, from where the first literal shows that a match can
    start at the earliest. The methods are those of `re.Pattern` the rules use.

    Starting `regex` at a later `pos` is exact: unlike slicing the text, `pos` leaves the
    characters before it for word boundaries and lookbehinds to see."""

    __slots__ = ("regex", "literals", "reach")

    def __init__(self, regex: re.Pattern[str], min_length: int = MIN_LITERAL_LENGTH) -> None:
        self.regex = regex
        anchor = required_anchor(regex, min_length)
        self.literals = tuple(sorted(anchor.words)) if anchor else ()
        # None: the literals may lie anywhere in a match, so they only gate the scan.
        self.reach = anchor.reach if anchor and anchor.reach < UNBOUNDED else None

    def may_match(self, text: str, pos: int = 0) -> bool:
        """False when `text` lacks all the literals from `pos` on, so that the pattern cannot
        match it."""
        return self._start(text, pos) >= 0

    def _start(self, text: str, pos: int) -> int:
        """Where a match at or after `pos` may start at the earliest; -1 when none can."""
        literals = self.literals
        if not literals:
            return pos
        folded = fold(text)
        # Plain loops and `in`: this runs for every pattern on every sentence, and a generator
        # expression or a method call costs more than most of the substring tests it makes.
        for literal in literals:
            if literal in folded:
                break
        else:
            return -1
        if self.reach is None:
            return pos
        first = folded.find(literal, pos)
        if first < 0:  # it occurs only before `pos`; the others are not worth looking for
            return pos
        # The literals tested before it are nowhere in the text; of those after it, only an
        # occurrence before `first` matters, so each search stops there.
        for other in literals[literals.index(literal) + 1 :]:
            index = folded.find(other, pos, first + len(other) - 1)
            if index >= 0:
                first = index
        return max(pos, first - self.reach)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        start = self._start(text, pos)
        return None if start < 0 else self.regex.search(text, start, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.match(text, pos, endpos) if self.may_match(text, pos) else None

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.fullmatch(text, pos, endpos) if self.may_match(text, pos) else None

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        if self.reach is None:
            start = self._start(text, pos)
            return iter(()) if start < 0 else self.regex.finditer(text, start, endpos)
        folded = fold(text)
        for literal in self.literals:  # as in `_start`: most texts have none of them
            if literal in folded:
                break
        else:
            return iter(())
        upcoming = {}  # literal -> its first occurrence from `pos` on
        for other in self.literals[self.literals.index(literal) :]:
            index = folded.find(other, pos)
            if index >= 0:
                upcoming[other] = index
        if not upcoming:
            return iter(())
        return self._skipping_finditer(text, folded, pos, endpos, upcoming, self.reach)

    def _skipping_finditer(
        self, text: str, folded: str, pos: int, endpos: int, upcoming: dict[str, int], reach: int
    ) -> Iterator[re.Match[str]]:
        """`regex.finditer` that, after each match, resumes the scan where the next occurrence
        of a literal shows the next match may start, not right after the match. Every match
        contains a literal, so none is empty and the next one starts at or after this end."""
        while upcoming:
            match = self.regex.search(text, max(pos, min(upcoming.values()) - reach), endpos)
            if match is None:
                return
            yield match
            pos = match.end()
            for literal, index in list(upcoming.items()):
                if index < pos:
                    index = folded.find(literal, pos)
                    if index < 0:
                        del upcoming[literal]
                    else:
                        upcoming[literal] = index

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        start = self._start(text, pos)
        return [] if start < 0 else self.regex.findall(text, start, endpos)

    def __repr__(self) -> str:
        return f"Prefiltered({self.regex!r}, literals={self.literals!r}, reach={self.reach!r})"


class LiteralIndex:
    """Which patterns of a group may match a text, with each of their literals tested once.

    The cue groups tested on every sentence (series, other conflicts, status) hold dozens of
    patterns, and most match nowhere in a given sentence: one pass over their literals costs
    much less than asking each pattern in turn. The pass is one scan by `re` (`_scanner`)."""

    __slots__ = ("_scanner", "_owners", "_unfiltered")

    def __init__(self, patterns: Iterable[Prefiltered]) -> None:
        owners: dict[str, list[Prefiltered]] = {}
        unfiltered = []
        for pattern in patterns:
            if not pattern.literals:
                unfiltered.append(pattern)
            for literal in pattern.literals:
                owners.setdefault(literal, []).append(pattern)
        self._scanner = _literal_scanner(owners)
        # The scanner reports the longest literal starting at a place; the shorter ones that
        # start there too are its prefixes, so their patterns may match as well.
        self._owners = {
            literal: frozenset(
                p for prefix in owners if literal.startswith(prefix) for p in owners[prefix]
            )
            for literal in owners
        }
        self._unfiltered = tuple(unfiltered)

    def may_match(self, text: str) -> set[Prefiltered]:
        """The patterns of the group whose `may_match(text)` is true."""
        found = set(self._unfiltered)
        if self._scanner is not None:
            for literal in set(self._scanner.findall(fold(text))):
                found.update(self._owners[literal])
        return found


def _literal_scanner(literals: Collection[str]) -> re.Pattern[str] | None:
    """A pattern whose `findall` on a folded text gives, for every place where some of
    `literals` start, the longest of them: a lookahead, so that overlapping ones are all found,
    over `word_alternation`, so that `re` tries few at each place."""
    return re.compile(f"(?=({word_alternation(literals)}))") if literals else None


def word_alternation(words: Iterable[str]) -> str:
    """A pattern for any of `words` that matches as their alternation, longest first, does
    ("meetings|meeting|round"), built as a trie ("meeting(?:s)?|round"): there `re` tries
    every word at each place, here only those that begin with the character found there."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, Any]) -> str:
    branches = [
        re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    # Greedy: the longer word first, the one ending here if that fails, as when longest first.
    return f"(?:{body})?" if "" in node else body


def prefiltered(pattern: str, flags: int = 0, min_length: int = MIN_LITERAL_LENGTH) -> Prefiltered:
    return Prefiltered(re.compile(pattern, flags), min_length)
