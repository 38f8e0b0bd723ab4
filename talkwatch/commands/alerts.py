"""`talkwatch alerts list|send`: the alert outbox and its mailer (pipelines/alerts)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime

from elasticsearch import ApiError, Elasticsearch, TransportError

from pipelines.alerts.mailer import Mailer, recent_alerts
from pipelines.alerts.outbox import Outbox
from pipelines.alerts.settings import load_alert_settings
from pipelines.sinks.indices import index_name
from talkwatch.config import load_config

STATES = ("pending", "sending", "retrying", "sent", "failed", "skipped")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("alerts", help="email alerts: list them, send pending ones")
    commands = parser.add_subparsers(dest="alerts_command", required=True, metavar="ACTION")
    listing = commands.add_parser("list", help="recent alerts and their delivery state")
    listing.add_argument("--limit", type=int, default=20)
    listing.add_argument("--state", choices=STATES, help="only alerts in this delivery state")
    listing.add_argument("--json", action="store_true", help="one JSON document per line")
    listing.set_defaults(func=list_alerts)
    send = commands.add_parser("send", help="send the pending alerts once (SMTP or mail dir)")
    send.add_argument("--retry-failed", action="store_true",
                      help="first requeue alerts the server refused for good")
    send.set_defaults(func=send_alerts)


def list_alerts(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    es = Elasticsearch(config.elasticsearch.url, request_timeout=30)
    try:
        alerts = recent_alerts(es, config.elasticsearch.index_prefix, args.limit, args.state)
    except (ApiError, TransportError) as exc:
        return _unavailable(config.elasticsearch.url, exc)
    finally:
        es.close()
    if args.json:
        for alert in alerts:
            print(json.dumps(alert, ensure_ascii=False))
        return 0
    if not alerts:
        print("no alerts")
        return 0
    for alert in alerts:
        delivery = alert.get("delivery") or {}
        print(f"{alert.get('created_at', '')[:19]}  {delivery.get('state', '?'):<8} "
              f"attempts {delivery.get('attempts', 0)}  {alert.get('subject')}")
        if delivery.get("last_error"):
            print(f"{'':21}last error: {delivery['last_error']}")
    return 0


def send_alerts(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    settings = load_alert_settings(config)
    mailer = Mailer(settings)
    try:
        if args.retry_failed:
            index = index_name(config.elasticsearch.index_prefix, "alerts")
            requeued = Outbox(mailer.es, index).requeue_failed(datetime.now(UTC))
            print(f"requeued {requeued} failed alerts")
        result = mailer.run_once()
    except (ApiError, TransportError) as exc:
        return _unavailable(config.elasticsearch.url, exc)
    finally:
        mailer.close()
    print(f"{result.line()}; via {settings.destination}")
    for error in result.errors:
        print(f"  {error}")
    return 0 if not result.errors else 1


def _unavailable(url: str, exc: Exception) -> int:
    print(f"error: elasticsearch at {url}: {exc} (is the stack up? `talkwatch stack up`)",
          file=sys.stderr)
    return 1
