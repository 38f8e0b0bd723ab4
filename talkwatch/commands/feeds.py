"""`talkwatch feeds list|status|poll|serve-samples`: the feed registry and connector state."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from dataclasses import asdict

from kafka.errors import KafkaError

from connectors.feeds import Feed, load_registry
from connectors.poller import poll_once
from connectors.sample_server import start_sample_server
from connectors.state import ConnectorState, FeedState
from talkwatch.config import load_config


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("feeds", help="list feeds, show their state, poll once")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="the configured feeds (validates the config)")
    status = actions.add_parser(
        "status", help="per feed: last poll, HTTP status, items seen/new, errors, next poll"
    )
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")
    poll = actions.add_parser("poll", help="poll the selected feeds once and produce to Kafka")
    poll.add_argument("--feed", action="append", help="only this feed (repeatable)")
    serve = actions.add_parser("serve-samples", help="serve the bundled sample feeds until Ctrl+C")
    serve.add_argument("--port", type=int, help="default: [stack] sample_feed_port")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    registry = load_registry(config)
    if args.action == "list":
        print(
            _table(
                [("FEED", "ENABLED", "INTERVAL", "SOURCE", "URL")]
                + [
                    (
                        f.name,
                        _enabled(f, registry.selected()),
                        f"{f.poll_interval_seconds}s",
                        f.source,
                        f.url,
                    )
                    for f in registry.feeds
                ]
            )
        )
        return 0
    if args.action == "status":
        with ConnectorState(registry.settings.state_path) as state:
            known = {s.feed: s for s in state.feeds()}
        if args.json:
            print(
                json.dumps([_status_record(f, known.get(f.name)) for f in registry.feeds], indent=2)
            )
        else:
            print(
                _table(
                    [_STATUS_HEADER] + [_status_row(f, known.get(f.name)) for f in registry.feeds]
                )
            )
        return 0
    if args.action == "poll":
        feeds = [registry.get(name) for name in args.feed] if args.feed else None
        try:
            summary = poll_once(config, feeds)
        except KafkaError as exc:
            print(f"error: Kafka at {config.kafka.bootstrap}: {exc}", file=sys.stderr)
            return 1
        for result in summary.results:
            outcome = "ok" if result.ok else f"error: {result.error}"
            print(
                f"{result.feed}: HTTP {result.status or '-'}, seen {result.items_seen}, "
                f"new {result.items_new}, {outcome}"
            )
        print(summary.line())
        return 0 if summary.feeds_failed == 0 else 1
    server = start_sample_server(args.port or config.stack.sample_feed_port)
    print(f"serving sample feeds on {server.url}: " + ", ".join(server.feed_urls), flush=True)
    try:
        threading.Event().wait()
    finally:
        server.close()
    return 0


_STATUS_HEADER = (
    "FEED",
    "LAST POLL",
    "HTTP",
    "SEEN",
    "NEW",
    "ERRORS",
    "NEXT POLL",
    "HEALTH",
    "LAST PROBLEM",
)


def _enabled(feed: Feed, selected: list[Feed]) -> str:
    if feed in selected:
        return "yes"
    return "no" if not feed.enabled else "no (feed_set)"


def _status_record(feed: Feed, state: FeedState | None) -> dict[str, object]:
    record: dict[str, object] = {"feed": feed.name, "url": feed.url, "enabled": feed.enabled}
    if state is not None:
        record.update(asdict(state))
    return record


def _status_row(feed: Feed, state: FeedState | None) -> tuple[str, ...]:
    if state is None:
        return (feed.name, "never", "-", "0", "0", "0", "-", "-", "")
    problem = state.last_error if state.consecutive_errors else (state.last_warning or "")
    return (
        feed.name,
        _when(state.last_poll_at),
        str(state.last_status or "-"),
        f"{state.last_items_seen} ({state.items_seen})",
        f"{state.last_items_new} ({state.items_new})",
        str(state.consecutive_errors),
        _when(state.next_poll_at),
        "ok" if state.healthy else "UNHEALTHY",
        (problem or "")[:80],
    )


def _when(iso: str | None) -> str:
    return iso.replace("T", " ").removesuffix("Z") if iso else "-"


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
