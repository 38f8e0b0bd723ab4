"""Fixtures that start the real services for integration tests.

Each test session gets its own stack: a temporary home, free loopback ports, and the shared
download cache. It never touches the user's running stack on the default ports. Services start
only when a test asks for them, and stop (with their data deleted) when the session ends.
"""

from __future__ import annotations

import contextlib
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

    def make(
        extra_toml: str = "", connectors_toml: str = "", pipeline_toml: str = "", name: str = "cfg"
    ) -> Config:
        tag = uuid.uuid4().hex[:8]
        base = stack_config.read_text()
        base = base.replace('"talkwatch.articles"', f'"articles-{tag}"')
        base = base.replace('"talkwatch.deadletter"', f'"deadletter-{tag}"')
        base = base.replace('index_prefix = "talkwatch"', f'index_prefix = "tw-{tag}"')
        path = tmp_path / f"{name}-{tag}.toml"
        path.write_text(
            base
            + f'\n[pipeline]\ngroup_id = "pipeline-{tag}"\n'
            + pipeline_toml
            + f'\n[connectors]\nstate_path = "{tmp_path / ("state-" + tag + ".sqlite3")}"\n'
            + connectors_toml
            + "\n"
            + extra_toml
        )
        return load_config(path)

    return make


# --- Articles written for the tests, produced straight into Kafka -----------------------------

ROUND_REPORT = (
    "Delegations met in {city} on {weekday} for the {ordinal} round of Syria talks under the "
    "Astana format, with Russia, Turkey and Iran acting as guarantors. The Syrian government "
    "delegation and the armed opposition sat in the same hall, and the United Nations envoy "
    "attended as an observer. Officials said story {n} of this test would stay distinct: "
    "{filler}"
)
OTHER_NEWS = (
    "A regional trade fair opened in {city} on {weekday} with exhibitors from twelve countries. "
    "Organisers said story {n} of this test was about machinery, textiles and farm produce, "
    "and that ticket sales had risen. {filler}"
)
FILLER_WORDS = (
    "river", "bridge", "market", "school", "harvest", "engine", "orchard", "library", "railway",
    "festival", "copper", "lantern", "meadow", "harbour", "quarry", "vineyard", "workshop",
    "glacier", "canyon", "bakery",
)


def article_message(n: int, topic_kind: str = "round", published: str = "2018-05-14T09:00:00Z"):
    """A valid article message (schemas/article.schema.json) written for the tests."""
    import hashlib
    import random

    from schemas.models import Article

    rng = random.Random(n)
    filler = " ".join(rng.choice(FILLER_WORDS) for _ in range(40))
    template = ROUND_REPORT if topic_kind == "round" else OTHER_NEWS
    text = template.format(
        city="Astana", weekday="Monday", ordinal="ninth", n=n, filler=filler
    )
    url = f"http://news.example.org/{topic_kind}/{n}"
    return Article(
        id=hashlib.sha256(url.encode()).hexdigest()[:32],
        url=url,
        canonical_url=url,
        feed="test-feed",
        source="Test Source",
        title=("Ninth round of Astana talks on Syria opens" if topic_kind == "round"
               else "Trade fair opens"),
        summary=text[:200],
        text=text,
        published_at=published,
        fetched_at=published,
    ).to_message()


@pytest.fixture
def make_article():
    return article_message


@pytest.fixture
def produce():
    """produce(config, messages): create the config's topics if needed, then send and flush."""
    import json

    from kafka import KafkaProducer
    from kafka.admin import KafkaAdminClient, NewTopic
    from kafka.errors import TopicAlreadyExistsError

    def send(config: Config, messages: list, raw: list[bytes] | None = None) -> None:
        admin = KafkaAdminClient(bootstrap_servers=config.kafka.bootstrap)
        for topic in (config.kafka.articles_topic, config.kafka.deadletter_topic):
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics([NewTopic(topic, config.kafka.partitions, 1)])
        admin.close()
        producer = KafkaProducer(bootstrap_servers=config.kafka.bootstrap, acks="all")
        for message in messages:
            producer.send(
                config.kafka.articles_topic,
                key=message["id"].encode(),
                value=json.dumps(message).encode(),
            )
        for value in raw or []:
            producer.send(config.kafka.articles_topic, key=b"bad", value=value)
        producer.flush()
        producer.close()

    return send
