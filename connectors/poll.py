"""One poll of one feed: fetch -> parse -> normalise -> dedup -> produce -> record.

`FeedPoller.poll` never raises for a problem of the feed: every failure becomes a FeedPollResult
with the error, recorded in the connector state with the backoff that follows from it, so one
broken feed cannot stop the others. `publish_entries` is the part shared with backfill
(`talkwatch ingest`): the same normalisation, validation, dedup and dead letters.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from connectors.feeds import ConnectorSettings, Feed
from connectors.fetch import (
    FetchError,
    FetchLimits,
    FetchResponse,
    HostLimiter,
    backoff_delay,
    fetch,
)
from connectors.normalize import NormalizationError, iso_utc, normalize_entry, raw_entry
from connectors.parse import FeedParseError, parse_feed
from connectors.produce import DeadLetter, DeliveryError, dead_letter
from connectors.state import ConnectorState, PollRecord
from schemas.models import InvalidMessage

log = logging.getLogger(__name__)


class Producer(Protocol):
    def send_and_wait(
        self, articles: list[dict[str, Any]], dead_letters: list[DeadLetter] = ...
    ) -> None: ...

    def close(self) -> None: ...


@dataclass
class FeedPollResult:
    feed: str
    ok: bool
    status: int | None = None
    not_modified: bool = False
    items_seen: int = 0
    items_new: int = 0
    duplicates: int = 0
    deadletters: int = 0
    error: str | None = None
    error_kind: str | None = None
    warnings: list[str] = field(default_factory=list)
    healthy: bool = True
    next_poll_at: datetime | None = None


@dataclass
class Published:
    """What `publish_entries` did with a batch of entries."""

    items_seen: int = 0
    new_ids: list[str] = field(default_factory=list)
    duplicates: int = 0
    deadletter_keys: list[str] = field(default_factory=list)
    claimed: list[str] = field(default_factory=list)


def settings_limits(settings: ConnectorSettings) -> FetchLimits:
    return FetchLimits(
        connect_timeout=settings.connect_timeout_seconds,
        read_timeout=settings.read_timeout_seconds,
        total_timeout=settings.total_timeout_seconds,
        max_bytes=settings.max_response_bytes,
        max_redirects=settings.max_redirects,
        user_agent=settings.user_agent,
    )


def publish_entries(
    entries: list[dict[str, Any]],
    feed: Feed,
    *,
    base_url: str,
    fetched_at: datetime,
    state: ConnectorState,
    producer: Producer,
    enrich: Any = None,
) -> Published:
    """Normalise, validate, dedup and produce entries; dead-letter the ones that fail.

    The caller must `state.release(result.claimed)` after recording the ids (or on failure).
    Raises DeliveryError when Kafka does not acknowledge; nothing is then recorded as seen.
    """
    messages: dict[str, dict[str, Any]] = {}
    letters: dict[str, DeadLetter] = {}
    duplicates = 0
    for entry in entries:
        try:
            message = normalize_entry(
                entry, feed, base_url=base_url, fetched_at=fetched_at
            ).to_message()
        except (NormalizationError, InvalidMessage) as exc:
            reason = str(exc)
        except Exception as exc:  # a shape of entry nobody foresaw: a record, not a crash
            reason = f"cannot normalise: {type(exc).__name__}: {exc}"
            log.exception("feed %s: unexpected error normalising an entry", feed.name)
        else:
            if message["id"] in messages:
                duplicates += 1  # the same article twice in one document (guid or link)
                continue
            messages[message["id"]] = message
            continue
        raw = raw_entry(entry)
        key = (
            "dl-"
            + hashlib.sha256(
                json.dumps([feed.name, reason, raw], sort_keys=True).encode()
            ).hexdigest()[:32]
        )
        letters[key] = dead_letter(feed.name, reason, raw, key, fetched_at)

    claimed = state.claim(list(messages) + list(letters))
    fresh = [messages[k] for k in claimed if k in messages]
    fresh_letters = [letters[k] for k in claimed if k in letters]
    duplicates += len(messages) - len(fresh)
    try:
        if enrich is not None and fresh:
            fresh = enrich(fresh)
        producer.send_and_wait(fresh, fresh_letters)
    except BaseException:
        state.release(claimed)
        raise
    for letter in fresh_letters:
        log.warning("dead letter from feed %s: %s", feed.name, letter.reason)
    return Published(
        items_seen=len(entries),
        new_ids=[m["id"] for m in fresh],
        duplicates=duplicates,
        deadletter_keys=[d.key for d in fresh_letters],
        claimed=claimed,
    )


class FeedPoller:
    """Polls feeds one at a time per call; thread-safe (state, producer and limiter are)."""

    def __init__(
        self,
        settings: ConnectorSettings,
        state: ConnectorState,
        producer: Producer,
        limiter: HostLimiter | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.state = state
        self.producer = producer
        self.limits = settings_limits(settings)
        self.limiter = limiter or HostLimiter(settings.per_host_concurrency)
        self.rng = rng or random.Random()

    def poll(self, feed: Feed, now: datetime | None = None) -> FeedPollResult:
        now = now or datetime.now(UTC)
        try:
            return self._poll(feed, now)
        except Exception as exc:  # a bug must cost one poll of one feed, not the poller
            log.exception("feed %s: unexpected error", feed.name)
            return self._failed(feed, now, "internal", f"{type(exc).__name__}: {exc}", None, None)

    def _poll(self, feed: Feed, now: datetime) -> FeedPollResult:
        etag, last_modified = self.state.validators(feed.name, feed.url)
        try:
            response = fetch(
                feed.url,
                limits=self.limits,
                allow_private=feed.allow_private,
                etag=etag,
                last_modified=last_modified,
            )
        except FetchError as exc:
            return self._failed(feed, now, exc.kind, str(exc), exc.status, exc.retry_after)
        if response.not_modified:
            return self._succeeded(
                feed,
                now,
                response,
                Published(),
                [],
                etag=response.etag or etag,
                last_modified=response.last_modified or last_modified,
            )
        try:
            parsed = parse_feed(response.body, url=response.url, content_type=response.content_type)
        except FeedParseError as exc:
            return self._failed(feed, now, exc.kind, str(exc), response.status, None)
        enrich = self._full_text(feed) if feed.full_text else None
        try:
            published = publish_entries(
                parsed.entries,
                feed,
                base_url=response.url,
                fetched_at=now,
                state=self.state,
                producer=self.producer,
                enrich=enrich,
            )
        except DeliveryError as exc:
            return self._failed(feed, now, "kafka", str(exc), response.status, None)
        try:
            return self._succeeded(
                feed,
                now,
                response,
                published,
                parsed.warnings,
                etag=response.etag,
                last_modified=response.last_modified,
            )
        finally:
            self.state.release(published.claimed)

    def _succeeded(
        self,
        feed: Feed,
        now: datetime,
        response: FetchResponse,
        published: Published,
        warnings: list[str],
        *,
        etag: str | None,
        last_modified: str | None,
    ) -> FeedPollResult:
        if response.redirects:
            warnings = [*warnings, f"redirected to {response.url}"]
        if published.duplicates:
            warnings = [*warnings, f"{published.duplicates} duplicate entries skipped"]
        if published.deadletter_keys:
            warnings = [*warnings, f"{len(published.deadletter_keys)} entries dead-lettered"]
        delay = feed.poll_interval_seconds * (
            1 + self.rng.uniform(-1, 1) * self.settings.jitter_fraction
        )
        next_poll = now + timedelta(seconds=delay)
        self.state.record_poll(
            PollRecord(
                feed=feed.name,
                url=feed.url,
                polled_at=iso_utc(now),
                next_poll_at=iso_utc(next_poll),
                status=response.status,
                ok=True,
                healthy=True,
                etag=etag,
                last_modified=last_modified,
                warning="; ".join(warnings) or None,
                items_seen=published.items_seen,
                new_ids=tuple(published.new_ids),
                deadletter_keys=tuple(published.deadletter_keys),
            )
        )
        for warning in warnings:
            log.info("feed %s: %s", feed.name, warning)
        return FeedPollResult(
            feed=feed.name,
            ok=True,
            status=response.status,
            not_modified=response.not_modified,
            items_seen=published.items_seen,
            items_new=len(published.new_ids),
            duplicates=published.duplicates,
            deadletters=len(published.deadletter_keys),
            warnings=warnings,
            healthy=True,
            next_poll_at=next_poll,
        )

    def _failed(
        self,
        feed: Feed,
        now: datetime,
        kind: str,
        message: str,
        status: int | None,
        retry_after: float | None,
    ) -> FeedPollResult:
        settings = self.settings
        errors = self.state.consecutive_errors(feed.name) + 1
        healthy = errors < settings.unhealthy_after_errors
        if healthy:
            delay = backoff_delay(
                errors, settings.backoff_base_seconds, settings.backoff_max_seconds, self.rng
            )
        else:
            # Unhealthy feeds are retried slowly but forever: a site that is down for a week
            # comes back on its own, and status shows it meanwhile.
            delay = settings.unhealthy_retry_seconds * self.rng.uniform(0.9, 1.1)
        if retry_after is not None:
            delay = max(delay, min(retry_after, settings.max_retry_after_seconds))
        next_poll = now + timedelta(seconds=delay)
        self.state.record_poll(
            PollRecord(
                feed=feed.name,
                url=feed.url,
                polled_at=iso_utc(now),
                next_poll_at=iso_utc(next_poll),
                status=status,
                ok=False,
                healthy=healthy,
                error=message,
                error_kind=kind,
            )
        )
        log.warning(
            "feed %s: %s (error %d in a row, next poll in %.0fs%s)",
            feed.name,
            message,
            errors,
            delay,
            "" if healthy else ", unhealthy",
        )
        return FeedPollResult(
            feed=feed.name,
            ok=False,
            status=status,
            error=message,
            error_kind=kind,
            healthy=healthy,
            next_poll_at=next_poll,
        )

    def _full_text(self, feed: Feed) -> Any:
        from connectors.fulltext import fetch_full_text

        def enrich(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [fetch_full_text(m, feed, self.limits, self.limiter) for m in messages]

        return enrich
