"""The stages' one line: each works on its articles and passes everything else on as it is."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from pipelines.records import ArticleInFlight, DeadLetter, KafkaPosition
from pipelines.stages.line import ArticleBatchStageFn, ArticleStageFn


def article(n: int, relevant: bool = True, duplicate_of: str | None = None) -> ArticleInFlight:
    return ArticleInFlight(
        KafkaPosition("t", 0, n), {"id": f"a{n}"}, relevant=relevant, duplicate_of=duplicate_of
    )


LETTER = DeadLetter(KafkaPosition("t", 0, 99), "decode", "not JSON", b"{")


class MarkAnalysed(ArticleStageFn):
    def is_for(self, item: ArticleInFlight) -> bool:
        return item.needs_analysis

    def process_article(self, item: ArticleInFlight):
        yield replace(item, relevance=1.0)


class MarkBatch(ArticleBatchStageFn):
    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def is_for(self, item: ArticleInFlight) -> bool:
        return item.needs_analysis

    def process_articles(self, batch: list[ArticleInFlight]):
        self.batches.append([item.article["id"] for item in batch])
        for item in batch:
            yield replace(item, relevance=1.0)


def test_needs_analysis_means_a_relevant_original() -> None:
    assert article(1).needs_analysis
    assert not article(2, relevant=False).needs_analysis
    assert not article(3, duplicate_of="a1").needs_analysis


def test_an_element_stage_passes_dead_letters_and_other_articles_unchanged() -> None:
    elements = [article(1), LETTER, article(2, relevant=False), article(3, duplicate_of="a1")]
    out = [o for e in elements for o in MarkAnalysed().process(e)]
    assert out[1:] == elements[1:]
    assert out[1] is LETTER
    assert out[0] == replace(elements[0], relevance=1.0)


def test_a_batch_stage_gets_only_its_articles_and_loses_nothing() -> None:
    stage = MarkBatch()
    elements = [article(1), LETTER, article(2, relevant=False), article(3), article(4, False)]
    out = list(stage.process(elements))
    assert stage.batches == [["a1", "a3"]]
    assert len(out) == len(elements)
    assert {o.position.offset for o in out} == {0 + 1, 99, 2, 3, 4}
    assert [o.relevance for o in out if isinstance(o, ArticleInFlight)] == [0.0, 0.0, 1.0, 1.0]


def test_a_batch_with_nothing_for_the_stage_never_calls_it() -> None:
    stage = MarkBatch()
    assert list(stage.process([LETTER, article(2, relevant=False)])) == [
        LETTER,
        article(2, relevant=False),
    ]
    assert stage.batches == []


class Failing(ArticleStageFn):
    def process_article(self, item: ArticleInFlight):
        raise KeyError("no such cue")
        yield item


class FailingRules(Failing):
    stage = "rounds"


def test_a_rule_stage_turns_an_article_it_fails_on_into_a_dead_letter_naming_it() -> None:
    item = replace(article(7), article={"id": "a7", "title": "Astana talks"})
    out = list(FailingRules().process(item))
    assert len(out) == 1 and isinstance(out[0], DeadLetter)
    letter = out[0]
    assert letter.stage == "rounds" and letter.position == item.position
    assert letter.reason == "KeyError: 'no such cue'"
    assert json.loads(letter.raw) == {"id": "a7", "title": "Astana talks"}
    assert list(FailingRules().process(LETTER)) == [LETTER]


def test_a_stage_that_calls_services_lets_the_runner_retry() -> None:
    with pytest.raises(KeyError):
        list(Failing().process(article(8)))
