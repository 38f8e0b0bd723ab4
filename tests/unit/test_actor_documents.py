"""What the sink writes about actors: each actor once per batch, from the latest article that
names it, and each name once per article with its number of mentions."""

from __future__ import annotations

from pipelines.extraction.actors import ActorMention
from pipelines.records import ArticleInFlight, KafkaPosition
from pipelines.sinks.documents import actor_documents, actor_id, entity_summaries


def mention(canonical: str | None, surface: str, kind: str = "state") -> ActorMention:
    return ActorMention(canonical, canonical and canonical.lower(), kind, surface, 0, 1, 0)


def article(n: int, published: str | None, *mentions: ActorMention) -> ArticleInFlight:
    return ArticleInFlight(
        position=KafkaPosition("articles", 0, n),
        article={"id": f"a{n}", "url": f"http://x/{n}", "published_at": published},
        actors=mentions,
    )


def by_name(docs: list[dict]) -> dict[str, dict]:
    return {d["name"]: d for d in docs}


def test_an_actor_named_by_many_articles_is_one_document_from_the_latest() -> None:
    batch = [
        article(1, "2017-01-23T09:00:00Z", mention("Russia", "Moscow"), mention("Iran", "Iran")),
        article(2, "2017-01-24T18:00:00+03:00", mention("Russia", "Russia")),  # 15:00 UTC
        article(3, "2017-01-24T16:00:00Z", mention("Russia", "Russian"),
                mention(None, "Mohammed Alloush", "person")),
        article(4, "2017-01-22T08:00:00Z", mention("Russia", "Russia")),  # older, arrives last
    ]
    docs = actor_documents(batch)
    assert len(docs) == 3
    names = by_name(docs)
    assert names["Russia"]["last_article_id"] == "a3"
    assert names["Russia"]["last_seen"] == "2017-01-24T16:00:00Z"
    assert names["Iran"]["last_article_id"] == "a1"
    assert names["Mohammed Alloush"] == {
        "id": actor_id("Mohammed Alloush", False), "name": "Mohammed Alloush", "type": "person",
        "linked": False, "last_article_id": "a3", "last_seen": "2017-01-24T16:00:00Z",
    }
    assert names["Russia"]["id"] == actor_id("Russia", True) != actor_id("Russia", False)


def test_the_same_batch_in_another_order_writes_the_same_documents() -> None:
    batch = [
        article(1, "2017-01-23T09:00:00Z", mention("Turkey", "Ankara")),
        article(2, "2017-01-23T09:00:00Z", mention("Turkey", "Turkey")),  # same instant
        article(3, None, mention("Turkey", "Turkish")),  # no date: never the latest
    ]
    assert actor_documents(batch) == actor_documents(batch[::-1])
    assert actor_documents(batch)[0]["last_article_id"] == "a2"


def test_an_article_lists_each_name_once_with_its_mentions_in_order_of_first_use() -> None:
    mentions = [
        mention("Russia", "Moscow"),
        mention("Russia", "Russia"),
        mention(None, "Mohammed Alloush", "person"),
        mention("Russia", "Moscow"),
        mention("Staffan de Mistura", "de Mistura", "person"),
        mention("Russia", "Moscow"),
    ]
    assert entity_summaries(mentions) == [
        {"text": "Moscow", "label": "state", "actor": "Russia", "actor_type": "state",
         "mentions": 3},
        {"text": "Russia", "label": "state", "actor": "Russia", "actor_type": "state",
         "mentions": 1},
        {"text": "Mohammed Alloush", "label": "person", "actor": None, "actor_type": "person",
         "mentions": 1},
        {"text": "de Mistura", "label": "person", "actor": "Staffan de Mistura",
         "actor_type": "person", "mentions": 1},
    ]
