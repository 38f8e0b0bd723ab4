"""Actor registry and linking, on sentences written for these tests."""

from datetime import date

from pipelines.extraction.actors import link_actors, load_registry, registry_from_data
from pipelines.extraction.article import ArticleText
from pipelines.extraction.nlp import annotate, load_nlp
from pipelines.extraction.rounds import extract_round


def linked(text: str, published: date | None = date(2018, 3, 1)) -> list[tuple[str, str | None]]:
    annotation = annotate(load_nlp(), [text])[0]
    return [(m.surface, m.canonical) for m in link_actors(text, annotation, published)]


def test_metonyms_stand_for_states_but_not_when_used_as_places():
    mentions = linked("Moscow and Tehran backed the plan, while Ankara and Damascus objected.")
    assert ("Moscow", "Russia") in mentions and ("Tehran", "Iran") in mentions
    assert ("Ankara", "Turkey") in mentions and ("Damascus", "Syrian government") in mentions
    places = linked("The envoy flew to Moscow after a week in Damascus.")
    assert ("Moscow", "Russia") not in places and ("Damascus", "Syrian government") not in places


def test_turkiye_and_the_kremlin():
    mentions = linked("Türkiye said the Kremlin had agreed.")
    assert ("Türkiye", "Turkey") in mentions and ("the Kremlin", "Russia") in mentions


def test_dated_names_follow_the_publication_date():
    text = "Fighters of Jabhat al-Nusra were excluded from the truce."
    assert ("Jabhat al-Nusra", "Jabhat al-Nusra") in linked(text, date(2016, 3, 1))
    assert ("Jabhat al-Nusra", "Jabhat Fatah al-Sham") in linked(text, date(2016, 10, 1))
    assert ("Jabhat al-Nusra", "Hayat Tahrir al-Sham") in linked(text, date(2018, 1, 1))


def test_alias_valid_only_over_its_date_range():
    registry = registry_from_data(
        {
            "actors": [
                {
                    "id": "capital",
                    "name": "Kazakh capital",
                    "type": "state",
                    "aliases": [
                        {"text": "Nur-Sultan", "from": "2019-03-20", "until": "2022-09-17"}
                    ],
                }
            ]
        }
    )
    alias = registry.alias("capital", "Nur-Sultan")
    assert alias is not None
    assert alias.valid_on(date(2020, 1, 1)) and not alias.valid_on(date(2018, 1, 1))


def test_affiliations_report_the_parent_actor():
    registry = load_registry()
    assert registry.reported_names("mohammed_alloush") == ("Syrian opposition",)
    assert registry.reported_names("staffan_de_mistura") == ("Staffan de Mistura", "United Nations")


def test_generic_word_qualified_by_another_state_is_not_linked():
    mentions = linked("The Turkish government and the opposition spoke.")
    assert ("government", "Syrian government") not in mentions
    assert ("opposition", "Syrian opposition") in mentions


def test_unlinked_names_are_kept():
    annotation = annotate(load_nlp(), ["Zubair Haddad of the Northern Relief Agency spoke."])[0]
    mentions = link_actors("Zubair Haddad of the Northern Relief Agency spoke.", annotation, None)
    assert any(m.canonical is None and m.type == "person" for m in mentions)


def round_actors(text: str, published: date) -> tuple[str, ...]:
    article = ArticleText("a", "", None, published, text)
    annotation = annotate(load_nlp(), [article.document])[0]
    return extract_round(article, annotation).actors


def test_absent_hosts_and_backers_are_not_actors():
    actors = round_actors(
        "Envoys opened the tenth Astana-format round about Syria at a Sochi resort on Monday. "
        "Russian, Iranian and Turkish teams took part, and Jordan attended as an observer. "
        "The host said Washington had abstained from dispatching envoys. Government "
        "forces, backed by Hezbollah and Iraq, pushed south the same day.",
        date(2018, 7, 30),
    )
    assert set(actors) == {"Russia", "Iran", "Turkey", "Jordan"}


def test_hypothetical_observers_are_not_actors():
    actors = round_actors(
        "Envoys opened the seventh Astana-format round about Syria on Monday with Russian, "
        "Turkish and Iranian teams at the table. Diplomats may debate expanding the observer "
        "group with candidates such as Lebanon and Iraq.",
        date(2017, 10, 30),
    )
    assert set(actors) == {"Turkey", "Russia", "Iran"}


def test_alias_and_reported_names_tables_answer_as_the_registry_reads():
    registry = load_registry()
    for actor_id, actor in registry.actors.items():
        for alias in actor.aliases:
            for surface in (alias.text, alias.text[:1].upper() + alias.text[1:]):
                first = next(
                    a for a in actor.aliases if surface in (a.text, a.text[:1].upper() + a.text[1:])
                )
                assert registry.alias(actor_id, surface) is first
        assert registry.alias(actor_id, "not an alias of anyone") is None
        assert registry.reported_names(actor_id) == registry._affiliated_names(actor_id)
    assert registry.reported_names("no such actor") == ()
