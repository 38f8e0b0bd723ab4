"""The same pipeline on an embedded local Flink, when Beam's Flink job server can be had."""

from __future__ import annotations

import pytest

from deploy.local.artifacts import FetchError, flink_job_server
from talkwatch import monitor


def test_pipeline_runs_on_embedded_flink(
    isolated_config, produce, make_article, local_stack, es_url
):
    try:
        jar = flink_job_server(local_stack.settings.cache)
    except FetchError as exc:
        pytest.skip(f"Beam's Flink job server is not available from Maven Central here: {exc}")
    config = isolated_config(
        pipeline_toml=f'runner = "FlinkRunner"\nflink_job_server_jar = "{jar}"\n'
    )
    produce(config, [make_article(n) for n in range(3)])
    pipeline = monitor.start_pipeline_process(config)
    try:
        assert monitor.wait_until_caught_up(config, pipeline, 600), pipeline.log_tail()
    finally:
        pipeline.stop()
    assert monitor.index_counts(config)["articles"] == 3
