"""Alerts from the real pipeline: an article about a round opening, through Kafka, Beam on Prism
and the Elasticsearch sink, becomes one alert and one email; replaying the topic from offset 0
with a new consumer group adds neither."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

from elasticsearch import Elasticsearch

from connectors.poller import poll_once
from connectors.sample_server import start_feed_server
from pipelines.alerts.mailer import Mailer
from pipelines.alerts.settings import load_alert_settings
from talkwatch import monitor
from talkwatch.config import load_config

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "astana_opening.xml"


def run_pipeline(config) -> None:
    pipeline = monitor.start_pipeline_process(config)
    try:
        assert monitor.wait_until_caught_up(config, pipeline, timeout=300), pipeline.log_file
    finally:
        assert pipeline.stop() == 0, pipeline.log_file.read_text()[-3000:]


def alerts(config) -> list[dict]:
    prefix = config.elasticsearch.index_prefix
    es = Elasticsearch(config.elasticsearch.url)
    es.indices.refresh(index=f"{prefix}-alerts")
    hits = es.search(index=f"{prefix}-alerts", size=50)["hits"]["hits"]
    es.close()
    return [h["_source"] for h in hits]


def mail(config) -> int:
    mailer = Mailer(load_alert_settings(config))
    try:
        return mailer.run_once().emails_sent
    finally:
        mailer.close()


def test_a_round_through_the_pipeline_mails_once_even_after_a_replay(
    isolated_config, es_url, prism_binary, tmp_path
):
    server = start_feed_server({"/wire.xml": FIXTURE.read_bytes()})
    try:
        config = isolated_config(
            f"""
[feeds.fixture-wire]
url = "{server.url}/wire.xml"
source = "Fixture wire"
allow_private = true

[alerts]
mail_dir = "{tmp_path / "mail"}"
"""
        )
        assert poll_once(config).articles_produced == 1
    finally:
        server.close()

    run_pipeline(config)
    (alert,) = alerts(config)
    assert alert["rule"] == "new-round" and alert["transition"] == "new"
    assert alert["subject"].startswith("[talkwatch] New round: Astana")
    assert alert["subject"].endswith("23 Jan 2017")
    assert alert["delivery"]["state"] == "pending"
    assert mail(config) == 1

    group = config.section("pipeline")["group_id"]
    replay = tmp_path / "replay.toml"
    replay.write_text(config.path.read_text().replace(group, f"{group}-replay"))
    run_pipeline(load_config(replay))  # the whole topic again, from offset 0
    assert len(alerts(config)) == 1
    assert mail(config) == 0

    (eml,) = (tmp_path / "mail").glob("*.eml")
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message["Subject"] == alert["subject"]
    assert "Russia" in message.get_body(("plain",)).get_content()
