"""Round extraction on longer reports written for these tests: a lead about this round followed
by background on other rounds, other events and other times, which must not feed its fields."""

from datetime import date

from extracting import extract

from pipelines.extraction.attendance import _participation_in_round
from pipelines.extraction.cues import sentence_cues
from pipelines.extraction.status import decide_status


def test_sentences_numbering_other_rounds_give_no_date_and_no_actors():
    result = extract(
        "The fourth round of Syria talks in the Kazakh capital ended on Thursday with Russia, "
        "Turkey and Iran signing a memorandum on safe zones. The Syrian government delegation "
        "attended.\n\nBACKGROUND\n\nThe second meeting, on February 15-16, was attended by a "
        "Jordanian delegation. At the first meeting the United States was represented by its "
        "ambassador.",
        title="Guarantors sign zones memorandum at Kazakh talks",
        published=date(2017, 5, 4),
    )
    assert result.is_syria_talks_round
    assert (result.series, result.round, result.location) == ("astana", 4, "Astana")
    assert result.start_date == date(2017, 5, 3)
    assert "Jordan" not in result.actors and "United States" not in result.actors


def test_counted_plural_rounds_in_a_profile_are_no_round():
    result = extract(
        "The new envoy arrives in Damascus this month. His predecessor, who left at the end of "
        "December, presided over seven rounds of talks in Geneva without a breakthrough.",
        title="A diplomat takes on the Syria file",
        published=date(2019, 1, 9),
    )
    assert not result.is_syria_talks_round


def test_series_level_plural_heads_are_marked():
    cues = sentence_cues(0, 0, 60, "The envoy chaired five sessions of talks in Geneva.", False)
    assert cues.series_level
    single = sentence_cues(0, 0, 50, "The envoy chaired the session in Geneva.", False)
    assert not single.series_level


def test_next_round_clause_gives_no_venue_and_keeps_main_clause_actors():
    result = extract(
        "ANKARA - The eleventh round of the Astana talks on Syria ended in the Kazakh capital on "
        "Thursday, with Russia, Turkey and Iran agreeing that the next meeting would be held in "
        "the Russian resort of Sochi in February.",
        title="Astana talks end; next round to move to Sochi",
        published=date(2018, 11, 29),
    )
    assert result.is_syria_talks_round
    assert (result.round, result.location) == (11, "Astana")
    assert {"Russia", "Turkey", "Iran"} <= set(result.actors)


def test_future_clause_about_another_event_neither_dates_nor_places_the_round():
    cues = sentence_cues(
        0,
        100,
        260,
        "The meeting ended in the Kazakh capital on Friday, with the guarantors announcing that "
        "a congress will be held in Sochi on March 2-3.",
        False,
    )
    assert cues.other_event_from is not None and cues.other_event_from > 100
    assert not cues.about_other_round


def test_lead_locative_beats_a_city_where_someone_spoke_last_week():
    result = extract(
        "The seventh round of the Astana talks on Syria opened in the Kazakh capital on Monday "
        "with delegations of Russia, Turkey and Iran. The UN envoy said in Geneva last week that "
        "the Astana talks should help the political process.",
        title="Astana talks reopen",
        published=date(2017, 10, 30),
    )
    assert result.location == "Astana"
    assert "United Nations" not in result.actors


def test_participation_verb_must_govern_a_round_noun():
    assert not _participation_in_round(
        "Washington, which co-chaired the International Support Group with Moscow, is absent."
    )
    assert not _participation_in_round("Incidents involving rocket fire continue.")
    assert _participation_in_round("Jordan attended as an observer.")
    assert _participation_in_round("Talks involving Iran and Turkey went on.")
    assert _participation_in_round("Iraq took part in the session.")


def test_absent_former_and_deal_makers_are_not_listed():
    result = extract(
        "The 14th round of Syria talks in Nur-Sultan ended on Wednesday with Russia, Turkey and "
        "Iran as guarantors and delegations of the Syrian government and the opposition. "
        "Washington has not sent an observer to the talks. A former UN envoy, Jan Eliasson, left "
        "the post after the talks stalled. The talks also reviewed a truce brokered by the "
        "United States and Jordan.",
        title="Nur-Sultan talks end",
        published=date(2019, 12, 11),
    )
    assert result.is_syria_talks_round
    assert "United States" not in result.actors
    assert "Jordan" not in result.actors


def test_series_level_mention_of_an_observer_is_not_this_round():
    result = extract(
        "The fifth round of the Astana talks on Syria opened in the Kazakh capital on Tuesday "
        "with Russia, Turkey and Iran. The United States took part in the Astana meetings only "
        "as an observer.",
        title="Astana talks open",
        published=date(2017, 7, 4),
    )
    assert "United States" not in result.actors


def test_moscow_group_of_the_opposition_is_not_russia():
    result = extract(
        "The seventh round of UN-led Syria talks opened in Geneva on Monday with envoy Staffan "
        "de Mistura meeting the government delegation. His team also met the Cairo and Moscow "
        "groups of opposition figures.",
        title="Geneva talks open",
        published=date(2017, 7, 10),
    )
    assert "Russia" not in result.actors


def test_talks_on_a_new_constitution_belong_to_the_constitutional_committee():
    result = extract(
        "The sixth round of talks on a new Syrian constitution ended in Geneva on Friday with "
        "the UN envoy Geir Pedersen calling it a disappointment.",
        title="Syria constitution talks end",
        published=date(2021, 10, 22),
    )
    assert result.is_syria_talks_round
    assert (result.series, result.round) == ("constitutional_committee", 6)
    assert result.start_date == date(2021, 10, 18)


def test_status_of_a_start_weeks_back_without_an_ongoing_cue_is_concluded():
    status = decide_status(frozenset({"past_held"}), frozenset(), date(2019, 1, 2), None,
                           date(2019, 1, 20))  # fmt: skip
    assert status == "concluded"
    assert decide_status(frozenset({"ongoing"}), frozenset(), date(2019, 1, 2), None,
                         date(2019, 1, 20)) == "under way"  # fmt: skip


def test_concluded_cue_wins_over_opening_on_the_publication_day():
    status = decide_status(frozenset({"concluded"}), frozenset(), date(2022, 6, 3), None,
                           date(2022, 6, 3))  # fmt: skip
    assert status == "concluded"


def test_background_section_counts_only_sentences_that_refer_back_to_the_round():
    result = extract(
        "The 16th round of the Astana talks on Syria opened in Nur-Sultan on Wednesday with "
        "Russia, Turkey and Iran. The delegation of the armed groups also attended.\n\n"
        "How we got here\n\nEgypt represented the Arab League at a conference on refugees. "
        "Jordan also attended the session on Wednesday as an observer.",
        title="Astana talks open",
        published=date(2021, 7, 7),
    )
    assert "Syrian opposition" in result.actors
    assert "Jordan" in result.actors  # "the session": refers back to this round


def test_background_sentences_are_those_under_a_subheading_without_a_back_reference():
    from pipelines.extraction.sections import background_sentences

    texts = ["The third round opened on Monday.", "What to watch", "A deal was signed in 2016.",
             "The third round will end on Friday.", "The session heard Iraq."]  # fmt: skip
    cues = [sentence_cues(i, i * 100, i * 100 + len(t), t, False) for i, t in enumerate(texts)]
    assert background_sentences(cues, cues[0], 3) == {2}


def test_first_meeting_between_presidents_is_a_leaders_meeting_not_a_round_ordinal():
    text = "The deal followed the first meeting between Presidents Abbot and Costello in July."
    cues = sentence_cues(0, 0, len(text), text, False)
    assert cues.leaders_meeting and not cues.ordinals


def test_a_subheading_about_the_round_itself_is_not_background():
    from pipelines.extraction.sections import background_sentences

    texts = ["The third round opened on Monday.", "Background", "A deal was signed in 2016.",
             "Observer countries", "Iraq sent a deputy minister.", "What next",
             "Officials hope for a ceasefire."]  # fmt: skip
    cues = [sentence_cues(i, i * 100, i * 100 + len(t), t, False) for i, t in enumerate(texts)]
    assert background_sentences(cues, cues[0], 3) == {2, 6}


def test_a_round_moved_to_a_later_date_is_a_postponement_not_a_report():
    result = extract(
        "GENEVA - The next round of UN-led Syria talks, which had been planned to open on "
        "8 March, will now be convened on 21 March, the office of the Special Envoy said on "
        "Tuesday. Delegations of the Syrian government and the opposition met envoys of "
        "Russia, Turkey and Iran in Astana last week.",
        title="Syria talks in Geneva moved to 21 March",
        published=date(2017, 2, 28),
    )
    assert not result.is_syria_talks_round
    assert result.status == "postponed"
