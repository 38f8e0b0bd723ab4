"""Round extraction on short reports written for these tests."""

from datetime import date

import pytest
from extracting import extract


def test_opening_report_of_an_astana_round():
    result = extract(
        "NUR-SULTAN, Feb. 4 - Envoys opened the 15th Astana-format round about Syria on "
        "Tuesday at a hotel in Nur-Sultan. Russian, Turkish and Iranian envoys, acting as "
        "guarantors, sat down with a Syrian government team and armed opposition figures. "
        "The talks will last two days.",
        published=date(2020, 2, 4),
    )
    assert result.is_syria_talks_round
    assert (result.series, result.round, result.location) == ("astana", 15, "Nur-Sultan")
    assert result.start_date == date(2020, 2, 4)
    assert result.end_date == date(2020, 2, 5)
    assert result.status == "opening"
    assert result.country == "Kazakhstan" and result.coordinates is not None


def test_other_rounds_ordinals_do_not_replace_this_rounds():
    result = extract(
        "Guarantor envoys launched the sixth round of Syria negotiations in Astana on Wednesday. "
        "Compared with the previous, fifth round, both camps sat in one hall. A third round in "
        "March 2017 had ended without a document.",
        published=date(2017, 9, 14),
    )
    assert result.round == 6


def test_first_round_since_a_date_leaves_round_null():
    result = extract(
        "Officials opened what they called the first round of UN-mediated negotiations on Syria "
        "anywhere since the spring, convening government and opposition teams in Geneva on "
        "Monday.",
        published=date(2016, 2, 1),
    )
    assert result.is_syria_talks_round and result.round is None
    assert result.series == "geneva" and result.location == "Geneva"


def test_roman_numeral_geneva_round():
    result = extract(
        "Geneva IV opened on Thursday: Staffan de Mistura greeted government and opposition "
        "negotiators from Syria at UN-mediated talks in Geneva.",
        published=date(2017, 2, 23),
    )
    assert (result.series, result.round, result.start_date) == ("geneva", 4, date(2017, 2, 23))


def test_announcement_weeks_ahead_is_not_a_report_but_keeps_the_round():
    result = extract(
        "Kazakh diplomats said on Monday that Astana will host the 21st Astana-format round on "
        "Syria on January 24-25. Envoys of the three guarantors are expected there.",
        title="Astana to host next Syria round in late January",
        published=date(2024, 1, 2),
    )
    assert not result.is_syria_talks_round
    assert (result.series, result.round, result.status) == ("astana", 21, "scheduled")
    assert result.start_date == date(2024, 1, 24)


def test_eve_of_a_round_counts_as_its_report():
    result = extract(
        "Envoys landed in Nur-Sultan on Monday ahead of the 17th Astana-format round on Syria. "
        "Their sessions will take place on December 21-22, the ministry said.",
        published=date(2021, 12, 20),
    )
    assert result.is_syria_talks_round and result.status == "opening"


def test_postponed_round_updates_status_but_is_not_a_report():
    result = extract(
        "Travel limits have forced a delay: the Constitutional Committee's fifth session in "
        "Geneva was postponed, a spokeswoman for the UN envoy on Syria said.",
        title="Syria constitution talks postponed",
        published=date(2021, 1, 5),
    )
    assert not result.is_syria_talks_round
    assert (result.series, result.round, result.status) == (
        "constitutional_committee",
        5,
        "postponed",
    )


@pytest.mark.parametrize(
    "text",
    [
        "UN-sponsored negotiations on Yemen opened in Geneva on Thursday, with Houthi envoys "
        "and a Yemeni government team in separate rooms.",
        "Libyan officers started a fifth round of military talks in Geneva under UN auspices; "
        "Libya's rival camps hope to seal a truce.",
        "Sudanese army and RSF envoys resumed talks in Jeddah on Sunday; Sudan mediators expect "
        "a week of sessions.",
    ],
)
def test_other_countries_talks_in_familiar_venues_are_not_syria_talks(text: str):
    result = extract(text, published=date(2022, 5, 5))
    assert not result.is_syria_talks_round
    assert result.actors == ()


def test_constitutional_committee_session_concluded():
    result = extract(
        "Geir Pedersen, the UN Special Envoy, said the Constitutional Committee on Syria wrapped "
        "up its seventh session in Geneva today. Government, opposition and civil society "
        "delegations each tabled drafts.",
        published=date(2022, 3, 25),
    )
    assert result.is_syria_talks_round
    assert (result.series, result.round, result.status) == (
        "constitutional_committee",
        7,
        "concluded",
    )
    # The round calendar supplies the first day the text leaves implicit.
    assert result.start_date == date(2022, 3, 21)
    assert set(result.actors) == {
        "Geir Pedersen",
        "United Nations",
        "Syrian government",
        "Syrian opposition",
        "Syrian civil society",
    }


def test_output_line_has_the_extract_fields():
    result = extract(
        "Envoys started the ninth Astana-format round about Syria in Astana on Monday, with "
        "Moscow and Tehran sending delegations.",
        published=date(2018, 5, 14),
    )
    line = result.output_line()
    assert set(line) == {
        "id",
        "is_syria_talks_round",
        "series",
        "round",
        "location",
        "start_date",
        "actors",
        "status",
        "evidence",
    }
    assert line["start_date"] == "2018-05-14"
    assert line["evidence"]["round"]["sentence"].startswith("Envoys started the ninth")


def test_guarantors_of_the_format_sit_as_guarantors_whatever_the_verb():
    result = extract(
        "ASTANA, May 15 - The ninth round of Astana talks on Syria opened on Monday. Delegations "
        "of Russia, Turkey and Iran met the Syrian government team, while Kazakhstan hosted the "
        "meeting at a hotel in the capital.",
        published=date(2018, 5, 15),
    )
    roles = {(p.actor, p.role) for p in result.participants}
    assert {("Russia", "guarantor/sponsor"), ("Turkey", "guarantor/sponsor"),
            ("Iran", "guarantor/sponsor")} <= roles
    assert ("Syrian government", "delegation") in roles
    assert "Kazakhstan" not in result.actors
