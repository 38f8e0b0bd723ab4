"""The feed registry and the connector settings, read from the `[feeds.*]` and `[connectors]`
sections of the TOML config.

Every key is checked at load time and an error names the file, the feed and the key, so a typo
fails `talkwatch run` at start instead of silently disabling a feed for months. Unknown keys are
errors for the same reason.

    [connectors]
    feed_set = "all"            # "all", "samples" (the bundled sample feeds only) or "public"

    [feeds.un-news-middle-east]
    url = "https://news.un.org/feed/subscribe/en/news/region/middle-east/feed/rss.xml"
    source = "UN News"
    language = "en"
    poll_interval_seconds = 900
    tags = ["un", "syria"]

A feed URL may contain `{sample_server}`, replaced by `http://127.0.0.1:<stack.sample_feed_port>`
so the sample feeds follow the port of the local stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from talkwatch.config import Config, ConfigError

FEED_SETS = ("all", "samples", "public")
FEED_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
SAMPLE_SERVER_PLACEHOLDER = "{sample_server}"


@dataclass(frozen=True)
class Feed:
    name: str
    url: str
    source: str
    language: str = "en"
    poll_interval_seconds: int = 900
    tags: tuple[str, ...] = ()
    enabled: bool = True
    full_text: bool = False
    # The SSRF exemption: fetches of this feed (and of its articles) may reach loopback and
    # private addresses. Only for feeds the operator runs, such as the sample feed server.
    allow_private: bool = False
    sample: bool = False

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


@dataclass(frozen=True)
class ConnectorSettings:
    feed_set: str = "all"
    state_path: Path = Path("connectors/state.sqlite3")
    user_agent: str = "talkwatch/0.1 (feed connector)"
    workers: int = 8
    per_host_concurrency: int = 2
    connect_timeout_seconds: float = 10.0
    read_timeout_seconds: float = 20.0
    total_timeout_seconds: float = 60.0
    max_response_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    jitter_fraction: float = 0.1
    backoff_base_seconds: float = 60.0
    backoff_max_seconds: float = 6 * 3600.0
    unhealthy_after_errors: int = 5
    unhealthy_retry_seconds: float = 6 * 3600.0
    max_retry_after_seconds: float = 24 * 3600.0
    replication_factor: int = 1
    deadletter_retention_hours: int = 24 * 30
    compression: str = "gzip"
    delivery_timeout_seconds: float = 60.0


@dataclass(frozen=True)
class FeedRegistry:
    feeds: tuple[Feed, ...]
    settings: ConnectorSettings

    def selected(self) -> list[Feed]:
        """The enabled feeds of the configured feed set, in config order."""
        return [f for f in self.feeds if f.enabled and _in_set(f, self.settings.feed_set)]

    def get(self, name: str) -> Feed:
        for feed in self.feeds:
            if feed.name == name:
                return feed
        raise KeyError(name)


def _in_set(feed: Feed, feed_set: str) -> bool:
    if feed_set == "samples":
        return feed.sample
    if feed_set == "public":
        return not feed.sample
    return True


_FEED_KEYS: dict[str, tuple[type, Any]] = {
    "url": (str, None),
    "source": (str, None),
    "language": (str, "en"),
    "poll_interval_seconds": (int, 900),
    "tags": (list, []),
    "enabled": (bool, True),
    "full_text": (bool, False),
    "allow_private": (bool, False),
    "sample": (bool, False),
}

_SETTING_KINDS: dict[str, type] = {
    "feed_set": str,
    "state_path": str,
    "user_agent": str,
    "workers": int,
    "per_host_concurrency": int,
    "connect_timeout_seconds": float,
    "read_timeout_seconds": float,
    "total_timeout_seconds": float,
    "max_response_bytes": int,
    "max_redirects": int,
    "jitter_fraction": float,
    "backoff_base_seconds": float,
    "backoff_max_seconds": float,
    "unhealthy_after_errors": int,
    "unhealthy_retry_seconds": float,
    "max_retry_after_seconds": float,
    "replication_factor": int,
    "deadletter_retention_hours": int,
    "compression": str,
    "delivery_timeout_seconds": float,
}
_POSITIVE = {k for k, kind in _SETTING_KINDS.items() if kind in (int, float)} - {"jitter_fraction"}
COMPRESSIONS = ("gzip", "none", "lz4", "snappy", "zstd")


def load_registry(config: Config) -> FeedRegistry:
    """Validate `[connectors]` and `[feeds.*]`; raise ConfigError naming file, feed and key."""
    settings = _settings(config)
    feeds_table = config.section("feeds")
    feeds = tuple(_feed(config, name, table) for name, table in feeds_table.items())
    return FeedRegistry(feeds=feeds, settings=settings)


def sample_server_url(config: Config) -> str:
    return f"http://127.0.0.1:{config.stack.sample_feed_port}"


def _settings(config: Config) -> ConnectorSettings:
    table = config.section("connectors")
    where = f"{config.path}: [connectors]"
    values: dict[str, Any] = {}
    for key, value in table.items():
        kind = _SETTING_KINDS.get(key)
        if kind is None:
            raise ConfigError(f"{where} {key}: unknown key (known: {', '.join(_SETTING_KINDS)})")
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise ConfigError(f"{where} {key}: must be {kind.__name__}, got {value!r}")
        if key in _POSITIVE and value <= 0:
            raise ConfigError(f"{where} {key}: must be > 0, got {value!r}")
        values[key] = value
    if values.get("feed_set", "all") not in FEED_SETS:
        raise ConfigError(
            f"{where} feed_set: must be one of {FEED_SETS}, got {values['feed_set']!r}"
        )
    if values.get("compression", "gzip") not in COMPRESSIONS:
        raise ConfigError(
            f"{where} compression: must be one of {COMPRESSIONS}, got {values['compression']!r}"
        )
    if not 0 <= values.get("jitter_fraction", 0.1) < 1:
        raise ConfigError(
            f"{where} jitter_fraction: must be in [0, 1), got {values['jitter_fraction']!r}"
        )
    state_path = Path(values.pop("state_path", "connectors/state.sqlite3")).expanduser()
    if not state_path.is_absolute():
        state_path = config.stack.home / state_path
    return ConnectorSettings(state_path=state_path, **values)


def _feed(config: Config, name: str, table: Any) -> Feed:
    where = f"{config.path}: [feeds.{name}]"
    if not FEED_NAME.match(name):
        raise ConfigError(f"{where}: feed name must match {FEED_NAME.pattern}")
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    for key in table:
        if key not in _FEED_KEYS:
            raise ConfigError(f"{where} {key}: unknown key (known: {', '.join(_FEED_KEYS)})")
    values: dict[str, Any] = {}
    for key, (kind, default) in _FEED_KEYS.items():
        if key not in table:
            if default is None:
                raise ConfigError(f"{where} {key}: missing (required)")
            values[key] = default
            continue
        value = table[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise ConfigError(f"{where} {key}: must be {kind.__name__}, got {value!r}")
        values[key] = value
    url = values["url"].replace(SAMPLE_SERVER_PLACEHOLDER, sample_server_url(config))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where} url: must be an absolute http(s) URL, got {values['url']!r}")
    if not values["source"].strip():
        raise ConfigError(f"{where} source: must not be empty")
    if not 2 <= len(values["language"]) <= 16:
        raise ConfigError(
            f"{where} language: must be a 2-16 letter code, got {values['language']!r}"
        )
    if values["poll_interval_seconds"] < 1:
        raise ConfigError(f"{where} poll_interval_seconds: must be >= 1")
    tags = values["tags"]
    if not all(isinstance(t, str) and t for t in tags):
        raise ConfigError(f"{where} tags: must be a list of non-empty strings, got {tags!r}")
    return Feed(
        name=name,
        url=url,
        source=values["source"],
        language=values["language"],
        poll_interval_seconds=values["poll_interval_seconds"],
        tags=tuple(tags),
        enabled=values["enabled"],
        full_text=values["full_text"],
        allow_private=values["allow_private"],
        sample=values["sample"],
    )
