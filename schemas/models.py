"""Typed forms of the messages that travel between stages.

The JSON Schemas beside this module are the contract on the wire; these dataclasses are the
same shapes for Python code. `validate_article` is the one gate every article passes before it
is produced to Kafka and again when the pipeline decodes it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

ARTICLE_SCHEMA_VERSION = 1


class InvalidMessage(ValueError):
    """A message that does not match its schema; the text names the field and the reason."""


@cache
def load_schema(name: str) -> dict[str, Any]:
    return json.loads(resources.files("schemas").joinpath(name).read_text(encoding="utf-8"))


@cache
def _article_validator() -> jsonschema.Draft202012Validator:
    schema = load_schema("article.schema.json")
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def validate_article(message: dict[str, Any]) -> None:
    """Raise InvalidMessage naming the first offending field."""
    error = jsonschema.exceptions.best_match(_article_validator().iter_errors(message))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        raise InvalidMessage(f"article {message.get('id', '?')}: {where}: {error.message}")


@dataclass(frozen=True)
class Article:
    id: str
    url: str
    canonical_url: str
    feed: str
    source: str
    title: str
    summary: str
    text: str
    published_at: str
    fetched_at: str
    language: str = "en"
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    published_at_inferred: bool = False
    schema_version: int = ARTICLE_SCHEMA_VERSION

    def to_message(self) -> dict[str, Any]:
        message = asdict(self)
        validate_article(message)
        return message

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> Article:
        validate_article(message)
        return cls(**message)
