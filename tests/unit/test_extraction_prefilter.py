"""Literal prefilters (pipelines/extraction/prefilter.py): the words read off a pattern, and
that a prefiltered pattern answers exactly as the pattern itself on the project's texts."""

import json
import re
from pathlib import Path

import pytest

from pipelines.extraction import cues, dates, ordinals, participants
from pipelines.extraction.cues import load_lexicon
from pipelines.extraction.prefilter import (
    UNBOUNDED,
    LiteralIndex,
    Prefiltered,
    fold,
    prefiltered,
    required_anchor,
    required_literals,
    word_alternation,
)
from pipelines.extraction.relevance import load_profile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extraction"


def literals(pattern: str, flags: int = re.IGNORECASE) -> set[str] | None:
    found = required_literals(re.compile(pattern, flags))
    return None if found is None else set(found)


def test_words_are_read_off_sequences_alternatives_and_repeats():
    assert literals(r"\bAstana[- ](?:process|format)\b") == {"astana"}
    assert literals(r"\bYemen|\bHouthis?\b|\bSanaa\b") == {"yemen", "houthi", "sanaa"}
    assert literals(r"\b(?:rounds?|sessions?)\b") == {"round", "session"}
    assert literals(r"(?:very )+important") == {"important"}
    # Longer words that contain a shorter alternative add nothing.
    assert literals(r"\b(?:meeting|meetings|meeting on)\b") == {"meeting"}


def test_no_words_when_a_match_can_do_without_them():
    assert literals(r"\d{1,2}(?:st|nd|rd|th)") is None  # too short to be worth a test
    assert literals(r"(?:Astana )?talks|\d+ rounds") == {"talks", " rounds"}
    assert literals(r"(?:Astana )?talks|\d+") is None  # the digits branch has no word
    assert literals(r"(?:Astana)?\s+\w+") is None
    assert literals(r"(?=Astana)\w+") is None  # lookarounds are not text the match contains


def test_case_sensitive_patterns_give_lower_case_words():
    assert literals(r"\bGeneva[- ](?:II|IV)\b", 0) == {"geneva"}


def test_fold_keeps_what_ignorecase_matches():
    # Under re.IGNORECASE "s" matches the long s and "i" the dotted and dotless capitals.
    for text in ("ſyria", "SYRİA", "Syrıa"):
        assert re.search("syria", text, re.IGNORECASE)
        assert "syria" in fold(text)
        assert prefiltered("syria", re.IGNORECASE).search(text)


def test_prefilter_skips_only_texts_without_the_words():
    pattern = prefiltered(r"\bAstana\b", re.IGNORECASE)
    assert pattern.literals == ("astana",)
    assert not pattern.may_match("Talks in Geneva")
    assert pattern.findall("Talks in ASTANA and astana") == ["ASTANA", "astana"]
    assert list(pattern.finditer("Talks in Geneva")) == []
    assert pattern.search("in Astana", 3).start() == 3


def reach(pattern: str, flags: int = re.IGNORECASE) -> int | None:
    anchor = required_anchor(re.compile(pattern, flags))
    return None if anchor is None else anchor.reach


def test_reach_is_how_far_into_a_match_its_words_may_begin():
    assert reach(r"\bAstana\b") == 0
    assert reach(r"(?:peace )?talks\b") == len("peace ")
    # The words are "backed talks", after "UN-" or "U.N.-".
    assert reach(r"(?<!\ba )\b(?:UN|U\.N\.)[- ]backed talks") == len("U.N.-")
    # "represent" is dropped for "present", which begins two characters into it.
    assert reach(r"\b(?:represent(?:s|atives)?|present)\b") == 2
    assert reach(r"\b(?:next|last)\s+week\b") >= UNBOUNDED  # "\s+" has no bound
    assert prefiltered(r"\b(?:next|last)\s+week\b").reach is None  # then it only gates


SKIPPING_CASES = [
    # (pattern, flags, text): the scan starts later, and after each match skips ahead.
    (r"\bround\b", re.IGNORECASE, "A surround sound; the round, another ROUND, rounds, round"),
    (r"(?:peace )?talks\b", re.IGNORECASE, "talks, then peace talks and peace  talks: Talks"),
    (r"(?<!\ba )\bCommittee\b", 0, "a Committee, the Committee and a  Committee. Committee"),
    (
        r"\b(?:represent(?:s|ed|atives?)?|present)\b",
        re.IGNORECASE,
        "Representatives were present; the envoy represents them, unrepresented groups do not.",
    ),
    (r"\b(?:UN|U\.N\.)[- ]backed talks", re.IGNORECASE, "the U.N.-backed talks, UN backed talks"),
    (r"(?:Astana )?talks|\d+ rounds", 0, "12 rounds of Astana talks, 3 rounds, talks"),
    (r"^Syria\b", re.MULTILINE, "Syria talks\nSyria round\n Syria"),
]


@pytest.mark.parametrize(("pattern", "flags", "text"), SKIPPING_CASES)
def test_skipping_ahead_finds_what_the_pattern_finds(pattern: str, flags: int, text: str):
    prefilter, regex = prefiltered(pattern, flags), re.compile(pattern, flags)
    long_text = " ".join([text] * 40)  # a whole article: many matches, long gaps
    for sample in (text, long_text, text.upper(), text.swapcase()):
        assert_same_answers(prefilter, regex, sample)


def assert_same_answers(prefilter: Prefiltered, regex: re.Pattern[str], text: str) -> None:
    for pos in (0, 1, 7, len(text) // 2):
        spans = [m.span() for m in regex.finditer(text, pos)]
        assert [m.span() for m in prefilter.finditer(text, pos)] == spans, (text, pos)
        assert prefilter.findall(text, pos) == regex.findall(text, pos), (text, pos)
        found, expected = prefilter.search(text, pos), regex.search(text, pos)
        assert (found and found.span()) == (expected and expected.span()), (text, pos)
        found, expected = prefilter.match(text, pos), regex.match(text, pos)
        assert (found and found.span()) == (expected and expected.span()), (text, pos)


def test_word_alternation_matches_as_the_words_longest_first():
    words = ["meet", "meeting", "meetings", "met", "round", "rounds", "re-run", "a b", "x.y"]
    longest_first = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    texts = ["meetings met; a meeting, the meet, rounds re-run, a b x.y", "MEETINGS a  b xzy"]
    for wrap in (r"\b(?:{})\b", r"(?:{})", r"\b(?:{})s?\s+(?:of|on)\b"):
        for flags in (0, re.IGNORECASE):
            trie = re.compile(wrap.format(word_alternation(words)), flags)
            plain = re.compile(wrap.format(longest_first), flags)
            for text in texts:
                assert [m.span() for m in trie.finditer(text)] == [
                    m.span() for m in plain.finditer(text)
                ]


def _project_patterns() -> list[Prefiltered]:
    lexicon = load_lexicon()
    found = [p for cues in lexicon.series.values() for p, _ in cues]
    for value in vars(lexicon).values():
        if isinstance(value, Prefiltered):
            found.append(value)
        elif isinstance(value, dict):
            found.extend(p for p in value.values() if isinstance(p, Prefiltered))
    for module in (cues, dates, ordinals, participants):
        found.extend(p for p in vars(module).values() if isinstance(p, Prefiltered))
    found.extend(term.pattern for term in load_profile().terms)
    return found


def _texts() -> list[str]:
    texts = []
    for path in sorted(FIXTURES.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def _sentences(limit: int = 150) -> list[str]:
    texts = [s for text in _texts() for s in re.split(r"(?<=[.!?])\s+|\n+", text)]
    return [t for t in texts if t.strip()][:limit]


def _variants(text: str) -> list[str]:
    return [
        text,
        text.upper(),
        text.swapcase(),
        text.replace("s", "ſ").replace("i", "ı").replace("I", "İ"),
    ]


@pytest.mark.parametrize("pattern", _project_patterns(), ids=lambda p: p.regex.pattern[:40])
def test_prefiltered_patterns_match_as_the_patterns_do(pattern: Prefiltered):
    for sentence in _sentences():
        for text in _variants(sentence):
            expected = [m.span() for m in pattern.regex.finditer(text)]
            assert [m.span() for m in pattern.finditer(text)] == expected, text
            assert pattern.findall(text) == pattern.regex.findall(text), text
            found, first = pattern.search(text), pattern.regex.search(text)
            assert (found and found.span()) == (first and first.span()), text
    # Whole articles, where the scan skips ahead from match to match.
    for article in _texts()[:20]:
        for text in _variants(article):
            expected = [m.span() for m in pattern.regex.finditer(text)]
            assert [m.span() for m in pattern.finditer(text)] == expected


def test_literal_index_answers_as_each_pattern_does():
    patterns = _project_patterns()
    index = LiteralIndex(patterns)
    for sentence in _sentences():
        for text in _variants(sentence):
            assert index.may_match(text) == {p for p in patterns if p.may_match(text)}, text
    assert LiteralIndex([]).may_match("anything") == set()
    unfiltered = prefiltered(r"\d+")  # no literal: it may match anything
    assert LiteralIndex([unfiltered]).may_match("no digits") == {unfiltered}
