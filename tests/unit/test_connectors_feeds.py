"""The feed registry: what a valid config gives, and errors that name file, feed and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.feeds import load_registry
from talkwatch.config import DEFAULT_CONFIG, ConfigError, load_config


def registry_from(tmp_path: Path, body: str):
    path = tmp_path / "talkwatch.toml"
    path.write_text(f'[stack]\nhome = "{tmp_path}"\nsample_feed_port = 9999\n' + body)
    return load_registry(load_config(path)), path


def test_the_default_config_is_valid_and_lists_samples_and_public_feeds() -> None:
    registry = load_registry(load_config(DEFAULT_CONFIG))
    samples = [f for f in registry.feeds if f.sample]
    public = [f for f in registry.feeds if not f.sample]
    assert len(samples) == 2 and all(f.allow_private and f.enabled for f in samples)
    assert len(public) >= 12 and not any(f.allow_private for f in public)
    assert all(f.url.startswith("https://") for f in public)


def test_feed_keys_and_defaults(tmp_path: Path) -> None:
    registry, _ = registry_from(tmp_path, """
[feeds.un-news]
url = "https://news.un.org/feed/rss.xml"
source = "UN News"
tags = ["un"]
full_text = true

[feeds.samples]
url = "{sample_server}/syria-talks.xml"
source = "samples"
sample = true
allow_private = true
poll_interval_seconds = 30
""")
    un, samples = registry.feeds
    assert (un.name, un.language, un.poll_interval_seconds, un.tags, un.full_text,
            un.enabled, un.allow_private) == ("un-news", "en", 900, ("un",), True, True, False)
    assert samples.url == "http://127.0.0.1:9999/syria-talks.xml"
    assert samples.host == "127.0.0.1"
    assert registry.settings.state_path == tmp_path / "connectors" / "state.sqlite3"


@pytest.mark.parametrize(
    ("feed_set", "selected"),
    [("all", ["a", "s"]), ("samples", ["s"]), ("public", ["a"])],
)
def test_feed_set_selects_enabled_feeds(tmp_path: Path, feed_set: str, selected: list) -> None:
    registry, _ = registry_from(tmp_path, f"""
[connectors]
feed_set = "{feed_set}"
[feeds.a]
url = "https://a.example/rss"
source = "A"
[feeds.off]
url = "https://off.example/rss"
source = "Off"
enabled = false
[feeds.s]
url = "{{sample_server}}/x.xml"
source = "S"
sample = true
""")
    assert [f.name for f in registry.selected()] == selected


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[feeds.bbc]\nsource = "BBC"\n', "[feeds.bbc] url: missing (required)"),
        ('[feeds.bbc]\nurl = "ftp://bbc.example/rss"\nsource = "BBC"\n',
         "[feeds.bbc] url: must be an absolute http(s) URL"),
        ('[feeds.bbc]\nurl = "https://bbc.example/rss"\nsource = "BBC"\nenabled = "yes"\n',
         "[feeds.bbc] enabled: must be bool"),
        ('[feeds.bbc]\nurl = "https://bbc.example/rss"\nsource = "BBC"\npoll_interval = 5\n',
         "[feeds.bbc] poll_interval: unknown key"),
        ('[feeds.bbc]\nurl = "https://bbc.example/rss"\nsource = "BBC"\ntags = ["a", 1]\n',
         "[feeds.bbc] tags: must be a list of non-empty strings"),
        ('[feeds.bbc]\nurl = "https://bbc.example/rss"\nsource = "BBC"\n'
         "poll_interval_seconds = 0\n", "[feeds.bbc] poll_interval_seconds: must be >= 1"),
        ('[feeds."bad name!"]\nurl = "https://x.example/"\nsource = "X"\n',
         '[feeds.bad name!]: feed name must match'),
        ('[connectors]\nworkers = 0\n', "[connectors] workers: must be > 0"),
        ('[connectors]\nfeed_set = "some"\n', "[connectors] feed_set: must be one of"),
        ('[connectors]\ntimeout = 3\n', "[connectors] timeout: unknown key"),
        ('[connectors]\nread_timeout_seconds = "20"\n',
         "[connectors] read_timeout_seconds: must be float"),
    ],
)
def test_config_errors_name_the_file_the_feed_and_the_key(
    tmp_path: Path, body: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        registry_from(tmp_path, body)
    assert str(caught.value).startswith(str(tmp_path / "talkwatch.toml") + ": ")
    assert message in str(caught.value)
