"""Feed entry -> Article: canonical URLs, ids, text, titles and dates."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from connectors.feeds import Feed
from connectors.normalize import (
    NormalizationError,
    article_id,
    canonical_url,
    clean_title,
    html_to_text,
    normalize_entry,
    published_at,
)
from schemas.models import validate_article

FEED = Feed(name="test-feed", url="https://feeds.talkwatch.example/world/rss.xml",
            source="Test Source", tags=("syria",))
FETCHED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def struct(moment: datetime) -> time.struct_time:
    return moment.utctimetuple()


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://News.Example.ORG/Talks/Astana", "https://news.example.org/Talks/Astana"),
        ("https://news.example.org/a#comments", "https://news.example.org/a"),
        ("https://news.example.org/a?utm_source=rss&utm_medium=feed&id=7",
         "https://news.example.org/a?id=7"),
        ("https://news.example.org/a?fbclid=x&gclid=y&at_medium=RSS&xtor=RSS-1",
         "https://news.example.org/a"),
        ("https://news.example.org/a?b=2&a=1", "https://news.example.org/a?a=1&b=2"),
        ("http://news.example.org:80/a", "http://news.example.org/a"),
        ("https://news.example.org:8443/a", "https://news.example.org:8443/a"),
        ("https://user:secret@news.example.org/a", "https://news.example.org/a"),
        ("https://news.example.org", "https://news.example.org/"),
        ("https://Genève.example/a", "https://xn--genve-6ra.example/a"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "mailto:a@b.c",
                                 "file:///etc/passwd", "//no-scheme.example/a", "https://"])
def test_canonical_url_rejects_non_web_links(url: str) -> None:
    with pytest.raises(NormalizationError):
        canonical_url(url)


def test_article_id_is_stable_and_ignores_tracking() -> None:
    plain = article_id(canonical_url("https://news.example.org/astana"))
    tracked = article_id(canonical_url("https://NEWS.example.org/astana?utm_source=x#top"))
    assert plain == tracked
    assert len(plain) == 32 and int(plain, 16) >= 0
    assert plain != article_id(canonical_url("https://news.example.org/geneva"))


def test_html_to_text_drops_markup_scripts_and_styles() -> None:
    html = ("<p>Talks <b>resume</b> in Geneva &amp; Astana.</p><script>alert(1)</script>"
            "<style>p{}</style><p>Second&nbsp;paragraph</p>")
    assert html_to_text(html) == "Talks resume in Geneva & Astana.\n\nSecond paragraph"


def test_clean_title_folds_cr_lf_and_html() -> None:
    assert clean_title("Astana talks:\r\n second\tday <b>opens</b>") == (
        "Astana talks: second day opens")
    assert "\n" not in clean_title("a\nb\rc")


def test_published_at_uses_the_feed_date_in_utc() -> None:
    moment, inferred = published_at({"published_parsed": struct(datetime(2017, 1, 23, 4, 30,
                                                                         tzinfo=UTC))}, FETCHED)
    assert (moment.isoformat(), inferred) == ("2017-01-23T04:30:00+00:00", False)


@pytest.mark.parametrize(
    "entry",
    [
        {},
        {"published_parsed": struct(datetime(1970, 1, 1, tzinfo=UTC))},
        {"published_parsed": struct(datetime(1989, 12, 31, tzinfo=UTC))},
        {"published_parsed": struct(datetime(2100, 1, 1, tzinfo=UTC))},
        {"published_parsed": struct(FETCHED + timedelta(days=1, minutes=5))},
    ],
    ids=["missing", "1970", "1989", "2100", "over-a-day-ahead"],
)
def test_missing_or_absurd_dates_become_the_fetch_time_flagged(entry: dict) -> None:
    assert published_at(entry, FETCHED) == (FETCHED, True)


def test_a_date_within_a_day_ahead_is_kept() -> None:
    ahead = FETCHED + timedelta(hours=23)
    assert published_at({"published_parsed": struct(ahead)}, FETCHED) == (ahead, False)


def test_updated_is_used_when_published_is_absurd() -> None:
    entry = {"published_parsed": struct(datetime(1970, 1, 1, tzinfo=UTC)),
             "updated_parsed": struct(datetime(2019, 10, 30, 16, tzinfo=UTC))}
    assert published_at(entry, FETCHED) == (datetime(2019, 10, 30, 16, tzinfo=UTC), False)


def test_normalize_entry_builds_a_valid_article() -> None:
    entry = {
        "title": "Constitutional Committee\r\nmeets <em>again</em>",
        "link": "/2019/10/30/committee?utm_campaign=x",
        "summary": "<p>The committee met in <b>Geneva</b>.</p>",
        "published_parsed": struct(datetime(2019, 10, 30, 16, tzinfo=UTC)),
        "authors": [{"name": "Desk"}],
        "tags": [{"term": "Syria"}, {"term": "Geneva"}],
    }
    article = normalize_entry(entry, FEED, base_url=FEED.url, fetched_at=FETCHED)
    message = article.to_message()
    validate_article(message)
    assert message["url"] == "https://feeds.talkwatch.example/2019/10/30/committee?utm_campaign=x"
    assert message["canonical_url"] == "https://feeds.talkwatch.example/2019/10/30/committee"
    assert message["id"] == article_id(message["canonical_url"])
    assert message["title"] == "Constitutional Committee meets again"
    assert message["text"] == message["summary"] == "The committee met in Geneva."
    assert message["published_at"] == "2019-10-30T16:00:00Z"
    assert message["fetched_at"] == "2024-05-01T12:00:00Z"
    assert message["tags"] == ["syria", "Geneva"]
    assert message["authors"] == ["Desk"]
    assert (message["feed"], message["source"], message["language"]) == (
        "test-feed", "Test Source", "en")


def test_content_is_preferred_to_summary_for_text() -> None:
    entry = {"title": "t", "link": "https://a.example/1", "summary": "short",
             "content": [{"value": "<p>The long body.</p>"}]}
    article = normalize_entry(entry, FEED, base_url=FEED.url, fetched_at=FETCHED)
    assert (article.summary, article.text) == ("short", "The long body.")


def test_guid_permalink_is_used_when_there_is_no_link() -> None:
    entry = {"title": "t", "id": "https://a.example/guid-link", "guidislink": True}
    assert normalize_entry(entry, FEED, base_url=FEED.url,
                           fetched_at=FETCHED).url == "https://a.example/guid-link"


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ({"title": "t", "link": "javascript:alert(1)"}, "javascript"),
        ({"title": "t"}, "no link"),
        ({"title": "", "link": "https://a.example/1"}, "neither a title nor any text"),
        ({"title": "t", "link": "https://a.example/" + "x" * 5000}, "longer than"),
    ],
)
def test_entries_that_cannot_be_articles_say_why(entry: dict, reason: str) -> None:
    with pytest.raises(NormalizationError, match=reason):
        normalize_entry(entry, FEED, base_url=FEED.url, fetched_at=FETCHED)
