"""Connector state in SQLite: validators, counters, health and seen ids survive a reopen."""

from __future__ import annotations

from pathlib import Path

from connectors.state import ConnectorState, PollRecord


def record(**changes) -> PollRecord:
    values = dict(feed="astana-times", url="https://astanatimes.com/feed/",
                  polled_at="2024-05-01T12:00:00Z", next_poll_at="2024-05-01T12:15:00Z",
                  status=200, ok=True, healthy=True, etag='"v1"',
                  last_modified="Wed, 01 May 2024 11:00:00 GMT", items_seen=3,
                  new_ids=("a" * 32, "b" * 32), deadletter_keys=("dl-1",))
    values.update(changes)
    return PollRecord(**values)


def test_a_successful_poll_is_durable(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with ConnectorState(path) as state:
        state.record_poll(record())
    with ConnectorState(path) as state:
        feed = state.feed("astana-times")
        assert state.validators("astana-times", "https://astanatimes.com/feed/") == (
            '"v1"', "Wed, 01 May 2024 11:00:00 GMT")
        assert (feed.last_status, feed.last_items_seen, feed.last_items_new, feed.deadletters,
                feed.healthy, feed.next_poll_at) == (200, 3, 2, 1, True, "2024-05-01T12:15:00Z")
        assert state.unseen(["a" * 32, "c" * 32, "dl-1"]) == ["c" * 32]


def test_validators_are_dropped_when_the_feed_url_changes(tmp_path: Path) -> None:
    with ConnectorState(tmp_path / "s.db") as state:
        state.record_poll(record())
        assert state.validators("astana-times", "https://astanatimes.com/feed/atom/") == (
            None, None)


def test_failures_count_up_keep_validators_and_reset_on_success(tmp_path: Path) -> None:
    with ConnectorState(tmp_path / "s.db") as state:
        state.record_poll(record())
        for _ in range(3):
            state.record_poll(record(ok=False, healthy=False, status=None, error="timed out",
                                     error_kind="timeout", new_ids=(), deadletter_keys=()))
        failed = state.feed("astana-times")
        assert (failed.consecutive_errors, failed.errors, failed.healthy, failed.last_error,
                failed.etag) == (3, 3, False, "timed out", '"v1"')
        state.record_poll(record(new_ids=(), deadletter_keys=()))
        assert state.feed("astana-times").consecutive_errors == 0
        assert state.feed("astana-times").healthy


def test_claims_keep_two_workers_from_producing_the_same_id(tmp_path: Path) -> None:
    with ConnectorState(tmp_path / "s.db") as state:
        assert state.claim(["x", "y"]) == ["x", "y"]
        assert state.claim(["y", "z"]) == ["z"]
        state.release(["x", "y", "z"])
        assert state.claim(["y"]) == ["y"]


def test_unseen_handles_large_batches(tmp_path: Path) -> None:
    with ConnectorState(tmp_path / "s.db") as state:
        ids = [f"{i:032x}" for i in range(1200)]
        state.record_seen("f", ids[:1000], "2024-05-01T12:00:00Z")
        assert state.unseen(ids) == ids[1000:]
