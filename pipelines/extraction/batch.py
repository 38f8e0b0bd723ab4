"""Runs the extraction over a batch of articles, the same way the pipeline does: relevance
gate first (no NLP for irrelevant articles), then one `nlp.pipe` over the rest.

Also parses the JSON-lines input format of `talkwatch extract` (`id`, `url`, `title`,
`published`, `text`; other fields such as `gold` are ignored).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pipelines.extraction.article import ArticleText
from pipelines.extraction.nlp import annotate, load_nlp
from pipelines.extraction.relevance import is_relevant
from pipelines.extraction.rounds import RoundExtraction, extract_round


class InputError(ValueError):
    """A line that cannot be read as an article; the message says why."""


@dataclass(frozen=True)
class InputRecord:
    line: int  # 1-based line number in the input
    article: ArticleText | None
    raw: dict[str, Any] | None
    error: str | None


def parse_published(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(f"published must be a string or null, got {type(value).__name__}")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError as exc:
            raise InputError(f"published is not an ISO date: {value!r}") from exc


def article_from_json(record: Any) -> ArticleText:
    if not isinstance(record, dict):
        raise InputError("line is not a JSON object")
    for key in ("id", "text"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise InputError(f"missing or empty string field {key!r}")
    title = record.get("title")
    if title is not None and not isinstance(title, str):
        raise InputError("title must be a string or null")
    return ArticleText(
        id=record["id"],
        url=str(record.get("url") or ""),
        title=title or None,
        published=parse_published(record.get("published")),
        text=record["text"],
    )


def read_records(lines: Sequence[str]) -> list[InputRecord]:
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            records.append(InputRecord(number, None, None, f"invalid JSON: {exc.msg}"))
            continue
        try:
            records.append(InputRecord(number, article_from_json(raw), raw, None))
        except InputError as exc:
            records.append(
                InputRecord(number, None, raw if isinstance(raw, dict) else None, str(exc))
            )
    return records


def extract_articles(
    articles: Sequence[ArticleText], batch_size: int = 16
) -> list[RoundExtraction]:
    """Extractions in input order; irrelevant articles are answered without NLP."""
    results: list[RoundExtraction | None] = [None] * len(articles)
    relevant = []
    for index, article in enumerate(articles):
        if is_relevant(article.title, article.text):
            relevant.append(index)
        else:
            results[index] = RoundExtraction(article.id, False)
    if relevant:
        annotations = annotate(load_nlp(), [articles[i].document for i in relevant], batch_size)
        for index, annotation in zip(relevant, annotations, strict=True):
            results[index] = extract_round(articles[index], annotation)
    return [r for r in results if r is not None]
