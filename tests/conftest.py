"""Fixtures that start the real services for integration tests.

Each test session gets its own stack: a temporary home, free loopback ports, and the shared
download cache. It never touches the user's running stack on the default ports. Services start
only when a test asks for them, and stop (with their data deleted) when the session ends.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.local.process import free_port
from deploy.local.stack import LocalStack
from talkwatch.config import Config, load_config

REPO_ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def stack_config() -> Iterator[Path]:
    """A config file for this session's private stack (free ports, temporary home)."""
    home = Path(tempfile.mkdtemp(prefix="talkwatch-test-"))
    path = home / "talkwatch.toml"
    path.write_text(
        "\n".join(
            [
                "[stack]",
                f'home = "{home}"',
                f"kafka_port = {free_port()}",
                f"kafka_controller_port = {free_port()}",
                f"es_port = {free_port()}",
                f"es_transport_port = {free_port()}",
                f"sample_feed_port = {free_port()}",
                "",
                "[kafka]",
                'articles_topic = "talkwatch.articles"',
                'deadletter_topic = "talkwatch.deadletter"',
                "partitions = 3",
                "retention_hours = 24",
                "",
                "[elasticsearch]",
                'index_prefix = "talkwatch"',
                "",
            ]
        )
    )
    yield path
    LocalStack(load_config(path).stack).down(purge=True)
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def test_config(stack_config: Path) -> Config:
    return load_config(stack_config)


@pytest.fixture(scope="session")
def local_stack(test_config: Config) -> LocalStack:
    stack = LocalStack(test_config.stack)
    stack.fetch()
    return stack


@pytest.fixture(scope="session")
def kafka_bootstrap(local_stack: LocalStack) -> str:
    """A real Kafka 4 broker (KRaft, single node) for this session."""
    broker = local_stack.kafka()
    broker.start()
    return broker.bootstrap


@pytest.fixture(scope="session")
def es_url(local_stack: LocalStack) -> str:
    """A real Elasticsearch 9 node for this session."""
    node = local_stack.elasticsearch()
    node.start()
    return node.url


@pytest.fixture(scope="session")
def prism_binary(local_stack: LocalStack) -> Path:
    return local_stack.prism()


@pytest.fixture
def isolated_config(stack_config: Path, tmp_path: Path, kafka_bootstrap: str):
    """Build a config on the session stack with topics, indices and state of this test only.

    Call it with extra TOML (feeds, connectors, alerts ...); returns the loaded Config.
    """
    import uuid

    def make(extra_toml: str = "", connectors_toml: str = "", name: str = "cfg") -> Config:
        tag = uuid.uuid4().hex[:8]
        base = stack_config.read_text()
        base = base.replace('"talkwatch.articles"', f'"articles-{tag}"')
        base = base.replace('"talkwatch.deadletter"', f'"deadletter-{tag}"')
        base = base.replace('index_prefix = "talkwatch"', f'index_prefix = "tw-{tag}"')
        path = tmp_path / f"{name}-{tag}.toml"
        path.write_text(
            base
            + f'\n[pipeline]\ngroup_id = "pipeline-{tag}"\n'
            + f'\n[connectors]\nstate_path = "{tmp_path / ("state-" + tag + ".sqlite3")}"\n'
            + connectors_toml
            + "\n"
            + extra_toml
        )
        return load_config(path)

    return make
