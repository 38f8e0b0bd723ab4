"""`talkwatch ingest PATH...`: backfill saved feed files or JSONL archives into Kafka."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kafka.errors import KafkaError

from connectors.ingest import ingest_paths
from talkwatch.config import load_config


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ingest", help="publish articles from saved feed files or JSONL archives (backfill)"
    )
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="RSS/Atom files, or .jsonl/.ndjson archives (one article a line)",
    )
    parser.add_argument(
        "--feed",
        help="attribute the articles to this configured feed "
        "(its source, language and tags); default: 'backfill'",
    )
    parser.add_argument(
        "--base-url", help="URL the files were saved from, to resolve relative links"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    try:
        summary = ingest_paths(config, args.paths, feed_name=args.feed, base_url=args.base_url)
    except KafkaError as exc:
        print(f"error: Kafka at {config.kafka.bootstrap}: {exc}", file=sys.stderr)
        return 1
    for error in summary.errors:
        print(f"error: {error}")
    print(summary.line())
    return 1 if summary.errors else 0
