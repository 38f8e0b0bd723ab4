"""The `talkwatch` command: parses arguments, calls the modules that do the work, prints.

Each subcommand lives in talkwatch/commands/<name>.py and exposes `register(subparsers)`,
which adds its parser and sets `func` to a callable taking the parsed args and returning an
exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from kafka.errors import KafkaError

from deploy.local.artifacts import FetchError
from deploy.local.process import ServiceError
from talkwatch.config import ConfigError

COMMANDS = [
    "stack",
    "extract",
    "eval",
    "pipeline",
    "demo",
    "run",
    "feeds",
    "ingest",
    "alerts",
    "kibana",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="talkwatch",
        description="Watch news feeds for rounds of Syrian peace talks.",
    )
    parser.add_argument(
        "--config", help="TOML config file (default: $TALKWATCH_CONFIG or config/talkwatch.toml)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"talkwatch.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not args.verbose:
        # Client libraries log every connection and request at INFO; keep ours readable.
        for noisy in ("kafka", "elastic_transport", "apache_beam", "urllib3"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    except (KafkaError, ServiceError, FetchError) as exc:
        # Services that are down or cannot start: one line that says which, no traceback.
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
