"""`talkwatch stack fetch|up|down|status`: the local Kafka, Elasticsearch and Prism."""

from __future__ import annotations

import argparse
import sys

from deploy.local.artifacts import FetchError
from deploy.local.process import ServiceError, ServiceStatus
from deploy.local.stack import LocalStack
from talkwatch.config import load_config


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("stack", help="start, stop and inspect the local services")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("fetch", help="download and cache the service artifacts")
    actions.add_parser("up", help="start Kafka and Elasticsearch (idempotent)")
    down = actions.add_parser("down", help="stop the services")
    down.add_argument(
        "--purge", action="store_true", help="also delete local data (keeps downloads)"
    )
    actions.add_parser("status", help="state, port, version, data dir and log of each service")
    parser.set_defaults(func=run)


def format_status(statuses: list[ServiceStatus]) -> str:
    rows = [("SERVICE", "STATE", "PORT", "VERSION", "DATA", "LOG")]
    for s in statuses:
        rows.append(
            (s.name, s.state, str(s.port or "-"), s.version, str(s.data_dir), str(s.log_file))
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def run(args: argparse.Namespace) -> int:
    stack = LocalStack(load_config(args.config).stack)
    try:
        if args.action == "fetch":
            for name, path in stack.fetch().items():
                print(f"{name}: {path}")
        elif args.action == "up":
            print(format_status(stack.up()))
        elif args.action == "down":
            stack.down(purge=args.purge)
            print("stopped" + (" and purged local data" if args.purge else ""))
        else:
            print(format_status(stack.status()))
    except (ServiceError, FetchError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
