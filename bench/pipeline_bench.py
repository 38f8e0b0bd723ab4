"""Pipeline benchmark: synthetic articles -> Kafka -> Beam on Prism (spaCy) -> Elasticsearch.

    python -m bench.pipeline_bench [--articles 600] [--latency-seconds 60] [--rate 5]
                                   [--partitions 3] [--nlp-batch-size B] [--sink-batch-size B]

It starts a private stack (temporary home, free loopback ports, the shared download cache;
never the default ports), and in one run measures:

1. throughput, cold: N articles written by bench/synthetic_articles.py are preloaded into Kafka,
   then `talkwatch pipeline run` starts as a child process; articles/s from the first article
   indexed to all N indexed and their offsets committed (wall time with start-up beside it).
   Prism hands a bundle (one Kafka poll, up to 200 records per partition) downstream only when
   it is done, so most articles are annotated before the first write and this figure is
   inflated; hence also
   throughput, warm (the headline): N more articles produced at once into the running, caught-up
   pipeline, from the first produced to all committed, with the CPU each process used;
2. raw spaCy `nlp.pipe` over the same documents with the same model and components
   (pipelines.extraction.nlp.load_nlp), in one process before and after the pipeline run,
   and in two processes (both cores) after it, and the ratios of the warm figure to both;
3. produce-to-searchable latency p50/p95 at a steady rate with the pipeline caught up
   ("searchable" = returned by `_search` with an ids query, i.e. after a refresh);
4. peak memory (VmHWM) of the pipeline process (the SDK worker runs in it, LOOPBACK) and of
   the Prism process and the spaCy pool processes (pipelines/stages/nlp_pool.py).

`--py-spy PATH` samples the pipeline process during the warm burst with a py-spy binary (not a
project dependency) into bench/results/pipeline-warm.folded.

Figures are printed and written to bench/results/pipeline.json. The stack is stopped and its
data purged at the end, on failure too.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "pipeline.json"
TARGET_RATE, TARGET_RATIO, TARGET_P95 = 30.0, 0.8, 5.0
CATCH_UP_TIMEOUT = 900.0
SEARCH_POLL_SECONDS = 0.1


def write_config(home: Path, partitions: int, pipeline_keys: dict[str, int]) -> Path:
    from deploy.local.process import free_port

    lines = [
        "[stack]", f'home = "{home}"', f"kafka_port = {free_port()}",
        f"kafka_controller_port = {free_port()}", f"es_port = {free_port()}",
        f"es_transport_port = {free_port()}", f"sample_feed_port = {free_port()}", "",
        "[kafka]", 'articles_topic = "bench.articles"', 'deadletter_topic = "bench.deadletter"',
        f"partitions = {partitions}", "retention_hours = 24", "",
        "[elasticsearch]", 'index_prefix = "bench"', "",
        "[pipeline]", 'group_id = "bench-pipeline"',
        *(f"{key} = {value}" for key, value in pipeline_keys.items()), "",
        "[connectors]", f'state_path = "{home / "state.sqlite3"}"', "compression = \"gzip\"", "",
    ]
    path = home / "talkwatch.toml"
    path.write_text("\n".join(lines))
    return path


# --- the articles ----------------------------------------------------------------------------


def check_articles(messages: list[dict[str, Any]]) -> dict[str, int]:
    """How many the pipeline will find relevant, and how many near-duplicate pairs there are."""
    from pipelines.extraction.relevance import load_profile, relevance_score
    from pipelines.records import article_text
    from pipelines.similarity import distance, is_near_duplicate, simhash
    from pipelines.stages.dedup import fingerprint_text

    threshold = load_profile().threshold
    relevant = sum(
        relevance_score(m.get("title") or "", article_text(m).text) >= threshold for m in messages
    )
    prints = [simhash(fingerprint_text(m)) for m in messages]
    pairs = list(itertools.combinations([p for p in prints if p is not None], 2))
    return {
        "articles": len(messages),
        "relevant": relevant,
        "near_duplicate_pairs": sum(is_near_duplicate(a, b) for a, b in pairs),
        "min_simhash_distance": min(distance(a, b) for a, b in pairs) if pairs else 64,
        "words_mean": round(statistics.mean(len(m["text"].split()) for m in messages)),
    }


# --- raw spaCy -------------------------------------------------------------------------------


def raw_nlp_rate(messages: list[dict[str, Any]], processes: int = 1) -> float:
    """Documents/s of `nlp.pipe` over the documents the pipeline annotates; with processes=2,
    spaCy's own multiprocessing over both cores (its start-up included), the most spaCy alone
    can do on this machine."""
    from pipelines.extraction.nlp import PIPE_BATCH_SIZE, load_nlp
    from pipelines.records import article_text

    nlp = load_nlp()
    documents = [article_text(m).document for m in messages]
    for _ in nlp.pipe(documents[:8]):  # warm-up: first-call allocations
        pass
    started = time.perf_counter()
    # The batch size the pipeline's spaCy processes use (pipelines/extraction/nlp.py).
    count = sum(
        1 for _ in nlp.pipe(documents, batch_size=PIPE_BATCH_SIZE, n_process=processes)
    )
    return count / (time.perf_counter() - started)


# --- Kafka and Elasticsearch probes ----------------------------------------------------------


class CommitWatcher:
    """The pipeline group's committed offsets, read through one long-lived consumer."""

    def __init__(self, config) -> None:
        from kafka import KafkaConsumer, TopicPartition

        group = config.section("pipeline")["group_id"]
        self.consumer = KafkaConsumer(bootstrap_servers=config.kafka.bootstrap, group_id=group,
                                      enable_auto_commit=False)
        topic = config.kafka.articles_topic
        self.partitions = [TopicPartition(topic, p)
                           for p in sorted(self.consumer.partitions_for_topic(topic) or [])]

    def lag(self) -> int:
        ends = self.consumer.end_offsets(self.partitions)
        return sum(ends[tp] - (self.consumer.committed(tp) or 0) for tp in self.partitions)

    def close(self) -> None:
        self.consumer.close(autocommit=False)


def indexed_times(es, index: str) -> list[float]:
    """`indexed_at` of every article document (set by the sink just before its bulk write)."""
    es.indices.refresh(index=index)
    times = []
    response = es.search(index=index, query={"match_all": {}}, source=["indexed_at"],
                         size=10_000, sort=["_doc"])
    for hit in response["hits"]["hits"]:
        times.append(datetime.fromisoformat(hit["_source"]["indexed_at"]).timestamp())
    return sorted(times)


def pipeline_view(es, index: str) -> dict[str, int]:
    es.indices.refresh(index=index)
    return {
        "indexed": es.count(index=index)["count"],
        "relevant": es.count(index=index, query={"term": {"relevant": True}})["count"],
        "duplicates": es.count(index=index, query={"exists": {"field": "duplicate_of"}})["count"],
    }


# --- 1. throughput ---------------------------------------------------------------------------


def wait_for_commits(watcher: CommitWatcher, pipeline) -> float:
    """The time at which every record in the topic has been written and committed."""
    deadline = time.monotonic() + CATCH_UP_TIMEOUT
    while time.monotonic() < deadline:
        if not pipeline.alive():
            raise RuntimeError(f"pipeline exited early:\n{pipeline.log_tail()}")
        if watcher.lag() == 0:
            return time.time()
        time.sleep(0.1)
    raise RuntimeError(f"not caught up after {CATCH_UP_TIMEOUT:.0f}s:\n{pipeline.log_tail()}")


def flushes(times: list[float], gap: float = 0.05) -> list[int]:
    """Sizes of the sink's bulk writes, read from `indexed_at` (one write = one burst)."""
    sizes: list[int] = []
    previous = None
    for t in times:
        if previous is None or t - previous > gap:
            sizes.append(0)
        sizes[-1] += 1
        previous = t
    return sizes


def measure_cold(config, messages, producer, es) -> tuple[dict[str, Any], Any]:
    """Preloaded topic, pipeline started afterwards: the issue's definition of throughput."""
    from talkwatch import monitor

    producer.send_and_wait(messages)
    index = f"{config.elasticsearch.index_prefix}-articles"
    watcher = CommitWatcher(config)
    try:
        if watcher.lag() != len(messages):
            raise RuntimeError("the benchmark's consumer group has committed offsets already")
        started = time.time()
        pipeline = monitor.start_pipeline_process(config)
        try:
            done = wait_for_commits(watcher, pipeline)
        except BaseException:
            pipeline.stop()
            raise
    finally:
        watcher.close()
    times = indexed_times(es, index)
    first, n = times[0], len(messages)
    return {
        "articles": n,
        "startup_to_first_indexed_s": round(first - started, 2),
        "first_indexed_to_all_committed_s": round(done - first, 2),
        "articles_per_s": round(n / (done - first), 2),
        "bulk_writes": flushes(times),
        "wall_with_startup_s": round(done - started, 2),
        "articles_per_s_with_startup": round(n / (done - started), 2),
        "pipeline_view": pipeline_view(es, index),
    }, pipeline


def start_py_spy(py_spy: str | None, pid: int):
    """Sample the pipeline process with py-spy (an external tool, not a project dependency)."""
    if not py_spy:
        return None
    import subprocess

    output = RESULTS.parent / "pipeline-warm.folded"
    return subprocess.Popen(
        [py_spy, "record", "--pid", str(pid), "--format", "raw", "--output", str(output),
         "--rate", "50", "--threads", "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )


def stop_py_spy(process) -> None:
    if process is None:
        return
    import signal
    import subprocess

    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def measure_warm(config, messages, producer, es, pipeline, cpu: CpuMeter,
                 py_spy=None) -> dict[str, Any]:
    """The same number of new articles produced at once into the running, caught-up pipeline:
    Kafka -> Elasticsearch throughput without start-up and without the first bundle's head
    start (the cold figure starts its clock only when the first bulk write lands)."""
    index = f"{config.elasticsearch.index_prefix}-articles"
    before = set(indexed_times(es, index))
    watcher = CommitWatcher(config)
    profiler = start_py_spy(py_spy, pipeline.process.pid)
    cpu.start()
    try:
        started = time.time()
        producer.send_and_wait(messages)
        produced = time.time()
        done = wait_for_commits(watcher, pipeline)
        cores = cpu.stop()
    finally:
        stop_py_spy(profiler)
        watcher.close()
    times = [t for t in indexed_times(es, index) if t not in before]
    n = len(messages)
    return {
        "articles": n,
        "produce_s": round(produced - started, 2),
        "first_produced_to_all_committed_s": round(done - started, 2),
        "articles_per_s": round(n / (done - started), 2),
        "first_produced_to_first_indexed_s": round(times[0] - started, 2),
        "bulk_writes": flushes(times),
        "cpu": cores,
    }


# --- 3. latency ------------------------------------------------------------------------------


class SearchablePoller(threading.Thread):
    """Polls `_search` for the ids sent so far and records when each first shows up."""

    def __init__(self, es_url: str, index: str) -> None:
        super().__init__(daemon=True)
        from elasticsearch import Elasticsearch

        self.es = Elasticsearch(es_url, request_timeout=30)
        self.index = index
        self.pending: set[str] = set()
        self.seen: dict[str, float] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def expect(self, doc_id: str) -> None:
        with self.lock:
            self.pending.add(doc_id)

    def run(self) -> None:
        while not self.stop.is_set():
            with self.lock:
                ids = list(self.pending)
            if ids:
                hits = self.es.search(index=self.index, query={"ids": {"values": ids}},
                                      source=False, size=len(ids))["hits"]["hits"]
                now = time.time()
                with self.lock:
                    for hit in hits:
                        if hit["_id"] in self.pending:
                            self.pending.discard(hit["_id"])
                            self.seen[hit["_id"]] = now
            self.stop.wait(SEARCH_POLL_SECONDS)
        self.es.close()


def measure_latency(config, messages, producer, rate: float, seconds: float) -> dict[str, Any]:
    poller = SearchablePoller(config.elasticsearch.url,
                              f"{config.elasticsearch.index_prefix}-articles")
    poller.start()
    sent: dict[str, float] = {}
    started = time.monotonic()
    try:
        for n, message in enumerate(messages):
            due = started + n / rate
            time.sleep(max(0.0, due - time.monotonic()))
            poller.expect(message["id"])
            sent[message["id"]] = time.time()
            producer.send_and_wait([message])
        deadline = time.monotonic() + max(60.0, seconds)
        while time.monotonic() < deadline:
            with poller.lock:
                if not poller.pending:
                    break
            time.sleep(0.2)
    finally:
        poller.stop.set()
        poller.join(timeout=30)
    latencies = sorted(poller.seen[i] - sent[i] for i in sent if i in poller.seen)
    if not latencies:
        return {"sent": len(sent), "searchable": 0}
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "rate_per_s": rate,
        "sent": len(sent),
        "searchable": len(latencies),
        "p50_s": round(cuts[49], 2),
        "p95_s": round(cuts[94], 2),
        "max_s": round(latencies[-1], 2),
        "poll_interval_s": SEARCH_POLL_SECONDS,
    }


# --- 4. memory -------------------------------------------------------------------------------


def vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        return None
    return None


def descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except FileNotFoundError:
                continue
            for child in map(int, children):
                found.append(child)
                queue.append(child)
    return found


def peak_memory(pid: int) -> dict[str, float | None]:
    peaks = {f"pipeline process (pid {pid}, SDK worker)": vm_hwm_mb(pid)}
    for child in descendants(pid):
        try:
            name = Path(f"/proc/{child}/comm").read_text().strip()
        except FileNotFoundError:
            continue
        peaks[f"{name} (pid {child})"] = vm_hwm_mb(child)
    return {k: round(v, 1) if v else v for k, v in peaks.items()}


# --- CPU: who used the two cores during the warm burst --------------------------------------


def process_cpu_seconds(pid: int, children: bool = True) -> float:
    """User + system CPU of `pid` and (unless told not to) its descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for each in [pid, *(descendants(pid) if children else [])]:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def machine_busy_seconds() -> float:
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU seconds per named group of processes between `start` and `stop`, and the machine's
    total. Each pid counts alone (without its descendants), so no process counts twice."""

    def __init__(self, groups: dict[str, list[int]]) -> None:
        self.groups = {name: [p for p in pids if p] for name, pids in groups.items()}
        self.groups = {name: pids for name, pids in self.groups.items() if pids}

    def _seconds(self, name: str) -> float:
        return sum(process_cpu_seconds(pid, children=False) for pid in self.groups[name])

    def start(self) -> None:
        self.before = {n: self._seconds(n) for n in self.groups}
        self.machine_before, self.wall_before = machine_busy_seconds(), time.monotonic()

    def stop(self) -> dict[str, float]:
        wall = time.monotonic() - self.wall_before
        used = {n: self._seconds(n) - self.before[n] for n in self.groups}
        machine = machine_busy_seconds() - self.machine_before
        used["everything else on the machine"] = machine - sum(used.values())
        result = {f"{n} (cores)": round(v / wall, 2) for n, v in used.items()}
        result["machine busy (cores)"] = round(machine / wall, 2)
        return result


def with_descendants(pid: int | None) -> list[int]:
    return [pid, *descendants(pid)] if pid else []


def pipeline_process_groups(pid: int) -> dict[str, list[int]]:
    """The pipeline process (the SDK worker runs in it), Prism, and the spaCy pool processes."""
    groups: dict[str, list[int]] = {"SDK worker": [pid], "prism": [], "spaCy processes": [],
                                    "other pipeline children": []}
    for child in descendants(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except FileNotFoundError:
            continue
        if "prism" in command.split(" ", 1)[0]:
            groups["prism"].append(child)
        elif "spawn_main" in command:  # a process of pipelines/stages/nlp_pool.py
            groups["spaCy processes"].append(child)
        else:
            groups["other pipeline children"].append(child)
    return groups


# --- the run ---------------------------------------------------------------------------------


def run(args: argparse.Namespace, config, stack) -> dict[str, Any]:
    from elasticsearch import Elasticsearch

    from bench.synthetic_articles import synthetic_articles
    from connectors.feeds import ConnectorSettings
    from connectors.produce import ArticleProducer, ensure_topics
    from deploy.local.process import read_pid
    from pipelines.extraction.nlp import PIPE_BATCH_SIZE

    latency_count = int(args.latency_seconds * args.rate)
    articles = synthetic_articles(args.articles, seed=args.seed)
    burst = synthetic_articles(args.articles, seed=args.seed, start=args.articles)
    later = synthetic_articles(latency_count, seed=args.seed, start=2 * args.articles)
    checks = check_articles(articles + burst + later)
    print(f"articles: {checks['articles']} (~{checks['words_mean']} words), relevant "
          f"{checks['relevant']}, near-duplicate pairs {checks['near_duplicate_pairs']} "
          f"(closest pair {checks['min_simhash_distance']} bits apart)")

    raw_before = raw_nlp_rate(articles)
    print(f"raw nlp.pipe (before): {raw_before:.1f} articles/s")

    settings = ConnectorSettings()
    ensure_topics(config.kafka, settings)
    producer = ArticleProducer(config.kafka, settings)
    es = Elasticsearch(config.elasticsearch.url, request_timeout=60)
    pipeline = None
    try:
        cold, pipeline = measure_cold(config, articles, producer, es)
        print(f"cold (preloaded, then started): {cold['articles_per_s']} articles/s from the "
              f"first indexed to all {args.articles} committed "
              f"({cold['first_indexed_to_all_committed_s']}s; first bulk write "
              f"{cold['startup_to_first_indexed_s']}s after start); with start-up "
              f"{cold['articles_per_s_with_startup']}/s ({cold['wall_with_startup_s']}s); "
              f"bulk writes {cold['bulk_writes']}; Elasticsearch view {cold['pipeline_view']}")
        cpu = CpuMeter({
            **pipeline_process_groups(pipeline.process.pid),
            # bin/elasticsearch is a launcher; the node is its child.
            "elasticsearch": with_descendants(read_pid(stack.elasticsearch().pid_file)),
            "kafka": with_descendants(read_pid(stack.kafka().pid_file)),
            "benchmark": [os.getpid()],
        })
        warm = measure_warm(config, burst, producer, es, pipeline, cpu, args.py_spy)
        print(f"warm (burst into the running pipeline): {warm['articles_per_s']} articles/s "
              f"({args.articles} in {warm['first_produced_to_all_committed_s']}s from the first "
              f"produced to all committed); bulk writes {warm['bulk_writes']}; CPU {warm['cpu']}")
        latency = measure_latency(config, later, producer, args.rate, args.latency_seconds)
        print(f"latency at {args.rate}/s: p50 {latency.get('p50_s')}s, "
              f"p95 {latency.get('p95_s')}s ({latency['searchable']}/{latency['sent']} searchable)")
        memory = peak_memory(pipeline.process.pid)
        print(f"peak memory (VmHWM, MB): {memory}")
    finally:
        producer.close()
        es.close()
        if pipeline is not None:
            code = pipeline.stop()
            if code != 0:
                print(f"pipeline exited with {code}:\n{pipeline.log_tail()}")

    raw_after = raw_nlp_rate(articles)
    raw = statistics.mean([raw_before, raw_after])
    raw_two = raw_nlp_rate(articles, processes=2)
    print(f"raw nlp.pipe, 2 processes: {raw_two:.1f} articles/s; ratio warm pipeline/that "
          f"{warm['articles_per_s'] / raw_two:.2f}")
    ratio = warm["articles_per_s"] / raw
    print(f"raw nlp.pipe (after): {raw_after:.1f} articles/s; ratio warm pipeline/raw "
          f"{ratio:.2f} (cold {cold['articles_per_s'] / raw:.2f})")
    return {
        "articles": checks,
        "throughput": {"cold": cold, "warm": warm},
        "raw_nlp_pipe": {"before_per_s": round(raw_before, 2), "after_per_s": round(raw_after, 2),
                         "mean_per_s": round(raw, 2), "batch_size": PIPE_BATCH_SIZE,
                         "n_process": 1},
        "raw_nlp_pipe_2_processes_per_s": round(raw_two, 2),
        "ratio_pipeline_to_raw": round(ratio, 3),
        "ratio_pipeline_to_raw_2_processes": round(warm["articles_per_s"] / raw_two, 3),
        "ratio_cold_to_raw": round(cold["articles_per_s"] / raw, 3),
        "latency": latency,
        "peak_memory_mb": memory,
        "targets": {"articles_per_s": TARGET_RATE, "ratio": TARGET_RATIO, "p95_s": TARGET_P95},
    }


def keep_logs(stack, config) -> None:
    """Copy the run's logs beside the results before the stack's data is purged."""
    logs = RESULTS.parent / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    sources = {
        "pipeline.log": config.stack.home / "pipeline" / "pipeline.log",
        "kafka.log": stack.kafka().log_file,
        "elasticsearch.log": stack.elasticsearch().log_file,
    }
    for name, source in sources.items():
        try:
            shutil.copyfile(source, logs / name)
        except OSError as exc:
            print(f"could not keep {source}: {exc}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--latency-seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=5.0, help="articles/s for the latency run")
    parser.add_argument("--partitions", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--nlp-batch-size", type=int, help="[pipeline] nlp_batch_size")
    parser.add_argument("--sink-batch-size", type=int, help="[pipeline] sink_batch_size")
    parser.add_argument("--py-spy", metavar="PATH",
                        help="a py-spy binary: sample the pipeline process during the warm burst "
                        "into bench/results/pipeline-warm.folded")
    args = parser.parse_args()

    from deploy.local.stack import LocalStack
    from talkwatch.config import load_config

    pipeline_keys = {k: v for k, v in (("nlp_batch_size", args.nlp_batch_size),
                                       ("sink_batch_size", args.sink_batch_size)) if v}
    home = Path(tempfile.mkdtemp(prefix="talkwatch-bench-"))
    config = load_config(write_config(home, args.partitions, pipeline_keys))
    stack = LocalStack(config.stack)
    load_start = os.getloadavg()
    print(f"private stack in {home}: Kafka {config.kafka.bootstrap}, "
          f"Elasticsearch {config.elasticsearch.url}; {os.cpu_count()} CPUs, "
          f"load average {load_start}")
    try:
        stack.fetch()
        stack.kafka().start()
        stack.elasticsearch().start()
        results = run(args, config, stack)
    finally:
        keep_logs(stack, config)
        stack.down(purge=True)
        shutil.rmtree(home, ignore_errors=True)
    load_end = os.getloadavg()
    from pipelines.stages.nlp import NLP_PROCESSES

    results.update(
        settings={"partitions": args.partitions, **pipeline_keys, "cpus": os.cpu_count(),
                  "nlp_processes": NLP_PROCESSES},
        load_average={"start": load_start, "end": load_end},
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    t = results["throughput"]["warm"]
    print(f"\nN={t['articles']}: {t['articles_per_s']} articles/s warm, "
          f"{results['throughput']['cold']['articles_per_s']} cold (target >= {TARGET_RATE}); raw "
          f"nlp.pipe {results['raw_nlp_pipe']['mean_per_s']}/s; ratio "
          f"{results['ratio_pipeline_to_raw']} (target >= {TARGET_RATIO}); latency p50 "
          f"{results['latency'].get('p50_s')}s p95 {results['latency'].get('p95_s')}s (target "
          f"<= {TARGET_P95}); load average {load_start} -> {load_end}; written to {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
