"""`talkwatch pipeline run|status`: the Beam streaming pipeline on Prism (or another runner)."""

from __future__ import annotations

import argparse
import faulthandler
import signal
import threading

from talkwatch.config import load_config


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("pipeline", help="run or inspect the streaming pipeline")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    run = actions.add_parser("run", help="run until SIGTERM/Ctrl+C (Prism by default)")
    run.add_argument(
        "--runner",
        help="prism (the local default, or [pipeline] runner in the config) or any Beam "
        "runner name, e.g. FlinkRunner; extra Beam flags go after --",
    )
    run.add_argument("beam_args", nargs=argparse.REMAINDER, help="extra Beam pipeline flags")
    actions.add_parser("status", help="consumer lag, per-stage counters, dead letters")
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    if args.action == "run":
        return run(config, args)
    return status(config)


def run(config, args: argparse.Namespace) -> int:
    # Beam and spaCy load only for the commands that run them.
    from deploy.local.stack import LocalStack
    from pipelines.runner import run_pipeline, stop_on_signals

    extra = [a for a in args.beam_args if a != "--"]
    runner = args.runner or config.section("pipeline").get("runner", "prism")
    prism = None
    if runner == "prism":
        prism = LocalStack(config.stack).prism()
    else:
        # The SDK worker runs in this process for an embedded Flink too.
        extra += [f"--runner={runner}", "--environment_type=LOOPBACK"]
    # `kill -USR1 <pid>` prints every thread's stack to the log: for a pipeline that seems stuck.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    stop = threading.Event()
    stop_on_signals(stop)
    state = run_pipeline(config, prism, stop, extra)
    print(f"pipeline stopped: {state}")
    return 1 if state in ("FAILED", "UNKNOWN") else 0


def status(config) -> int:
    from pipelines.runner import status_file
    from pipelines.status import consumer_lag, read_status, topic_size

    group = config.section("pipeline").get("group_id", "talkwatch-pipeline")
    lags = consumer_lag(config.kafka.bootstrap, config.kafka.articles_topic, group)
    print(f"consumer group {group} on {config.kafka.articles_topic}:")
    for lag in lags:
        committed = "-" if lag.committed is None else lag.committed
        print(f"  partition {lag.partition}: committed {committed} end {lag.end} lag {lag.lag}")
    snapshot = read_status(status_file(config))
    print(f"pipeline: {snapshot['state']} (updated {snapshot.get('updated_at', '-')})")
    for name, value in sorted(snapshot["counters"].items()):
        print(f"  {name}: {int(value)}")
    print(f"dead letters in {config.kafka.deadletter_topic}: "
          f"{topic_size(config.kafka.bootstrap, config.kafka.deadletter_topic)}")
    print(f"last error: {snapshot.get('last_error') or '-'}")
    return 0
