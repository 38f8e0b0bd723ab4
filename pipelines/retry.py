"""Retrying calls to Elasticsearch while it is away, with capped exponential backoff."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from elasticsearch import ApiError, TransportError

log = logging.getLogger(__name__)

T = TypeVar("T")
RETRYABLE_STATUS = {408, 429, 500, 502, 503, 504}
MAX_BACKOFF_SECONDS = 30.0


def backoff_delays(first: float = 0.5, cap: float = MAX_BACKOFF_SECONDS) -> Iterator[float]:
    """Exponential backoff with jitter, forever: callers never give their data up."""
    delay = first
    while True:
        yield random.uniform(delay / 2, delay)
        delay = min(delay * 2, cap)


def retryable(exc: Exception) -> bool:
    if isinstance(exc, ApiError):
        return exc.meta.status in RETRYABLE_STATUS
    return isinstance(exc, TransportError)  # connection refused, timeouts


def call_until_available(call: Callable[[], T], what: str) -> T:
    """Run `call`, waiting out Elasticsearch outages; other errors propagate."""
    for delay in backoff_delays():
        try:
            return call()
        except (ApiError, TransportError) as exc:
            if not retryable(exc):
                raise
            log.warning("elasticsearch unavailable for %s (%s); retry in %.1fs", what, exc, delay)
            time.sleep(delay)
    raise AssertionError("unreachable")
