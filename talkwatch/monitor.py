"""Wiring for `talkwatch run` and `talkwatch demo`: stack, sample feeds, connectors, pipeline.

The pipeline runs as a child process (`talkwatch pipeline run`) so it can be stopped, or
killed, without taking the connectors down; everything else runs in this process.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from elasticsearch import Elasticsearch

from connectors.sample_server import FeedServer, start_sample_server
from deploy.local.process import port_open
from deploy.local.stack import LocalStack
from pipelines.sinks.indices import KINDS, index_name
from pipelines.status import consumer_lag
from talkwatch.config import Config

log = logging.getLogger(__name__)


@dataclass
class PipelineProcess:
    process: subprocess.Popen
    log_file: Path

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 60.0) -> int:
        if self.alive():
            # SIGTERM to the pipeline process only: it cancels the job and stops Prism itself;
            # the whole group (Prism included) is killed only if it does not stop in time.
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode


def start_pipeline_process(config: Config) -> PipelineProcess:
    log_file = config.stack.home / "pipeline" / "pipeline.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "talkwatch.cli", "--config", str(config.path),
               "pipeline", "run"]
    with open(log_file, "ab") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return PipelineProcess(process, log_file)


def start_stack(config: Config) -> LocalStack:
    stack = LocalStack(config.stack)
    stack.up()
    return stack


def serve_samples(config: Config) -> FeedServer | None:
    """The bundled sample feeds on their configured port (None if something serves it already)."""
    if port_open(config.stack.sample_feed_port):
        log.info("sample feed port %d already served", config.stack.sample_feed_port)
        return None
    return start_sample_server(config.stack.sample_feed_port)


def index_counts(config: Config) -> dict[str, int]:
    es = Elasticsearch(config.elasticsearch.url, request_timeout=30)
    counts = {}
    try:
        for kind in KINDS:
            name = index_name(config.elasticsearch.index_prefix, kind)
            # 404: not created yet; 503: created but its shard not started yet.
            response = es.options(ignore_status=(404, 503)).count(index=name)
            counts[kind] = int(response.get("count", 0)) if response else 0
    finally:
        es.close()
    return counts


def pipeline_group(config: Config) -> str:
    return config.section("pipeline").get("group_id", "talkwatch-pipeline")


def total_lag(config: Config) -> int:
    lags = consumer_lag(config.kafka.bootstrap, config.kafka.articles_topic, pipeline_group(config))
    return sum(lag.lag for lag in lags)


def wait_until_caught_up(
    config: Config, pipeline: PipelineProcess, timeout: float, on_tick=None
) -> bool:
    """True once every article in Kafka has been written and its offset committed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pipeline.alive():
            raise RuntimeError(
                f"pipeline exited early; see {pipeline.log_file}:\n{pipeline.log_tail()}"
            )
        lag = total_lag(config)
        if on_tick:
            on_tick(lag)
        if lag == 0:
            return True
        time.sleep(1.0)
    return False
