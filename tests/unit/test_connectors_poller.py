"""The poll of one feed and the loop, with an in-memory producer (Kafka has its own tests)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from connectors.feeds import load_registry
from connectors.poller import poll_once, run_poller
from connectors.produce import DeadLetter, DeliveryError
from connectors.sample_server import FeedServer, start_feed_server, start_sample_server
from connectors.state import ConnectorState
from talkwatch.config import Config, load_config


class MemoryProducer:
    def __init__(self) -> None:
        self.articles: list[dict[str, Any]] = []
        self.dead_letters: list[DeadLetter] = []
        self.fail = False

    def send_and_wait(self, articles, dead_letters=()) -> None:
        if self.fail and (articles or dead_letters):
            raise DeliveryError("Kafka did not acknowledge: broker down (test)")
        self.articles += articles
        self.dead_letters += list(dead_letters)

    def close(self) -> None:
        pass


def write_config(tmp_path: Path, feeds: str, connectors: str = "") -> Config:
    path = tmp_path / "talkwatch.toml"
    path.write_text(f'[stack]\nhome = "{tmp_path}"\n[connectors]\n{connectors}\n{feeds}')
    return load_config(path)


@pytest.fixture
def samples() -> FeedServer:
    server = start_sample_server(0)
    yield server
    server.close()


def sample_feeds(url: str) -> str:
    return "".join(
        f'[feeds.{name}]\nurl = "{url}/{name}.xml"\nsource = "samples"\nallow_private = true\n'
        for name in ("syria-talks", "region-news"))


def test_poll_once_produces_every_sample_article_once(tmp_path: Path, samples) -> None:
    config = write_config(tmp_path, sample_feeds(samples.url))
    producer = MemoryProducer()
    first = poll_once(config, producer=producer)
    second = poll_once(config, producer=producer)
    assert (first.feeds_polled, first.articles_produced, first.feeds_failed) == (2, 14, 0)
    assert (second.articles_produced, second.not_modified) == (0, 2)
    assert len({a["id"] for a in producer.articles}) == 14


def test_a_kafka_failure_records_nothing_so_the_next_poll_produces(tmp_path: Path,
                                                                   samples) -> None:
    config = write_config(tmp_path, sample_feeds(samples.url))
    producer = MemoryProducer()
    producer.fail = True
    failed = poll_once(config, producer=producer)
    assert failed.feeds_failed == 2
    assert {r.error_kind for r in failed.results} == {"kafka"}
    with ConnectorState(load_registry(config).settings.state_path) as state:
        assert state.validators("syria-talks", samples.url + "/syria-talks.xml") == (None, None)
    producer.fail = False
    assert poll_once(config, producer=producer).articles_produced == 14


def test_errors_back_off_then_mark_the_feed_unhealthy(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        '[feeds.down]\nurl = "http://127.0.0.1:9/feed.xml"\nsource = "down"\n'
        "allow_private = true\n",
        "backoff_base_seconds = 60\nunhealthy_after_errors = 3\nunhealthy_retry_seconds = 7200\n",
    )
    delays = []
    for _ in range(4):
        result = poll_once(config, producer=MemoryProducer()).results[0]
        delays.append((result.next_poll_at.timestamp() - time.time(), result.healthy))
    assert [h for _, h in delays] == [True, True, False, False]
    assert 25 <= delays[0][0] <= 61 and 55 <= delays[1][0] <= 121
    assert delays[2][0] > 6000
    with ConnectorState(load_registry(config).settings.state_path) as state:
        down = state.feed("down")
    assert (down.consecutive_errors, down.healthy, down.last_error_kind) == (4, False,
                                                                             "connection")


def test_retry_after_postpones_the_next_poll(tmp_path: Path) -> None:
    def busy(handler) -> None:
        handler.send_response(429)
        handler.send_header("Retry-After", "3600")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    server = start_feed_server(routes={"/busy.xml": busy})
    try:
        config = write_config(tmp_path, f'[feeds.busy]\nurl = "{server.url}/busy.xml"\n'
                              'source = "busy"\nallow_private = true\n')
        result = poll_once(config, producer=MemoryProducer()).results[0]
    finally:
        server.close()
    assert (result.ok, result.status) == (False, 429)
    assert result.next_poll_at.timestamp() - time.time() > 3500


def test_run_poller_polls_on_schedule_and_stops_on_request(tmp_path: Path, samples) -> None:
    config = write_config(
        tmp_path,
        sample_feeds(samples.url).replace('source = "samples"',
                                          'source = "samples"\npoll_interval_seconds = 1'),
    )
    producer = MemoryProducer()
    stop = threading.Event()
    seen: list[str] = []
    thread = threading.Thread(target=run_poller, args=(config, stop),
                              kwargs={"producer": producer,
                                      "on_progress": lambda s, r: seen.append(r.feed)})
    thread.start()
    deadline = time.monotonic() + 20
    while len(seen) < 6 and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert seen.count("syria-talks") >= 3 and seen.count("region-news") >= 2
    assert len(producer.articles) == 14
