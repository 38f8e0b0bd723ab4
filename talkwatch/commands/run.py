"""`talkwatch run`: continuous monitoring until Ctrl+C, with a progress line."""

from __future__ import annotations

import argparse
import threading
import time

from connectors.poller import PollSummary, install_stop_signals, run_poller
from pipelines.alerts.mailer import Mailer
from pipelines.alerts.settings import load_alert_settings
from talkwatch import monitor
from talkwatch.config import load_config

PROGRESS_EVERY_SECONDS = 10.0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run", help="start the stack and monitor the configured feeds until Ctrl+C"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    alert_settings = load_alert_settings(config)  # a bad [alerts] config fails here, not later
    print("starting the local stack (Kafka, Elasticsearch) ...", flush=True)
    stack = monitor.start_stack(config)
    for status in stack.status():
        print(f"  {status.name}: {status.state} port {status.port or '-'} log {status.log_file}")
    server = monitor.serve_samples(config)
    if server is not None:
        print(f"  sample feeds: {server.url}")
    pipeline = monitor.start_pipeline_process(config)
    print(f"  pipeline: Prism, log {pipeline.log_file}")
    stop = threading.Event()
    install_stop_signals(stop)
    totals = PollSummary()
    progress = threading.Thread(
        target=_report, args=(config, pipeline, stop, lambda: totals), daemon=True
    )
    progress.start()
    mailer = Mailer(alert_settings)
    mailing = threading.Thread(target=mailer.run_forever, args=(stop,), name="alert-mailer",
                               daemon=True)
    mailing.start()
    print(f"  alert emails: {alert_settings.destination}")
    print("monitoring; Ctrl+C to stop", flush=True)

    def on_progress(summary: PollSummary, _result) -> None:
        nonlocal totals
        totals = summary

    try:
        run_poller(config, stop, on_progress)
    finally:
        stop.set()
        print("stopping the pipeline ...", flush=True)
        pipeline.stop()
        mailing.join(timeout=60)  # a pass in progress finishes and records what it sent
        mailer.close()
        if server is not None:
            server.close()
    print("stopped; the stack keeps running (`talkwatch stack down` stops it)")
    return 0


def _report(config, pipeline, stop: threading.Event, totals) -> None:
    while not stop.wait(PROGRESS_EVERY_SECONDS):
        try:
            counts = monitor.index_counts(config)
            lag = monitor.total_lag(config)
        except Exception as exc:  # progress is best effort; the services report their own errors
            print(f"[{time.strftime('%H:%M:%S')}] progress unavailable: {exc}", flush=True)
            continue
        state = "running" if pipeline.alive() else f"EXITED (see {pipeline.log_file})"
        summary = totals()
        print(
            f"[{time.strftime('%H:%M:%S')}] feeds polled {summary.feeds_polled} "
            f"(failed {summary.feeds_failed}), articles produced {summary.articles_produced}, "
            f"waiting {lag}, indexed {counts['articles']}, events {counts['events']}, "
            f"actors {counts['actors']}, alerts {counts['alerts']}; pipeline {state}",
            flush=True,
        )
