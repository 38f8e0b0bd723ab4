"""Loads the TOML configuration and exposes each section as a typed value.

Each section is validated by the module that owns it (feeds by connectors.feeds, alert rules by
pipelines.alerts); this module only finds the file, parses it and reports errors with the file
and key, so a bad config fails at start rather than in the middle of a run.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

ENV_CONFIG = "TALKWATCH_CONFIG"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO_ROOT / "config" / "talkwatch.toml"


class ConfigError(ValueError):
    """A configuration problem; the message names the file and the key."""


@dataclass(frozen=True)
class KafkaSettings:
    bootstrap: str
    articles_topic: str
    deadletter_topic: str
    partitions: int
    retention_hours: int


@dataclass(frozen=True)
class ElasticsearchSettings:
    url: str
    index_prefix: str


@dataclass(frozen=True)
class StackSettings:
    """Where the local services keep data and logs, and the ports they listen on."""

    home: Path
    cache: Path
    kafka_port: int
    kafka_controller_port: int
    es_port: int
    es_transport_port: int
    sample_feed_port: int


@dataclass(frozen=True)
class Config:
    path: Path
    raw: dict[str, Any]
    kafka: KafkaSettings
    elasticsearch: ElasticsearchSettings
    stack: StackSettings

    def section(self, name: str) -> dict[str, Any]:
        value = self.raw.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{self.path}: [{name}] must be a table")
        return value


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit)
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG])
    return DEFAULT_CONFIG


def load_config(explicit: str | os.PathLike[str] | None = None) -> Config:
    path = config_path(explicit)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: config file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    stack = _stack(path, raw.get("stack", {}))
    return Config(
        path=path,
        raw=raw,
        kafka=_kafka(path, raw.get("kafka", {}), stack),
        elasticsearch=_elasticsearch(path, raw.get("elasticsearch", {}), stack),
        stack=stack,
    )


def _get(path: Path, table: dict[str, Any], section: str, key: str, kind: type, default: Any):
    value = table.get(key, default)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        raise ConfigError(
            f"{path}: [{section}] {key} must be {kind.__name__}, got {value!r}"
        )
    return value


def _kafka(path: Path, table: dict[str, Any], stack: StackSettings) -> KafkaSettings:
    default_bootstrap = f"127.0.0.1:{stack.kafka_port}"
    return KafkaSettings(
        bootstrap=_get(path, table, "kafka", "bootstrap", str, default_bootstrap),
        articles_topic=_get(path, table, "kafka", "articles_topic", str, "talkwatch.articles"),
        deadletter_topic=_get(
            path, table, "kafka", "deadletter_topic", str, "talkwatch.deadletter"
        ),
        partitions=_get(path, table, "kafka", "partitions", int, 3),
        retention_hours=_get(path, table, "kafka", "retention_hours", int, 24 * 30),
    )


def _elasticsearch(
    path: Path, table: dict[str, Any], stack: StackSettings
) -> ElasticsearchSettings:
    default_url = f"http://127.0.0.1:{stack.es_port}"
    return ElasticsearchSettings(
        url=_get(path, table, "elasticsearch", "url", str, default_url),
        index_prefix=_get(path, table, "elasticsearch", "index_prefix", str, "talkwatch"),
    )


def _stack(path: Path, table: dict[str, Any]) -> StackSettings:
    home = _get(path, table, "stack", "home", str, "~/.local/share/talkwatch")
    cache = _get(path, table, "stack", "cache", str, "~/.cache/talkwatch")
    kafka_port = _get(path, table, "stack", "kafka_port", int, 9092)
    es_port = _get(path, table, "stack", "es_port", int, 9200)
    return StackSettings(
        home=Path(home).expanduser(),
        cache=Path(cache).expanduser(),
        kafka_port=kafka_port,
        kafka_controller_port=_get(
            path, table, "stack", "kafka_controller_port", int, kafka_port + 1
        ),
        es_port=es_port,
        es_transport_port=_get(path, table, "stack", "es_transport_port", int, es_port + 100),
        sample_feed_port=_get(path, table, "stack", "sample_feed_port", int, 8765),
    )


def packaged_text(package: str, name: str) -> str:
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")
