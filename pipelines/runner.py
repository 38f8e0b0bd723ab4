"""Runs the pipeline on a Beam runner until stopped, and publishes its metrics for `status`.

Prism is the local default: the Python SDK launches the Prism binary built by deploy/local and
runs the SDK worker in this process (LOOPBACK). Every few seconds the Beam metrics are written
to `<stack home>/pipeline/status.json`, which `talkwatch pipeline status` and `talkwatch run`
read beside the Kafka consumer lag.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import apache_beam as beam
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.runner import PipelineState

from pipelines import pipeline as talkwatch_pipeline
from pipelines.alerts.settings import validated_rule_tables
from pipelines.options import TalkwatchOptions
from talkwatch.config import Config

log = logging.getLogger(__name__)

STATUS_INTERVAL_SECONDS = 5.0
TERMINAL = {PipelineState.DONE, PipelineState.FAILED, PipelineState.CANCELLED,
            PipelineState.UPDATED, PipelineState.DRAINED}


# [pipeline] keys of the config passed through as pipeline options (see pipelines/options.py).
PIPELINE_KEYS = ("group_id", "relevance_threshold", "nlp_batch_size", "sink_batch_size",
                 "flink_master", "flink_job_server_jar", "parallelism")


def pipeline_args(config: Config, prism: Path | None, extra: list[str] | None = None) -> list[str]:
    args = [
        f"--bootstrap={config.kafka.bootstrap}",
        f"--articles_topic={config.kafka.articles_topic}",
        f"--deadletter_topic={config.kafka.deadletter_topic}",
        f"--es_url={config.elasticsearch.url}",
        f"--index_prefix={config.elasticsearch.index_prefix}",
        "--streaming",
    ]
    pipeline_table = config.section("pipeline")
    for key in PIPELINE_KEYS:
        if key in pipeline_table:
            args.append(f"--{key}={pipeline_table[key]}")
    # Alert rules are validated here, at start, and reach the sink's DoFn as JSON.
    args.append(f"--alert_rules={json.dumps(validated_rule_tables(config))}")
    if prism is not None:
        args += [
            "--runner=PrismRunner",
            f"--prism_location={prism}",
            "--environment_type=LOOPBACK",
            "--prism_log_level=warn",
        ]
    return args + list(extra or [])


def status_file(config: Config) -> Path:
    return config.stack.home / "pipeline" / "status.json"


def metrics_snapshot(result) -> dict[str, float]:
    counters: dict[str, float] = {}
    # The portable runner's result caches the first metrics it fetched; a running job's
    # counters are only fresh if that cache is dropped before each query.
    if hasattr(result, "_metrics"):
        result._metrics = None
    try:
        queried = result.metrics().query(MetricsFilter())
    except Exception as exc:  # a runner may not serve metrics while starting
        log.debug("metrics not available yet: %s", exc)
        return counters
    for counter in queried["counters"]:
        if counter.key.metric.name.startswith("metric:"):
            continue  # the runner's own per-transform timings, not our stage counters
        name = f"{counter.key.metric.namespace}.{counter.key.metric.name}"
        value = counter.committed if counter.committed is not None else counter.attempted
        counters[name] = counters.get(name, 0) + (value or 0)
    return counters


def write_status(path: Path, state: str, counters: dict[str, float], error: str | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps(
            {
                "state": state,
                "updated_at": datetime.now(UTC).isoformat(),
                "counters": counters,
                "last_error": error,
            },
            indent=2,
        )
    )
    tmp.replace(path)


def run_pipeline(
    config: Config,
    prism: Path | None,
    stop: threading.Event,
    extra_args: list[str] | None = None,
) -> str:
    """Run until `stop` is set (or the pipeline ends); returns the final state."""
    options = PipelineOptions(pipeline_args(config, prism, extra_args))
    beam_pipeline = beam.Pipeline(options=options)
    talkwatch_pipeline.build(beam_pipeline, options.view_as(TalkwatchOptions))
    result = beam_pipeline.run()
    path = status_file(config)
    error = None
    counters: dict[str, float] = {}
    try:
        while not stop.is_set():
            state = str(result.state)
            counters = metrics_snapshot(result) or counters
            write_status(path, state, counters, error)
            if result.state in TERMINAL:
                break
            stop.wait(STATUS_INTERVAL_SECONDS)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        state = _cancel(result)
        if state != "UNKNOWN":
            counters = metrics_snapshot(result) or counters
        write_status(path, state, counters, error)
    return state


def _cancel(result) -> str:
    """Cancel the job unless it already ended; the state it ended in (UNKNOWN if unreachable)."""
    try:
        if result.state not in TERMINAL:
            result.cancel()
        return str(result.state)
    except Exception as exc:  # the runner may be gone already (e.g. killed with us)
        log.warning("could not cancel the pipeline cleanly: %s", exc)
        return "UNKNOWN"


def stop_on_signals(stop: threading.Event) -> None:
    def handler(signum, _frame):
        log.info("signal %s: stopping the pipeline", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def wait_for(predicate, timeout: float, interval: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
