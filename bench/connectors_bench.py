"""Connector benchmark: 1,000 feeds x 20 items served on loopback, polled into a real Kafka.

    python -m bench.connectors_bench [--feeds 1000] [--items 20] [--rounds 3]
                                     [--bootstrap HOST:PORT]

Without --bootstrap it starts a private Kafka broker (deploy/local, free loopback ports,
temporary home) and stops it at the end. The feed server runs in a separate process so the
CPU time and peak memory reported are the connectors' own.

Round 1 is a cold poll: every feed answers 200 with 20 new items (normalise, validate,
produce with acks=all). Later rounds poll every feed again with conditional GET (304s) - the
steady state of a poller watching feeds that change a few times an hour.

The feed server is one host (127.0.0.1), so per_host_concurrency is raised to the worker count
here; with real feeds it stays at its default of 2 per host.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import tempfile
import time
from pathlib import Path

ITEM = """<item><title>Feed {feed} item {item}: delegations meet in Astana for round {item}</title>
<link>https://bench{feed}.talkwatch.example/2019/{item:02d}/story-{feed}-{item}</link>
<guid isPermaLink="false">bench-{feed}-{item}</guid>
<pubDate>Mon, {day:02d} Jul 2019 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Delegations of the government and the opposition met in Astana on day {item}
for talks sponsored by Russia, Turkey and Iran; the UN envoy attended the session.&lt;/p&gt;
</description></item>"""


def feed_body(feed: int, items: int) -> bytes:
    entries = "\n".join(ITEM.format(feed=feed, item=i, day=1 + i % 28) for i in range(items))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>bench {feed}</title><link>https://bench{feed}.talkwatch.example/</link>"
            f"{entries}</channel></rss>").encode()


def serve(feeds: int, items: int, ports: multiprocessing.Queue, stop: multiprocessing.Event
          ) -> None:
    from connectors.sample_server import start_feed_server

    server = start_feed_server({f"/feed-{n:04d}.xml": feed_body(n, items) for n in range(feeds)})
    ports.put(server.server_address[1])
    stop.wait()
    server.close()


def write_config(home: Path, port: int, bootstrap: str | None, feeds: int) -> Path:
    from deploy.local.process import free_port

    kafka_port = int(bootstrap.rsplit(":", 1)[1]) if bootstrap else free_port()
    lines = [
        "[stack]", f'home = "{home}"', f"kafka_port = {kafka_port}",
        f"kafka_controller_port = {free_port()}", "",
        "[kafka]", f'bootstrap = "{bootstrap or f"127.0.0.1:{kafka_port}"}"',
        f'articles_topic = "bench.articles.{int(time.time())}"',
        f'deadletter_topic = "bench.deadletter.{int(time.time())}"', "partitions = 3",
        "retention_hours = 24", "",
        "[connectors]", f'state_path = "{home / "state.sqlite3"}"', "workers = 8",
        "per_host_concurrency = 8", "",
    ]
    for n in range(feeds):
        lines += [f"[feeds.bench-{n:04d}]", f'url = "http://127.0.0.1:{port}/feed-{n:04d}.xml"',
                  'source = "bench"', "allow_private = true", ""]
    path = home / "talkwatch.toml"
    path.write_text("\n".join(lines))
    return path


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="conditional-GET rounds")
    parser.add_argument("--bootstrap", help="an existing broker (default: start one)")
    args = parser.parse_args()

    from connectors.poller import poll_once
    from deploy.local.stack import LocalStack
    from talkwatch.config import load_config

    home = Path(tempfile.mkdtemp(prefix="talkwatch-bench-"))
    ports: multiprocessing.Queue = multiprocessing.Queue()
    stop = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(args.feeds, args.items, ports, stop),
                                     daemon=True)
    server.start()
    stack = None
    try:
        port = ports.get(timeout=120)
        config = load_config(write_config(home, port, args.bootstrap, args.feeds))
        if not args.bootstrap:
            stack = LocalStack(config.stack)
            stack.fetch()
            stack.kafka().start()
        print(f"{args.feeds} feeds x {args.items} items on 127.0.0.1:{port}, "
              f"Kafka {config.kafka.bootstrap}, 8 workers")
        rows = []
        for round_number in range(1 + args.rounds):
            cpu, started = cpu_seconds(), time.monotonic()
            summary = poll_once(config)
            wall, cpu = time.monotonic() - started, cpu_seconds() - cpu
            kind = "cold (200, all new)" if round_number == 0 else "conditional GET (304)"
            rows.append((kind, summary, wall, cpu))
            print(f"round {round_number}: {kind}: {summary.feeds_polled} polls in {wall:.1f}s "
                  f"= {summary.feeds_polled / wall * 60:,.0f} polls/min; "
                  f"{summary.articles_produced} articles = "
                  f"{summary.articles_produced / wall:,.0f} items/s; CPU {cpu:.1f}s "
                  f"({cpu / wall * 100:.0f}% of one core); failed {summary.feeds_failed}")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        steady = rows[1:]
        if steady:
            polls = sum(r[1].feeds_polled for r in steady)
            wall = sum(r[2] for r in steady)
            print(f"steady state: {polls / wall * 60:,.0f} feed polls/min with conditional GET "
                  f"(target >= 1,000)")
        print(f"cold: {rows[0][1].articles_produced / rows[0][2]:,.0f} items produced/s; "
              f"peak memory (connectors process, RSS) {peak_mb:.0f} MB")
    finally:
        stop.set()
        server.join(timeout=10)
        if stack is not None:
            stack.down(purge=True)
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
