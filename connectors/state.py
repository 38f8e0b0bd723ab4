"""Durable connector state: per-feed validators, health and counters, and the ids already
produced, in a local SQLite database (by default `<stack.home>/connectors/state.sqlite3`).

Why SQLite and not a compacted Kafka topic:
- Dedup and the conditional-GET validators must change together with the poll that produced the
  articles: one SQLite transaction records the new ids, the ETag/Last-Modified and the counters,
  so a crash never leaves validators that claim "already have it" for items never produced.
- A seen-id lookup is an indexed read, not a replay of a topic at start (hundreds of feeds for
  months is millions of ids).
- `talkwatch feeds status` reads it without a broker running, and `stack down --purge` clears it
  with the other local data.
A compacted topic would survive the loss of this machine's disk; stable article ids keep the
pipeline idempotent anyway, so losing this file costs re-production, never wrong data.

Ordering rule (at-least-once, never silently lost): an id is recorded as seen only after Kafka
acknowledged the article (acks=all). A crash between the acknowledgement and the commit here
re-produces those articles after a restart, with the same ids, which downstream dedups.
Within one process, `claim` stops two feeds carrying the same article from producing it twice.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS feed_state (
    feed TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    last_poll_at TEXT,
    last_success_at TEXT,
    last_status INTEGER,
    last_error TEXT,
    last_error_kind TEXT,
    last_warning TEXT,
    consecutive_errors INTEGER NOT NULL DEFAULT 0,
    healthy INTEGER NOT NULL DEFAULT 1,
    next_poll_at TEXT,
    polls INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    last_items_seen INTEGER NOT NULL DEFAULT 0,
    last_items_new INTEGER NOT NULL DEFAULT 0,
    items_seen INTEGER NOT NULL DEFAULT 0,
    items_new INTEGER NOT NULL DEFAULT 0,
    deadletters INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS seen (
    id TEXT PRIMARY KEY,
    feed TEXT NOT NULL,
    first_seen TEXT NOT NULL
) WITHOUT ROWID;
"""
_LOOKUP_BATCH = 500


@dataclass(frozen=True)
class FeedState:
    feed: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_poll_at: str | None = None
    last_success_at: str | None = None
    last_status: int | None = None
    last_error: str | None = None
    last_error_kind: str | None = None
    last_warning: str | None = None
    consecutive_errors: int = 0
    healthy: bool = True
    next_poll_at: str | None = None
    polls: int = 0
    errors: int = 0
    last_items_seen: int = 0
    last_items_new: int = 0
    items_seen: int = 0
    items_new: int = 0
    deadletters: int = 0


@dataclass(frozen=True)
class PollRecord:
    """What one poll of a feed changes in the state."""

    feed: str
    url: str
    polled_at: str
    next_poll_at: str
    status: int | None
    ok: bool
    healthy: bool
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    error_kind: str | None = None
    warning: str | None = None
    items_seen: int = 0
    new_ids: tuple[str, ...] = ()
    deadletter_keys: tuple[str, ...] = ()


class ConnectorState:
    """Thread-safe: one connection behind a lock (writes are one small transaction per poll)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(
            self.path, check_same_thread=False, timeout=30, isolation_level=None
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()
        self._claimed: set[str] = set()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> ConnectorState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def feed(self, name: str) -> FeedState | None:
        with self._lock:
            cursor = self._db.execute("SELECT * FROM feed_state WHERE feed = ?", (name,))
            row = cursor.fetchone()
            return _feed_state(cursor, row) if row else None

    def feeds(self) -> list[FeedState]:
        with self._lock:
            cursor = self._db.execute("SELECT * FROM feed_state ORDER BY feed")
            return [_feed_state(cursor, row) for row in cursor.fetchall()]

    def validators(self, name: str, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) from the last good poll of this URL; none if the URL changed."""
        state = self.feed(name)
        if state is None or state.url != url:
            return None, None
        return state.etag, state.last_modified

    def is_seen(self, key: str) -> bool:
        return not self.unseen([key])

    def unseen(self, keys: Iterable[str]) -> list[str]:
        """The keys never recorded as produced, in the given order."""
        keys = list(dict.fromkeys(keys))
        found: set[str] = set()
        with self._lock:
            for start in range(0, len(keys), _LOOKUP_BATCH):
                batch = keys[start : start + _LOOKUP_BATCH]
                marks = ",".join("?" * len(batch))
                rows = self._db.execute(f"SELECT id FROM seen WHERE id IN ({marks})", batch)
                found.update(row[0] for row in rows)
        return [k for k in keys if k not in found]

    def claim(self, keys: Iterable[str]) -> list[str]:
        """Unseen keys not being produced by another worker of this process; release them with
        `release` once the poll is recorded (or failed)."""
        candidates = self.unseen(keys)
        with self._lock:
            mine = [k for k in candidates if k not in self._claimed]
            self._claimed.update(mine)
        return mine

    def release(self, keys: Iterable[str]) -> None:
        with self._lock:
            self._claimed.difference_update(keys)

    def record_seen(self, feed: str, keys: Iterable[str], at: str) -> None:
        with self._lock, self._transaction():
            self._insert_seen(feed, keys, at)

    def record_poll(self, record: PollRecord) -> None:
        """Commit one poll: counters, health, validators (only on success) and the new ids."""
        with self._lock, self._transaction():
            self._db.execute(
                "INSERT OR IGNORE INTO feed_state (feed, url) VALUES (?, ?)",
                (record.feed, record.url),
            )
            if record.ok:
                self._db.execute(
                    """UPDATE feed_state SET url = ?, etag = ?, last_modified = ?,
                       last_poll_at = ?, last_success_at = ?, last_status = ?,
                       last_warning = ?, consecutive_errors = 0, healthy = 1, next_poll_at = ?,
                       polls = polls + 1, last_items_seen = ?, last_items_new = ?,
                       items_seen = items_seen + ?, items_new = items_new + ?,
                       deadletters = deadletters + ?
                       WHERE feed = ?""",
                    (
                        record.url,
                        record.etag,
                        record.last_modified,
                        record.polled_at,
                        record.polled_at,
                        record.status,
                        record.warning,
                        record.next_poll_at,
                        record.items_seen,
                        len(record.new_ids),
                        record.items_seen,
                        len(record.new_ids),
                        len(record.deadletter_keys),
                        record.feed,
                    ),
                )
            else:
                self._db.execute(
                    """UPDATE feed_state SET url = ?, last_poll_at = ?, last_status = ?,
                       last_error = ?, last_error_kind = ?, last_warning = ?,
                       consecutive_errors = consecutive_errors + 1, healthy = ?,
                       next_poll_at = ?, polls = polls + 1, errors = errors + 1,
                       last_items_seen = 0, last_items_new = 0
                       WHERE feed = ?""",
                    (
                        record.url,
                        record.polled_at,
                        record.status,
                        record.error,
                        record.error_kind,
                        record.warning,
                        int(record.healthy),
                        record.next_poll_at,
                        record.feed,
                    ),
                )
            self._insert_seen(record.feed, record.new_ids, record.polled_at)
            self._insert_seen(record.feed, record.deadletter_keys, record.polled_at)

    def consecutive_errors(self, name: str) -> int:
        state = self.feed(name)
        return state.consecutive_errors if state else 0

    def _insert_seen(self, feed: str, keys: Iterable[str], at: str) -> None:
        self._db.executemany(
            "INSERT OR IGNORE INTO seen (id, feed, first_seen) VALUES (?, ?, ?)",
            [(key, feed, at) for key in keys],
        )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")


def _feed_state(cursor: sqlite3.Cursor, row: tuple) -> FeedState:
    values = dict(zip((c[0] for c in cursor.description), row, strict=True))
    values["healthy"] = bool(values["healthy"])
    return FeedState(**values)
