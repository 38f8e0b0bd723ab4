"""Literal prefilters (pipelines/extraction/prefilter.py): the words read off a pattern, and
that a prefiltered pattern answers exactly as the pattern itself on the project's texts."""

import json
import re
from pathlib import Path

import pytest

from pipelines.extraction import dates, ordinals
from pipelines.extraction.cues import load_lexicon
from pipelines.extraction.prefilter import Prefiltered, fold, prefiltered, required_literals
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


def _project_patterns() -> list[Prefiltered]:
    lexicon = load_lexicon()
    found = [p for cues in lexicon.series.values() for p, _ in cues]
    for value in vars(lexicon).values():
        if isinstance(value, Prefiltered):
            found.append(value)
        elif isinstance(value, dict):
            found.extend(p for p in value.values() if isinstance(p, Prefiltered))
    for module in (dates, ordinals):
        found.extend(p for p in vars(module).values() if isinstance(p, Prefiltered))
    found.extend(term.pattern for term in load_profile().terms)
    return found


def _sentences(limit: int = 150) -> list[str]:
    texts = []
    for path in sorted(FIXTURES.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                texts.extend(re.split(r"(?<=[.!?])\s+|\n+", record["text"]))
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
