"""Hard wordings written for these tests: month words inside other words, other events named
after a venue city, ministers' meetings, absences from other rounds and hedged absences."""

from datetime import date

from pipelines.extraction.actors import PLATFORM_AFTER
from pipelines.extraction.article import ArticleText
from pipelines.extraction.cues import sentence_cues
from pipelines.extraction.dates import MONTH_PART
from pipelines.extraction.nlp import annotate, load_nlp
from pipelines.extraction.participants import _is_absent
from pipelines.extraction.rounds import RoundExtraction, extract_round
from pipelines.extraction.venues import find_venues


def extract(text: str, title: str | None = None, published: date | None = None) -> RoundExtraction:
    article = ArticleText("t", "https://example.org/t", title, published, text)
    annotation = annotate(load_nlp(), [article.document])[0]
    return extract_round(article, annotation)


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
