"""Connectors against the real Kafka broker and real HTTP servers on 127.0.0.1.

Each test uses its own topics (uuid names) and its own state file, so tests do not interfere.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import tomllib
import uuid
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaConsumer, TopicPartition
from kafka.admin import KafkaAdminClient

from connectors.ingest import ingest_paths
from connectors.poller import poll_once
from connectors.sample_server import FeedServer, start_feed_server, start_sample_server
from connectors.state import ConnectorState
from schemas.models import validate_article
from talkwatch.config import Config, load_config

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "feeds"


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(str(value))


def write_config(tmp_path: Path, stack_config: Path, kafka_bootstrap: str,
                 feeds: dict[str, dict[str, Any]], **connectors: Any) -> Config:
    """The session stack's config with this test's topics, state file and feeds."""
    raw = tomllib.loads(stack_config.read_text())
    run = uuid.uuid4().hex[:10]
    raw["kafka"].update(bootstrap=kafka_bootstrap, articles_topic=f"articles-{run}",
                        deadletter_topic=f"deadletter-{run}")
    raw["connectors"] = {"state_path": str(tmp_path / "state.sqlite3"),
                         "delivery_timeout_seconds": 30, "read_timeout_seconds": 2,
                         "total_timeout_seconds": 5, **connectors}
    raw["feeds"] = feeds
    lines = []
    for section, table in raw.items():
        if section == "feeds":
            continue
        lines.append(f"[{section}]")
        lines += [f"{key} = {toml_value(value)}" for key, value in table.items()]
    for name, table in feeds.items():
        lines.append(f'[feeds."{name}"]')
        lines += [f"{key} = {toml_value(value)}" for key, value in table.items()]
    path = tmp_path / "talkwatch.toml"
    path.write_text("\n".join(lines) + "\n")
    return load_config(path)


def local_feed(url: str, **extra: Any) -> dict[str, Any]:
    return {"url": url, "source": "test", "allow_private": True, **extra}


def read_topic(bootstrap: str, topic: str) -> list[tuple[str, dict[str, Any]]]:
    """Every message of a topic, from the beginning to the current end offsets."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                             group_id=None)
    try:
        deadline = time.monotonic() + 30
        partitions = None
        while not partitions and time.monotonic() < deadline:
            partitions = consumer.partitions_for_topic(topic)
            if not partitions:
                time.sleep(0.2)
        assigned = [TopicPartition(topic, p) for p in sorted(partitions or [])]
        consumer.assign(assigned)
        consumer.seek_to_beginning(*assigned)
        end = consumer.end_offsets(assigned)
        messages = []
        while any(consumer.position(tp) < end[tp] for tp in assigned):
            assert time.monotonic() < deadline, f"timed out reading {topic}"
            for records in consumer.poll(timeout_ms=500).values():
                messages += [(r.key.decode(), json.loads(r.value)) for r in records]
        return messages
    finally:
        consumer.close()


@pytest.fixture(scope="module")
def samples() -> FeedServer:
    server = start_sample_server(0)
    yield server
    server.close()


# --- polling, conditional GET, restarts ----------------------------------------------------

def test_sample_feeds_go_into_kafka_keyed_by_article_id(
    tmp_path: Path, stack_config: Path, kafka_bootstrap: str, samples: FeedServer
) -> None:
    config = write_config(tmp_path, stack_config, kafka_bootstrap, {
        "syria-talks": local_feed(samples.url + "/syria-talks.xml"),
        "region-news": local_feed(samples.url + "/region-news.xml"),
    })
    summary = poll_once(config)
    assert (summary.feeds_polled, summary.feeds_failed, summary.articles_produced) == (2, 0, 14)
    messages = read_topic(kafka_bootstrap, config.kafka.articles_topic)
    assert len(messages) == 14
    for key, message in messages:
        validate_article(message)
        assert key == message["id"]
    astana = next(m for _, m in messages if "meet in Astana" in m["title"])
    assert astana["published_at"] == "2017-01-23T04:30:00Z"
    for name in ("Staffan de Mistura", "Mohammed Alloush", "Kazakhstan", "Russia, Turkey and Iran"):
        assert name in astana["text"]
    assert read_topic(kafka_bootstrap, config.kafka.deadletter_topic) == []


def test_topics_are_created_with_the_configured_partitions_and_retention(
    tmp_path: Path, stack_config: Path, kafka_bootstrap: str, samples: FeedServer
) -> None:
    config = write_config(tmp_path, stack_config, kafka_bootstrap,
                          {"s": local_feed(samples.url + "/syria-talks.xml")},
                          deadletter_retention_hours=48)
    poll_once(config)
    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    try:
        described = {t["name"]: t for t in admin.describe_topics(
            [config.kafka.articles_topic, config.kafka.deadletter_topic])}
        from kafka.admin import ConfigResource, ConfigResourceType
        configs = admin.describe_configs([
            ConfigResource(ConfigResourceType.TOPIC, config.kafka.deadletter_topic)])
    finally:
        admin.close()
    for topic in (config.kafka.articles_topic, config.kafka.deadletter_topic):
        assert len(described[topic]["partitions"]) == config.kafka.partitions
    assert str(48 * 3600 * 1000) in str(configs)


def test_a_304_produces_nothing(
    tmp_path: Path, stack_config: Path, kafka_bootstrap: str, samples: FeedServer
) -> None:
    config = write_config(tmp_path, stack_config, kafka_bootstrap,
                          {"syria-talks": local_feed(samples.url + "/syria-talks.xml")})
    assert poll_once(config).articles_produced == 8
    again = poll_once(config)
    assert (again.not_modified, again.articles_produced, again.results[0].status) == (1, 0, 304)
    assert samples.requests[-1][1].get("If-None-Match")
    assert len(read_topic(kafka_bootstrap, config.kafka.articles_topic)) == 8


def test_a_restart_against_a_server_without_validators_produces_no_duplicates(
    tmp_path: Path, stack_config: Path, kafka_bootstrap: str
) -> None:
    """The server ignores If-None-Match (always 200); the seen ids in the state still hold,
    and an item added later is the only one produced."""
    body = (REPO / "config" / "samples" / "syria-talks.xml").read_bytes()
    current = {"body": body}

    def always_200(handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Content-Length", str(len(current["body"])))
        handler.end_headers()
        handler.wfile.write(current["body"])

    server = start_feed_server(routes={"/feed.xml": always_200})
    try:
        config = write_config(tmp_path, stack_config, kafka_bootstrap,
                              {"talks": local_feed(server.url + "/feed.xml")})
        assert poll_once(config).articles_produced == 8
        config = load_config(config.path)  # a new process: config and state reopened
        assert poll_once(config).articles_produced == 0
        current["body"] = body.replace(b"</channel>", b"""<item><title>Ninth Astana round
          announced</title><link>https://news.talkwatch.example/2018/04/astana-9</link>
          <pubDate>Mon, 30 Apr 2018 09:00:00 GMT</pubDate></item></channel>""")
        after_update = poll_once(config)
    finally:
        server.close()
    assert (after_update.items_seen, after_update.articles_produced) == (9, 1)
    titles = [m["title"] for _, m in read_topic(kafka_bootstrap, config.kafka.articles_topic)]
    assert len(titles) == 9 and titles.count("Ninth Astana round announced") == 1


def test_the_same_article_in_two_feeds_is_produced_once(
    tmp_path: Path, stack_config: Path, kafka_bootstrap: str, samples: FeedServer
) -> None:
    config = write_config(tmp_path, stack_config, kafka_bootstrap, {
        "first": local_feed(samples.url + "/syria-talks.xml"),
        "mirror": local_feed(samples.url + "/syria-talks.xml?mirror=1"),
    })
    summary = poll_once(config)
    assert (summary.articles_produced, summary.duplicates) == (8, 8)
    assert len(read_topic(kafka_bootstrap, config.kafka.articles_topic)) == 8


# --- bad input: one poll over every bad feed, then one assertion set per feed ---------------

def fixture_route(name: str, content_type: str = "application/rss+xml"):
    body = (FIXTURES / name).read_bytes()

    def route(handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return route


def fifty_megabytes(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.send_header("Connection", "close")
    handler.end_headers()
    chunk = b"<item><title>" + b"x" * 65536 + b"</title></item>"
    for _ in range(800):  # about 50 MB; the client aborts at its limit
        handler.wfile.write(chunk)


def hang(handler) -> None:
    handler.server.stopping.wait(20)


def redirect(location: str):
    def route(handler) -> None:
        handler.send_response(301)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return route


BAD_FEEDS = {
    "malformed": "malformed.xml", "garbage": "garbage.xml", "html-page": "not-a-feed.html",
    "empty": "empty.xml", "billion-laughs": "billion-laughs.xml",
    "wrong-encoding": "wrong-encoding.xml", "mixed-encoding": "mixed-encoding.xml",
    "dates": "dates.xml", "duplicate-guids": "duplicate-guids.xml",
    "relative-links": "relative-links.xml", "javascript-links": "javascript-links.xml",
    "messy-titles": "messy-titles.xml",
}


@pytest.fixture(scope="module")
def bad_input_run(tmp_path_factory, stack_config: Path, kafka_bootstrap: str):
    routes = {f"/{name}": fixture_route(file, "text/html" if file.endswith(".html")
                                        else "application/rss+xml")
              for name, file in BAD_FEEDS.items()}
    routes.update({"/fifty-mb": fifty_megabytes, "/hang": hang,
                   "/loop-a": redirect("/loop-b"), "/loop-b": redirect("/loop-a")})
    server = start_feed_server({"/good.xml": (REPO / "config/samples/region-news.xml")
                                .read_bytes()}, routes)
    feeds = {name: local_feed(f"{server.url}/{name}") for name in BAD_FEEDS}
    feeds |= {name: local_feed(f"{server.url}/{name}")
              for name in ("fifty-mb", "hang", "loop-a")}
    feeds["good"] = local_feed(server.url + "/good.xml")
    feeds["not-allowed"] = {"url": server.url + "/good.xml", "source": "test"}  # SSRF
    tmp_path = tmp_path_factory.mktemp("bad-input")
    config = write_config(tmp_path, stack_config, kafka_bootstrap, feeds,
                          max_response_bytes=10 * 1024 * 1024, workers=4)
    try:
        started = time.monotonic()
        summary = poll_once(config)
        elapsed = time.monotonic() - started
    finally:
        server.close()
    articles = read_topic(kafka_bootstrap, config.kafka.articles_topic)
    letters = read_topic(kafka_bootstrap, config.kafka.deadletter_topic)
    with ConnectorState(tmp_path / "state.sqlite3") as state:
        states = {s.feed: s for s in state.feeds()}
    return {
        "summary": summary, "elapsed": elapsed, "states": states,
        "results": {r.feed: r for r in summary.results},
        "articles": {} | {m["id"]: m for _, m in articles},
        "by_feed": lambda feed: [m for _, m in articles if m["feed"] == feed],
        "letters": [m for _, m in letters], "raw_articles": articles,
    }


def test_every_bad_feed_was_polled_and_the_good_one_produced(bad_input_run) -> None:
    summary = bad_input_run["summary"]
    assert summary.feeds_polled == len(BAD_FEEDS) + 5
    assert len(bad_input_run["by_feed"]("good")) == 6
    assert bad_input_run["elapsed"] < 30


@pytest.mark.parametrize(
    ("feed", "kind", "words"),
    [
        ("garbage", "malformed", "malformed XML"),
        ("html-page", "not_a_feed", "HTML page"),
        ("billion-laughs", "entities", "declares XML entities"),
        ("fifty-mb", "too_large", "exceeds the limit of 10485760 bytes"),
        ("hang", "timeout", "timed out"),
        ("loop-a", "redirect_loop", "redirect loop"),
        ("not-allowed", "ssrf", "non-public address 127.0.0.1"),
    ],
)
def test_a_failing_feed_reports_its_error_in_the_state(bad_input_run, feed, kind, words) -> None:
    result = bad_input_run["results"][feed]
    state = bad_input_run["states"][feed]
    assert (result.ok, result.error_kind) == (False, kind)
    assert words in result.error and words in state.last_error
    assert (state.consecutive_errors, state.last_error_kind) == (1, kind)
    assert bad_input_run["by_feed"](feed) == []


def test_malformed_xml_keeps_recovered_entries_and_dead_letters_the_rest(bad_input_run) -> None:
    assert [a["title"] for a in bad_input_run["by_feed"]("malformed")] == [
        "Delegations arrive in Astana & Geneva for parallel meetings"]
    assert "malformed XML" in bad_input_run["states"]["malformed"].last_warning
    letters = [d for d in bad_input_run["letters"] if d["feed"] == "malformed"]
    assert [d["reason"] for d in letters] == ["entry has no link"]


def test_an_empty_feed_is_healthy_with_a_note(bad_input_run) -> None:
    state = bad_input_run["states"]["empty"]
    assert (state.healthy, state.consecutive_errors, state.last_items_seen) == (True, 0, 0)
    assert state.last_warning == "feed has no entries"


def test_wrong_and_mixed_encodings_arrive_as_proper_text(bad_input_run) -> None:
    assert [a["title"] for a in bad_input_run["by_feed"]("wrong-encoding")] == [
        "Délégués réunis à Genève"]
    assert sorted(a["title"] for a in bad_input_run["by_feed"]("mixed-encoding")) == [
        "Pourparlers à Genève", "Réunion à Astana – suite"]


def test_missing_and_absurd_dates_are_flagged(bad_input_run) -> None:
    dated = {a["canonical_url"].rsplit("/", 1)[1]: a for a in bad_input_run["by_feed"]("dates")}
    assert {k: a["published_at_inferred"] for k, a in dated.items()} == {
        "undated": True, "epoch": True, "future": True, "sochi": False}
    assert dated["sochi"]["published_at"] == "2018-01-30T09:00:00Z"
    assert dated["epoch"]["published_at"] == dated["epoch"]["fetched_at"]


def test_duplicate_guids_produce_each_article_once(bad_input_run) -> None:
    urls = sorted(a["canonical_url"] for a in bad_input_run["by_feed"]("duplicate-guids"))
    assert urls == ["https://dup.talkwatch.example/briefing",
                    "https://dup.talkwatch.example/new-team"]
    assert bad_input_run["results"]["duplicate-guids"].duplicates == 2


def test_relative_links_are_resolved_against_the_feed_url(bad_input_run) -> None:
    base = bad_input_run["states"]["relative-links"].url.rsplit("/", 1)[0]
    assert sorted(a["url"] for a in bad_input_run["by_feed"]("relative-links")) == [
        base + "/delegations.html", base + "/news/2018/05/14/guarantors-meet"]


def test_javascript_links_are_dead_lettered_with_the_raw_entry(bad_input_run) -> None:
    assert [a["title"] for a in bad_input_run["by_feed"]("javascript-links")] == [
        "Geneva round opens on Tuesday"]
    (letter,) = [d for d in bad_input_run["letters"] if d["feed"] == "javascript-links"]
    assert set(letter) == {"feed", "reason", "raw", "at"}
    assert "javascript" in letter["reason"]
    assert letter["raw"]["title"] == "Click here for the talks schedule"


def test_titles_lose_cr_lf_and_html(bad_input_run) -> None:
    articles = bad_input_run["by_feed"]("messy-titles")
    assert sorted(a["title"] for a in articles) == [
        "Astana talks: second day opens", "Breaking: envoy arrives in Damascus & Ankara"]
    second_day = next(a for a in articles if a["title"].startswith("Astana"))
    assert second_day["text"] == "Talks continue in Astana."


# --- backfill, full text, SIGTERM ----------------------------------------------------------

def test_backfill_of_feed_files_and_jsonl_uses_the_same_dedup(
    tmp_path: Path, stack_config: Path, kafka_bootstrap: str, samples: FeedServer
) -> None:
    config = write_config(tmp_path, stack_config, kafka_bootstrap,
                          {"syria-talks": local_feed(samples.url + "/syria-talks.xml")})
    assert poll_once(config).articles_produced == 8
    archive = tmp_path / "archive.jsonl"
    archive.write_text("\n".join([
        json.dumps({"url": "https://news.talkwatch.example/2017/01/23/astana-talks-open",
                    "title": "already produced by the poll"}),
        json.dumps({"url": "https://archive.talkwatch.example/2016/02/geneva-3-paused",
                    "title": "Geneva talks paused", "summary": "<p>The UN envoy paused the "
                    "Geneva talks.</p>", "published_at": "2016-02-03T18:00:00Z",
                    "source": "Archive", "tags": ["Geneva"]}),
        "{not json",
        json.dumps(["not", "an", "object"]),
    ]) + "\n")
    summary = ingest_paths(config, [archive, FIXTURES / "relative-links.xml"],
                           base_url="https://saved.talkwatch.example/feeds/rss.xml")
    assert (summary.files, summary.articles_produced, summary.duplicates,
            summary.deadletters, summary.errors) == (2, 3, 1, 2, [])
    again = ingest_paths(config, [archive, FIXTURES / "relative-links.xml"],
                         base_url="https://saved.talkwatch.example/feeds/rss.xml")
    assert (again.articles_produced, again.deadletters) == (0, 0)
    articles = {m["canonical_url"]: m for _, m in
                read_topic(kafka_bootstrap, config.kafka.articles_topic)}
    assert len(articles) == 11
    paused = articles["https://archive.talkwatch.example/2016/02/geneva-3-paused"]
    assert (paused["published_at"], paused["text"], paused["source"], paused["feed"]) == (
        "2016-02-03T18:00:00Z", "The UN envoy paused the Geneva talks.", "Archive", "backfill")
    assert "https://saved.talkwatch.example/news/2018/05/14/guarantors-meet" in articles
    reasons = [d["reason"] for _, d in read_topic(kafka_bootstrap, config.kafka.deadletter_topic)]
    assert len(reasons) == 2 and any("invalid JSON" in r for r in reasons)


def test_the_ingest_command_prints_a_summary(
    tmp_path: Path, stack_config: Path, kafka_bootstrap: str
) -> None:
    config = write_config(tmp_path, stack_config, kafka_bootstrap, {})
    done = subprocess.run(
        [sys.executable, "-m", "talkwatch.cli", "--config", str(config.path), "ingest",
         str(REPO / "config" / "samples" / "region-news.xml")],
        capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert "articles produced 6" in done.stdout
    assert len(read_topic(kafka_bootstrap, config.kafka.articles_topic)) == 6


def test_full_text_is_fetched_for_feeds_that_ask(
    tmp_path: Path, stack_config: Path, kafka_bootstrap: str
) -> None:
    page = ("<html><head><title>Talks</title></head><body><nav>Home | World</nav><article>"
            "<h1>Astana talks close</h1>" + "".join(
                f"<p>Paragraph {i} of the full report on the closing session in Astana, where "
                "the guarantor states agreed to meet again next month.</p>" for i in range(8))
            + "</article><footer>Contact</footer></body></html>").encode()
    server = start_feed_server({"/page.html": page})
    rss = (f'<rss version="2.0"><channel><title>s</title><item><title>Astana talks close'
           f"</title><link>{server.url}/page.html</link><description>Short summary."
           "</description></item></channel></rss>").encode()
    server.documents["/feed.xml"] = start_feed_server.__globals__["feed_document"](rss)
    try:
        config = write_config(tmp_path, stack_config, kafka_bootstrap,
                              {"summaries": local_feed(server.url + "/feed.xml",
                                                       full_text=True)})
        assert poll_once(config).articles_produced == 1
    finally:
        server.close()
    ((_, article),) = read_topic(kafka_bootstrap, config.kafka.articles_topic)
    assert article["summary"] == "Short summary."
    assert "Paragraph 7 of the full report" in article["text"]


def test_sigterm_stops_the_poller_cleanly_after_producing(
    tmp_path: Path, stack_config: Path, kafka_bootstrap: str, samples: FeedServer
) -> None:
    config = write_config(tmp_path, stack_config, kafka_bootstrap,
                          {"syria-talks": local_feed(samples.url + "/syria-talks.xml",
                                                     poll_interval_seconds=1)})
    script = (
        "import sys, threading\n"
        "from talkwatch.config import load_config\n"
        "from connectors.poller import install_stop_signals, run_poller\n"
        "stop = threading.Event(); install_stop_signals(stop)\n"
        "total = run_poller(load_config(sys.argv[1]), stop,\n"
        "    on_progress=lambda s, r: print('polled', r.feed, s.articles_produced, flush=True))\n"
        "print('stopped', total.feeds_polled, total.articles_produced, flush=True)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script, str(config.path)], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = []
        deadline = time.monotonic() + 60
        while len(lines) < 2 and time.monotonic() < deadline:
            line = process.stdout.readline()
            if line:
                lines.append(line)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert lines[0].startswith("polled syria-talks 8")
    stopped = out.strip().splitlines()[-1].split()
    assert stopped[0] == "stopped" and int(stopped[1]) >= 2 and stopped[2] == "8"
    assert len(read_topic(kafka_bootstrap, config.kafka.articles_topic)) == 8
