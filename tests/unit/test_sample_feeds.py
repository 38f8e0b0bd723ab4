"""The bundled sample feeds (config/samples, written for the project), read the way the demo
reads them: parsed, normalised, then extracted. `talkwatch demo` and `make run` show these
rounds first, so a rule change that loses one of them shows here."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from connectors.feeds import Feed
from connectors.normalize import normalize_entry
from connectors.parse import parse_feed
from pipelines.extraction.batch import extract_articles
from pipelines.records import article_text

SAMPLES = Path(__file__).resolve().parents[2] / "config" / "samples"
# title start -> (series, round, location, start date) of the round reported; None: no round.
EXPECTED = {
    "Syrian government and rebels meet in Astana": ("astana", None, "Astana", date(2017, 1, 23)),
    "Astana talks end with Russia": ("astana", 1, "Astana", date(2017, 1, 23)),
    "Intra-Syrian talks resume in Geneva": ("geneva", None, "Geneva", date(2017, 2, 23)),
    "Guarantor states sign memorandum": ("astana", 4, "Astana", date(2017, 5, 3)),
    "Sixth Astana round agrees": ("astana", 6, "Astana", date(2017, 9, 14)),
    "Kazakhstan announces next round": None,
    "Syrian Constitutional Committee holds first session": (
        "constitutional_committee", 1, "Geneva", date(2019, 10, 30)),
    "Geneva session of Syria's Constitutional Committee suspended": (
        "constitutional_committee", 3, "Geneva", date(2020, 8, 24)),
    "Thirteenth round of Syria talks opens": ("astana", 13, "Nur-Sultan", date(2019, 8, 1)),
    "Yemen consultations in Geneva stall": None,
    "Heavy fighting in southern Idlib": None,
    "UN aid convoy reaches Douma": None,
    "Kazakhstan expects record grain exports": None,
    "Geneva motor show draws crowds": None,
}  # fmt: skip


def sample_articles() -> list[dict]:
    fetched = datetime(2026, 1, 1, tzinfo=UTC)
    articles = []
    for path in sorted(SAMPLES.glob("*.xml")):
        url = f"http://127.0.0.1/{path.name}"
        feed = Feed(name=path.stem, url=url, source="talkwatch samples")
        for entry in parse_feed(path.read_bytes(), url=url).entries:
            article = normalize_entry(entry, feed, base_url=url, fetched_at=fetched)
            articles.append(article.to_message())
    return articles


@pytest.fixture(scope="module")
def extracted() -> dict[str, object]:
    articles = sample_articles()
    results = extract_articles([article_text(a) for a in articles])
    return {a["title"]: r for a, r in zip(articles, results, strict=True)}


def test_every_sample_item_has_an_expectation(extracted):
    titles = list(extracted)
    assert len(titles) == len(EXPECTED)
    assert all(any(t.startswith(start) for t in titles) for start in EXPECTED)


@pytest.mark.parametrize("start", EXPECTED)
def test_sample_item(extracted, start):
    title, result = next((t, r) for t, r in extracted.items() if t.startswith(start))
    expected = EXPECTED[start]
    if expected is None:
        assert not result.is_syria_talks_round, title
        return
    assert result.is_syria_talks_round, title
    got = (result.series, result.round, result.location, result.start_date)
    assert got == expected, title
