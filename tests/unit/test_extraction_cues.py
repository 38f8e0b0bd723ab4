"""Sentence cues (pipelines/extraction/cues.py): the shortcuts that spare scans answer as the
plain computations do, on the fixture texts."""

import json
import re
from pathlib import Path

from pipelines.extraction.cues import (
    _has_cue,
    _series_scores,
    load_lexicon,
    sentence_cues,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extraction"


def _sentences() -> list[str]:
    sentences = []
    for path in sorted(FIXTURES.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = json.loads(line)["text"]
                sentences += [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]
    return sentences


def test_series_scores_count_only_the_cues_that_may_match_yet_sum_as_all_do():
    lexicon = load_lexicon()
    for sentence in _sentences():
        for text in (sentence, sentence.upper()):
            live = lexicon.sentence_groups.may_match(text)
            expected = {
                series: sum(weight * len(pattern.findall(text)) for pattern, weight in cues)
                for series, cues in lexicon.series.items()
            }
            # repr: the same floats, and 0.0 (not 0) where no cue matched
            assert repr(_series_scores(lexicon, text, live)) == repr(expected), text


def test_next_round_matches_found_once_give_the_same_status():
    lexicon = load_lexicon()
    pattern = lexicon.status["next_round"]
    for sentence in _sentences():
        found = list(pattern.finditer(sentence))
        assert _has_cue("next_round", pattern, sentence, found) == _has_cue(
            "next_round", pattern, sentence
        )


def test_sentence_cues_of_a_sentence_with_every_kind_of_cue():
    text = (
        "The ninth round of Astana talks ended on Tuesday, and the next meeting will be held "
        "in Sochi, the Kazakh envoy said."
    )
    cues = sentence_cues(3, 100, 100 + len(text), text, False)
    assert cues.has_round_head and cues.series_scores["astana"] > 0
    assert [o.value for o in cues.ordinals] == [9]
    assert {"concluded", "next_round", "future"} <= cues.status
    assert cues.other_event_from == 100 + text.index("the next meeting") + len("the ")
