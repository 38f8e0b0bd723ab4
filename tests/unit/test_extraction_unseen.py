"""Round extraction on short wire-style reports written for these tests, in wordings and
settings (Sochi, Nur-Sultan, Vienna, the Sochi congress, the small body) the first tests lack."""

from datetime import date

from extracting import extract


def test_astana_format_round_in_sochi_lists_guarantors_and_observers():
    result = extract(
        "SOCHI, Russia (AP) - Envoys from Russia, Turkey and Iran opened two days of talks on "
        "Syria in the Russian resort city of Sochi on Tuesday, the 15th meeting under the "
        "so-called Astana process. The Syrian government delegation and an opposition team led "
        "by Ahmad Toma are attending. Delegations from Jordan, Lebanon and Iraq attend as "
        "observers.",
        title="Syria talks open in Black Sea resort of Sochi",
        published=date(2021, 2, 16),
    )
    assert result.is_syria_talks_round
    assert (result.series, result.round, result.location) == ("astana", 15, "Sochi")
    assert result.start_date == date(2021, 2, 16)
    assert {"Russia", "Turkey", "Iran", "Jordan", "Lebanon", "Iraq"} <= set(result.actors)


def test_vienna_special_meeting_belongs_to_geneva_series_despite_headline_on_sochi():
    result = extract(
        "VIENNA - UN envoy Staffan de Mistura began two days of talks with Syria's warring "
        "parties in Vienna on Thursday, a special meeting moved from Geneva. The government "
        "delegation and the opposition Syrian Negotiation Commission are holding separate "
        "meetings with the mediator.",
        title="UN holds special Syria meeting in Vienna ahead of Sochi congress",
        published=date(2018, 1, 25),
    )
    assert result.is_syria_talks_round
    assert (result.series, result.location, result.start_date) == (
        "geneva",
        "Vienna",
        date(2018, 1, 25),
    )


def test_sochi_congress_sponsor_is_listed_and_dateline_beats_a_committee_in_geneva():
    result = extract(
        "SOCHI - A Russian-hosted congress on Syria's future ended late on Tuesday with a call "
        "to set up a committee to draft a new constitution, under UN auspices in Geneva. The "
        "Syrian National Dialogue Congress was marred by a boycott by the main opposition. UN "
        "envoy Staffan de Mistura, who attended, said the committee would meet in Geneva.",
        title="Sochi congress agrees to form Syrian constitutional committee",
        published=date(2018, 1, 31),
    )
    assert result.is_syria_talks_round
    assert (result.series, result.location) == ("sochi", "Sochi")
    assert result.start_date == date(2018, 1, 29)
    assert "Russia" in result.actors and "Staffan de Mistura" in result.actors


def test_supporters_of_a_leader_do_not_make_his_government_a_participant():
    result = extract(
        "SOCHI, Russia - The Syrian National Dialogue Congress opened in Sochi with some 1,500 "
        "delegates, most of them supporters of President Bashar al-Assad. UN envoy Staffan de "
        "Mistura attended, and Turkey and Iran, co-sponsors of the gathering with Russia, sent "
        "delegations.",
        published=date(2018, 1, 30),
    )
    assert result.series == "sochi"
    assert "Syrian government" not in result.actors
    assert {"Turkey", "Iran", "Russia"} <= set(result.actors)


def test_small_body_session_with_members_drawn_from_three_lists():
    result = extract(
        "GENEVA - The small body of Syria's Constitutional Committee began its 8th session on "
        "Monday, UN special envoy Geir Pedersen said. The 45 members, drawn equally from the "
        "government, the opposition and civil society, will discuss constitutional principles "
        "over five days.",
        title="Syria's constitutional drafting body starts eighth session in Geneva",
        published=date(2022, 5, 30),
    )
    assert (result.series, result.round, result.location) == (
        "constitutional_committee",
        8,
        "Geneva",
    )
    assert result.start_date == date(2022, 5, 30)
    assert "Syrian civil society" in result.actors


def test_inaugural_session_is_the_first_round():
    result = extract(
        "GENEVA (AFP) - Geir Pedersen opened the inaugural session of the 150-member "
        "Syrian Constitutional Committee on Wednesday, with one third nominated by the "
        "government, one third by the opposition and one third by civil society.",
        published=date(2019, 10, 30),
    )
    assert result.is_syria_talks_round
    assert (result.series, result.round) == ("constitutional_committee", 1)


def test_could_not_agree_is_not_a_hypothetical():
    result = extract(
        "The fifth session of Syria's Constitutional Committee ended without agreement in Geneva "
        "on Friday, UN envoy Geir Pedersen said. Delegates from the government and opposition "
        "could not agree on a methodology for drafting.",
        published=date(2021, 1, 29),
    )
    assert result.is_syria_talks_round and result.status == "concluded"
    assert result.start_date == date(2021, 1, 25)
    assert {"Syrian government", "Syrian opposition"} <= set(result.actors)


def test_astana_round_about_a_future_committee_keeps_series_and_skips_its_make_up():
    result = extract(
        "ASTANA, Nov 29 - The eleventh round of Syria talks ended in Astana on Thursday without "
        "agreement on the make-up of a constitutional committee, UN envoy Staffan de Mistura "
        "said. Russia, Turkey and Iran failed to make progress on the list of civil society "
        "members, de Mistura said.",
        published=date(2018, 11, 29),
    )
    assert (result.series, result.round, result.start_date) == ("astana", 11, date(2018, 11, 28))
    assert {"Russia", "Turkey", "Iran", "Staffan de Mistura"} <= set(result.actors)
    assert "Syrian civil society" not in result.actors


def test_end_date_without_ordinal_takes_the_first_day_from_the_public_record():
    result = extract(
        "Talks in the Kazakh capital ended on Wednesday without agreement on the boundaries of "
        "de-escalation zones in Syria, Russian envoy Alexander Lavrentiev said. Russia, Turkey "
        "and Iran will set up a working group to finish the maps, he said.",
        title="Astana talks end without deal on Syria safe zones",
        published=date(2017, 7, 5),
    )
    assert result.is_syria_talks_round
    assert (result.series, result.location) == ("astana", "Astana")
    assert result.start_date == date(2017, 7, 4)
    assert {"Russia", "Turkey", "Iran"} <= set(result.actors)


def test_opened_a_new_round_reports_this_round():
    result = extract(
        "GENEVA - UN mediator Staffan de Mistura opened a new round of Syria peace talks on "
        "Tuesday. He met the Syrian government delegation in the morning and the opposition "
        "High Negotiations Committee in the afternoon.",
        published=date(2017, 5, 16),
    )
    assert result.is_syria_talks_round
    assert (result.series, result.location, result.start_date) == (
        "geneva",
        "Geneva",
        date(2017, 5, 16),
    )


def test_battle_report_recalling_astana_talks_of_an_earlier_year_is_not_a_round():
    result = extract(
        "Syrian government forces backed by Russian air strikes captured several villages in "
        "southern Idlib on Thursday. The area is part of a de-escalation zone agreed by Russia, "
        "Turkey and Iran at talks in Astana in 2017. The United Nations said more than 150,000 "
        "people had fled the fighting.",
        title="Syrian forces push into southern Idlib despite truce",
        published=date(2019, 5, 9),
    )
    assert not result.is_syria_talks_round


def test_erdogan_putin_summit_in_sochi_is_not_a_round():
    result = extract(
        "SOCHI, Russia - Turkish President Recep Tayyip Erdogan and Russian President Vladimir "
        "Putin agreed on Monday to create a demilitarised zone in Syria's Idlib province. After "
        "more than four hours of talks in Sochi, Putin said the zone would be 15 to 20 km deep.",
        title="Erdogan and Putin agree Idlib buffer zone at Sochi summit",
        published=date(2018, 9, 17),
    )
    assert not result.is_syria_talks_round


def test_libya_military_talks_in_geneva_are_not_syria_talks():
    result = extract(
        "GENEVA - Libya's warring sides signed a permanent ceasefire agreement in Geneva on "
        "Friday after five days of UN-brokered talks. The 5+5 Joint Military Commission met "
        "under UN envoy Stephanie Williams.",
        title="Libyan rivals sign ceasefire in Geneva",
        published=date(2020, 10, 23),
    )
    assert not result.is_syria_talks_round


def test_postponed_session_is_not_a_report():
    result = extract(
        "The ninth session of Syria's Constitutional Committee, due to begin in Geneva next week, "
        "has been postponed, UN envoy Geir Pedersen's office said on Tuesday. No new date was "
        "set.",
        title="Syria constitutional talks postponed over venue row",
        published=date(2022, 7, 19),
    )
    assert not result.is_syria_talks_round
    assert result.status == "postponed"


def test_passing_mention_of_talks_at_the_end_of_an_aid_story_is_not_a_round():
    result = extract(
        "BRUSSELS - The European Union pledged 500 million euros on Thursday for Syrians "
        "displaced by the war. The money will pay for shelters, schools and clinics in Idlib "
        "and in neighbouring countries. Aid groups welcomed the pledge but said needs were "
        "growing fast. Officials warned that winter would worsen conditions in the camps. "
        "Diplomacy, including the Astana talks in Nur-Sultan between Russia, Turkey and Iran, "
        "has done little to ease the crisis.",
        title="EU pledges new aid for displaced Syrians",
        published=date(2021, 7, 8),
    )
    assert not result.is_syria_talks_round


def test_trilateral_leaders_summit_of_guarantors_is_not_a_round():
    result = extract(
        "TEHRAN - The presidents of Iran, Russia and Turkey met in Tehran on Friday for a "
        "trilateral summit of the Astana process guarantor countries, focusing on Idlib. In a "
        "joint statement after the summit, the three leaders reaffirmed their commitment to "
        "Syria's territorial integrity.",
        title="Rouhani, Putin and Erdogan hold trilateral summit on Syria",
        published=date(2018, 9, 7),
    )
    assert not result.is_syria_talks_round


def test_country_owning_troops_is_not_a_delegation():
    result = extract(
        "NUR-SULTAN - The 15th round of Astana talks on Syria ended on Wednesday. Delegations "
        "of Russia, Turkey and Iran, the Syrian government and the opposition took part. The "
        "guarantor delegations called the presence of American forces east of the Euphrates "
        "illegal.",
        title="Astana talks on Syria end in Nur-Sultan",
        published=date(2020, 12, 9),
    )
    assert result.is_syria_talks_round
    assert "United States" not in result.actors
    assert {"Russia", "Turkey", "Iran"} <= set(result.actors)


def test_negated_possible_keeps_speaker_and_condemned_country_is_a_topic():
    result = extract(
        "GENEVA - The third session of Syria's Constitutional Committee ended on Friday "
        'without agreement on an agenda. "It was not possible to bridge the gaps this week," '
        "UN envoy Geir Pedersen told reporters. The government delegation wanted the talks to "
        "open by condemning Turkey's occupation of the north.",
        title="Syria constitution talks end without agenda",
        published=date(2020, 8, 29),
    )
    assert result.is_syria_talks_round
    assert "Geir Pedersen" in result.actors
    assert "Turkey" not in result.actors


def test_headline_boycott_of_another_event_does_not_beat_body_attendance():
    result = extract(
        "GENEVA - A round of UN-led Syria peace talks ended in Geneva on Thursday. UN envoy "
        "Staffan de Mistura met the government delegation and the opposition negotiators "
        "separately during the week.",
        title="UN Syria talks end in Geneva as opposition weighs Sochi boycott",
        published=date(2017, 12, 14),
    )
    assert result.is_syria_talks_round
    assert {"Syrian opposition", "United Nations"} <= set(result.actors)


def test_absence_of_another_venue_is_not_absence_from_this_round():
    from pipelines.extraction.participants import _is_absent

    assert not _is_absent("", " announced a Sochi boycott", "Switzerland")
    assert not _is_absent("", " announced a boycott of the Sochi gathering", "Switzerland")
    assert not _is_absent("", " is considering a boycott", "Switzerland")
    assert _is_absent("", " boycotted the talks", "Switzerland")
    assert _is_absent("", " announced a Geneva boycott", "Switzerland")


def test_palais_des_nations_places_the_round_in_geneva():
    result = extract(
        "The fourth round of UN-mediated intra-Syrian talks opened on Thursday at the UN's "
        "European headquarters, the Palais des Nations. Envoy Staffan de Mistura welcomed the "
        "government and opposition delegations.",
        title="Intra-Syrian talks resume after ten-month pause",
        published=date(2017, 2, 23),
    )
    assert result.is_syria_talks_round
    assert result.location == "Geneva"


def test_guarantors_in_a_dated_relative_clause_and_title_organisation():
    result = extract(
        "ASTANA - The second round of Syria talks ended in the Kazakh capital on Thursday. The "
        "meeting gathered Russia, Iran and Turkey, which have guaranteed a ceasefire agreed in "
        "late December, and delegations of the government and the rebels. The government team "
        "was led by Bashar al-Jaafari, Syria's permanent representative to the United Nations.",
        title="Syria talks in Astana end without statement",
        published=date(2017, 2, 16),
    )
    assert result.is_syria_talks_round
    assert {"Russia", "Iran", "Turkey"} <= set(result.actors)
    assert "United Nations" not in result.actors


def test_attendance_before_a_clause_on_another_series_and_government_as_modifier():
    result = extract(
        "SOCHI - The Syrian National Dialogue Congress opened in Sochi on Monday. Some rebel "
        "delegates objected to the government banner over the stage. UN envoy Staffan de "
        "Mistura attended the congress, after Russia agreed that the constitutional committee "
        "it proposes would work under UN auspices.",
        title="Syria congress opens in Sochi",
        published=date(2018, 1, 29),
    )
    assert result.is_syria_talks_round
    assert "Staffan de Mistura" in result.actors
    assert "Syrian government" not in result.actors


def test_committee_meeting_for_the_first_time_and_envoy_meeting_the_day_before():
    result = extract(
        "GENEVA - The Syrian Constitutional Committee met for the first time on Wednesday at the "
        "Palais des Nations. Delegations of the government, the opposition and civil society "
        "attended. On 28 October, the foreign ministers of Russia, Iran and Turkey met the UN "
        "envoy in Geneva to back the committee.",
        title="Syrian constitutional body holds first meeting",
        published=date(2019, 10, 30),
    )
    assert result.is_syria_talks_round
    assert result.round == 1
    assert not {"Russia", "Iran", "Turkey"} & set(result.actors)


def test_a_new_round_as_subject_of_an_opening_verb_is_this_round_not_the_next():
    from pipelines.extraction.cues import sentence_cues

    def next_round(text: str) -> bool:
        return "next_round" in sentence_cues(0, 0, len(text), text, False).status

    assert not next_round("A new round of UN-led negotiations opened in Geneva on Thursday.")
    assert not next_round("Another session of the talks began in the Kazakh capital today.")
    assert next_round("A new round of talks will open in Geneva next month.")
    assert next_round("A new round is expected in the spring, the envoy said.")
    assert next_round("The next round of talks began to take shape on paper.")
