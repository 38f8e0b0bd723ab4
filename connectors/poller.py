"""The long-running loop: every enabled feed on its own schedule, until told to stop.

    stop = threading.Event()
    install_stop_signals(stop)                 # SIGTERM/SIGINT set the event
    run_poller(config, stop, on_progress=print_progress)

    summary = poll_once(config, feeds=sample_feeds(config))   # bounded: each feed once

Scheduling: a heap of (due time, feed). The dispatcher hands due feeds to a thread pool, at
most `workers` at a time and at most `per_host_concurrency` per host (a feed whose host is busy
waits a moment and is retried). After a poll the feed is due again after its interval with
jitter, or after the backoff / Retry-After of its error; unhealthy feeds are retried slowly.
On start, a feed's next poll comes from the durable state, so a restart does not hammer every
feed at once; feeds never polled are spread over the first seconds.

Progress callbacks run on worker threads and must be quick.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import random
import signal
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

from connectors.feeds import Feed, FeedRegistry, load_registry
from connectors.fetch import HostLimiter
from connectors.poll import FeedPoller, FeedPollResult, Producer
from connectors.produce import ArticleProducer, ensure_topics
from connectors.state import ConnectorState
from talkwatch.config import Config

log = logging.getLogger(__name__)
HOST_BUSY_RETRY_SECONDS = 0.05
INITIAL_SPREAD_SECONDS = 5.0


@dataclass
class PollSummary:
    """Counters of a set of polls; also the running totals passed to progress callbacks."""

    feeds_polled: int = 0
    feeds_failed: int = 0
    items_seen: int = 0
    articles_produced: int = 0
    duplicates: int = 0
    deadletters: int = 0
    not_modified: int = 0
    results: list[FeedPollResult] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def add(self, result: FeedPollResult) -> None:
        self.feeds_polled += 1
        self.feeds_failed += not result.ok
        self.items_seen += result.items_seen
        self.articles_produced += result.items_new
        self.duplicates += result.duplicates
        self.deadletters += result.deadletters
        self.not_modified += result.not_modified

    def line(self) -> str:
        return (
            f"feeds polled {self.feeds_polled} (failed {self.feeds_failed}, "
            f"not modified {self.not_modified}), items seen {self.items_seen}, "
            f"articles produced {self.articles_produced}, dead letters {self.deadletters}"
        )


ProgressCallback = Callable[[PollSummary, FeedPollResult], None]


def sample_feeds(config: Config) -> list[Feed]:
    """The enabled bundled sample feeds (what `talkwatch demo` polls)."""
    return [f for f in load_registry(config).feeds if f.sample and f.enabled]


def install_stop_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT set `stop` (call from the main thread)."""

    def handler(signum: int, frame: object) -> None:
        log.info("signal %d: stopping after the polls in flight", signum)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


class _Connectors:
    """State, producer and poller for one run; closes them in the right order."""

    def __init__(self, config: Config, registry: FeedRegistry, producer: Producer | None) -> None:
        self.settings = registry.settings
        # A producer handed in belongs to the caller, who closes it; ours we close.
        self.owns_producer = producer is None
        if producer is None:
            ensure_topics(config.kafka, self.settings)
            producer = ArticleProducer(config.kafka, self.settings)
        self.producer = producer
        self.state = ConnectorState(self.settings.state_path)
        self.limiter = HostLimiter(self.settings.per_host_concurrency)
        self.poller = FeedPoller(self.settings, self.state, producer, self.limiter)

    def close(self) -> None:
        try:
            if self.owns_producer:
                self.producer.close()  # flushes anything buffered
        finally:
            self.state.close()


def poll_once(
    config: Config,
    feeds: Iterable[Feed] | None = None,
    *,
    producer: Producer | None = None,
    on_progress: ProgressCallback | None = None,
) -> PollSummary:
    """Poll each feed once (default: the selected enabled feeds), now, and return the counts.

    Bounded: every fetch has a total timeout, so this returns after roughly
    (feeds / workers) x total_timeout at worst. A given producer is not closed."""
    registry = load_registry(config)
    feeds = list(registry.selected() if feeds is None else feeds)
    run = _Connectors(config, registry, producer)
    try:
        summary = PollSummary()
        _dispatch(
            run,
            [(time.monotonic(), feed) for feed in feeds],
            summary,
            on_progress,
            stop=threading.Event(),
            repeat=False,
        )
        return summary
    finally:
        run.close()


def run_poller(
    config: Config,
    stop: threading.Event,
    on_progress: ProgressCallback | None = None,
    *,
    feeds: Iterable[Feed] | None = None,
    producer: Producer | None = None,
) -> PollSummary:
    """Poll the selected feeds on their schedules until `stop` is set; returns the totals."""
    registry = load_registry(config)
    feeds = list(registry.selected() if feeds is None else feeds)
    run = _Connectors(config, registry, producer)
    log.info("polling %d feeds (state %s)", len(feeds), run.settings.state_path)
    try:
        summary = PollSummary()
        _dispatch(
            run, _initial_schedule(run.state, feeds), summary, on_progress, stop=stop, repeat=True
        )
        return summary
    finally:
        run.close()


def _initial_schedule(state: ConnectorState, feeds: list[Feed]) -> list[tuple[float, Feed]]:
    now_wall = datetime.now(UTC)
    now = time.monotonic()
    schedule = []
    for feed in feeds:
        known = state.feed(feed.name)
        if known and known.next_poll_at and known.url == feed.url:
            wait = (datetime.fromisoformat(known.next_poll_at) - now_wall).total_seconds()
            # A restart never postpones a poll beyond the feed's own interval.
            wait = min(max(wait, 0.0), float(feed.poll_interval_seconds))
        else:
            wait = random.uniform(0, min(INITIAL_SPREAD_SECONDS, feed.poll_interval_seconds))
        schedule.append((now + wait, feed))
    return schedule


def _dispatch(
    run: _Connectors,
    schedule: list[tuple[float, Feed]],
    summary: PollSummary,
    on_progress: ProgressCallback | None,
    *,
    stop: threading.Event,
    repeat: bool,
) -> None:
    order = itertools.count()
    heap = [(due, next(order), feed) for due, feed in schedule]
    heapq.heapify(heap)
    lock = threading.Lock()
    wake = threading.Event()
    in_flight = 0
    workers = run.settings.workers

    def finished(feed: Feed, result: FeedPollResult) -> None:
        nonlocal in_flight
        run.limiter.release(feed.host)
        with lock:
            in_flight -= 1
            summary.add(result)
            if not repeat:  # a long run would keep every result forever
                summary.results.append(result)
            if repeat and result.next_poll_at is not None:
                wait = (result.next_poll_at - datetime.now(UTC)).total_seconds()
                heapq.heappush(heap, (time.monotonic() + max(wait, 0.0), next(order), feed))
        wake.set()
        if on_progress is not None:
            try:
                on_progress(summary, result)
            except Exception:
                log.exception("progress callback failed")

    def work(feed: Feed) -> None:
        try:
            result = run.poller.poll(feed)
        except BaseException as exc:  # poll() catches feed errors; this is a bug: keep the loop
            log.exception("feed %s: poll crashed", feed.name)
            result = FeedPollResult(
                feed=feed.name, ok=False, error=repr(exc), error_kind="internal"
            )
        finished(feed, result)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="poll") as pool:
        while not stop.is_set():
            wake.clear()
            with lock:
                if not repeat and not heap and in_flight == 0:
                    break  # every feed polled once
                now = time.monotonic()
                deferred = []
                while heap and heap[0][0] <= now and in_flight < workers:
                    due, _, feed = heapq.heappop(heap)
                    if run.limiter.try_acquire(feed.host):
                        in_flight += 1
                        pool.submit(work, feed)
                    else:
                        deferred.append((now + HOST_BUSY_RETRY_SECONDS, next(order), feed))
                for item in deferred:
                    heapq.heappush(heap, item)
                next_due = heap[0][0] if heap else now + 1.0
                wait = 1.0 if in_flight >= workers else max(0.0, min(next_due - now, 1.0))
            wake.wait(wait)
        if stop.is_set():
            log.info("stopping: waiting for %d polls in flight", in_flight)
