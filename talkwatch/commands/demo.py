"""`talkwatch demo`: the whole path once, bounded, on the bundled sample feeds."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from connectors.poller import poll_once, sample_feeds
from pipelines.alerts.mailer import Mailer
from pipelines.alerts.settings import load_alert_settings
from talkwatch import monitor
from talkwatch.config import load_config

CATCH_UP_TIMEOUT_SECONDS = 600


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help="sample feeds -> Kafka -> pipeline -> Elasticsearch, once, with a summary"
    )
    parser.add_argument("--json", type=Path, help="also write the summary as JSON here")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    alert_settings = load_alert_settings(config)  # a bad [alerts] config fails here, not later
    print("starting the local stack ...", flush=True)
    monitor.start_stack(config)
    server = monitor.serve_samples(config)
    pipeline = monitor.start_pipeline_process(config)
    try:
        feeds = sample_feeds(config)
        print(f"polling {len(feeds)} sample feeds ...", flush=True)
        polled = poll_once(config, feeds)
        print(polled.line(), flush=True)
        print(f"pipeline running (log {pipeline.log_file}); waiting until indexed ...", flush=True)
        caught_up = monitor.wait_until_caught_up(
            config,
            pipeline,
            CATCH_UP_TIMEOUT_SECONDS,
            on_tick=lambda lag: print(f"  articles waiting: {lag}", flush=True) if lag else None,
        )
    finally:
        pipeline.stop()
        if server is not None:
            server.close()
    counts = monitor.index_counts(config)
    mailer = Mailer(alert_settings)
    try:
        mailed = mailer.run_once()  # the alerts this run created (and any left pending before)
    finally:
        mailer.close()
    print(f"alert emails: {mailed.line()}; via {alert_settings.destination}")
    summary = {
        "feeds_polled": polled.feeds_polled,
        "feeds_failed": polled.feeds_failed,
        "articles_produced": polled.articles_produced,
        "articles_indexed": counts["articles"],
        "events": counts["events"],
        "actors": counts["actors"],
        "alerts": counts["alerts"],
        "emails_sent": mailed.emails_sent,
    }
    for key, value in summary.items():
        print(f"{key.replace('_', ' ')}: {value}")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    if not caught_up:
        print(f"error: pipeline did not catch up in {CATCH_UP_TIMEOUT_SECONDS}s; "
              f"see {pipeline.log_file}", file=sys.stderr)
        return 1
    return 0
