"""Hard wordings written for these tests: month words inside other words, other events named
after a venue city, ministers' meetings, absences from other rounds and hedged absences."""

from datetime import date

from extracting import extract

from pipelines.extraction.actors import PLATFORM_AFTER
from pipelines.extraction.cues import sentence_cues
from pipelines.extraction.dates import MONTH_PART
from pipelines.extraction.participants import _is_absent
from pipelines.extraction.venues import find_venues


def cues(text: str):
    return sentence_cues(0, 0, len(text), text, False)


def test_month_prefix_inside_a_word_is_no_month():
    assert not MONTH_PART.search("The envoy saw them in separate halls.")
    assert not MONTH_PART.search("They met in Marseille and in may be elsewhere.")
    assert MONTH_PART.search("They met in mid-Sept. 2018.").group("month") == "Sept"


def test_city_before_a_pair_of_platforms_is_no_state():
    assert PLATFORM_AFTER.match(" and Riyadh platforms were also invited")
    assert not PLATFORM_AFTER.match(" and Ankara sent envoys")


def test_austrian_capital_phrase_names_vienna():
    venues = find_venues("The envoy met both teams at the UN complex in the Austrian capital.")
    assert [v.venue.id for v in venues] == ["vienna"]


def test_absences_named_by_neither_nor_and_by_absence_of():
    assert _is_absent("Neither the ", " nor the rebels were present at the hotel.", None)
    assert _is_absent("Lavrov regretted the absence of the ", ".", None)
    assert _is_absent("The ", " was not invited to the table.", None)


def test_absence_from_another_round_or_on_a_condition_is_not_absence():
    assert not _is_absent("The ", ", which stayed away from the last meeting, came.", None)
    assert not _is_absent("The ", " would boycott the meeting unless shelling stopped.", None)


def test_next_round_with_modifiers_and_not_following_the():
    assert "next_round" in cues("Officials set a date for the next high-level meeting.").status
    assert "next_round" not in cues("Following the meeting, the envoy left Geneva.").status


def test_ministers_meeting_first_in_a_format_names_no_round():
    text = (
        "Defence ministers of Russia, Iran and Syria held talks in Tehran on Monday, the first "
        "meeting in this three-way format."
    )
    assert not cues(text).names_a_round


def test_event_named_after_astana_is_no_series_cue():
    c = cues("Ministers opened the Astana Economic Forum on Friday with a panel.")
    assert c.series_scores["astana"] == 0
    assert not find_venues("Ministers opened the Astana Economic Forum on Friday.")


def test_twenty_rounds_are_series_level():
    assert cues("The guarantors have held twenty rounds of talks in the city.").series_level


def test_rebels_staying_home_are_not_listed():
    result = extract(
        "Russia, Iran and Turkey opened a new session of Syria negotiations in the Kazakh capital "
        "on Wednesday. The armed opposition stayed home in protest at air strikes. The Syrian "
        "government delegation met the three guarantor teams.",
        title="Guarantors open a new Kazakh session",
        published=date(2017, 7, 5),
    )
    assert result.is_syria_talks_round
    assert "Syrian opposition" not in result.actors
    assert "Syrian government" in result.actors


def test_pledging_conference_and_talks_days_before_name_no_round():
    lead = cues("LONDON - Donors pledged $4bn for Syrian aid at a one-day conference in Geneva.")
    assert not lead.names_a_round
    later = cues("The gathering came a week after the envoy closed a round of talks in Geneva.")
    assert later.about_other_round
    own = cues("The talks opened in Geneva, two weeks after the last session ended.")
    assert not own.about_other_round


def test_dateline_alone_gives_no_series_to_a_dialogue_sentence():
    forum = cues("ASTANA - The mayor opened a cultural forum, calling for dialogue among youth.")
    assert not forum.names_a_round
    seed = cues("Officials met in Astana to open a two-day dialogue on Syria.")
    assert seed.names_a_round


def test_count_of_meetings_after_generic_negotiations_is_series_level():
    text = "It hosted tough negotiations, and the Astana guarantors held twelve rounds of meetings."
    assert cues(text).series_level


def test_syrian_sides_sitting_down_under_un_auspices_name_a_round():
    text = "The Syrian parties sat down in Geneva on Monday under United Nations auspices."
    assert cues(text).names_a_round
    assert cues(text).best_series == "geneva"


def test_constitution_drafting_body_names_the_committee():
    text = "Members of the body tasked with drafting a new constitution took their seats on Monday."
    assert cues(text).best_series == "constitutional_committee"
    assert cues(text).names_a_round


def test_main_clause_before_reported_speech_shows_attendance():
    from pipelines.extraction.attendance import _main_clause_attends

    text = "The envoy met both delegations on Monday and said a new round could follow in May."
    assert cues(text).about_other_round
    assert _main_clause_attends(cues(text))
    assert not _main_clause_attends(cues("He said the next round could include Jordan."))


def test_coordinated_nationality_before_troops_is_no_delegation():
    from pipelines.extraction.participants import MILITARY_AFTER

    assert MILITARY_AFTER.match(" and Iranian ground troops shelled the town")
    assert not MILITARY_AFTER.match(" and Iranian military delegations arrived")


def test_nationality_adjective_on_another_event_is_no_participant():
    from pipelines.extraction.actors import ActorMention
    from pipelines.extraction.participants import _adjective_on_other_event

    turkish = ActorMention("Turkey", "turkey", "country", "Turkish", 0, 7, 0)
    assert _adjective_on_other_event(turkish, " summit on trade next month", "geneva")
    assert not _adjective_on_other_event(turkish, " delegation arrived", "astana")
