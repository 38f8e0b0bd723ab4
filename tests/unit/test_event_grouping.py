"""Articles about one round are merged together and written once per batch."""

from __future__ import annotations

from datetime import date

from pipelines.extraction.rounds import RoundExtraction
from pipelines.records import ArticleInFlight, KafkaPosition
from pipelines.sinks.events import group_by_event


def item(n: int, **round_fields) -> ArticleInFlight:
    extraction = RoundExtraction(article_id=f"a{n}", is_syria_talks_round=True, **round_fields)
    return ArticleInFlight(
        position=KafkaPosition("articles", 0, n),
        article={"id": f"a{n}", "url": f"http://x/{n}"},
        extraction=extraction,
    )


def ids(groups) -> list[list[str]]:
    return [[i.article["id"] for i in g] for g in groups]


def test_items_sharing_a_key_are_one_group_in_arrival_order() -> None:
    week = {"location": "Astana", "start_date": date(2018, 5, 14)}
    items = [
        item(0, series="astana", round=9),
        item(1, series="geneva", round=8),
        item(2, series="astana", **week),
        item(3, series="astana", round=9, **week),  # joins the two astana groups
    ]
    assert ids(group_by_event(items)) == [["a1"], ["a0", "a2", "a3"]]


def test_items_naming_no_round_are_left_out() -> None:
    unrelated = ArticleInFlight(KafkaPosition("articles", 0, 9), {"id": "a9", "url": "u"})
    no_series = item(1)
    assert group_by_event([unrelated, no_series, item(2, series="astana", round=3)]) == [
        [item(2, series="astana", round=3)]
    ]
