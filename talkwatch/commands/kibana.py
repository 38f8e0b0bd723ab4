"""`talkwatch kibana import --url URL`: data views, saved searches and the dashboard."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from deploy.kibana.client import KibanaImportError, bundled_saved_objects, import_saved_objects


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("kibana", help="Kibana saved objects (deploy/kibana)")
    commands = parser.add_subparsers(dest="kibana_command", required=True, metavar="ACTION")
    imp = commands.add_parser("import", help="import the saved objects (overwriting)")
    imp.add_argument("--url", required=True, help="Kibana base URL, e.g. http://127.0.0.1:5601")
    imp.add_argument("--space", help="Kibana space id (default space if omitted)")
    imp.add_argument("--file", type=Path, help="NDJSON to import (default: the bundled one)")
    imp.add_argument("--user", help="basic-auth user")
    imp.add_argument("--password-env", default="KIBANA_PASSWORD",
                     help="environment variable holding the password (default KIBANA_PASSWORD)")
    imp.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    ndjson = args.file.read_bytes() if args.file else bundled_saved_objects()
    try:
        result = import_saved_objects(
            args.url, ndjson, space=args.space, user=args.user,
            password=os.environ.get(args.password_env) if args.user else None,
        )
    except KibanaImportError as exc:
        print(f"error: kibana import: {exc}", file=sys.stderr)
        return 1
    print(f"imported {result.success_count} saved objects into {args.url}")
    return 0
