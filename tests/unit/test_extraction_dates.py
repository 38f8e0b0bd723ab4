from datetime import date

from pipelines.extraction.dates import duration_days, find_dates, nearest_year

WEDNESDAY = date(2023, 3, 15)


def first_day(sentence: str, reference: date | None = WEDNESDAY) -> date | None:
    return find_dates(sentence, 0, reference)[0].day


def test_absolute_dates_take_the_year_nearest_the_reference():
    assert first_day("The talks opened on Jan. 23.", date(2017, 1, 25)) == date(2017, 1, 23)
    assert first_day("They met on 23 December.", date(2018, 1, 4)) == date(2017, 12, 23)
    assert nearest_year(1, 2, date(2019, 12, 30)) == date(2020, 1, 2)


def test_ranges_give_first_and_last_day():
    mention = find_dates("Envoys gather over 12-13 March 2024, officials confirmed.", 0, None)[0]
    assert (mention.day, mention.last_day) == (date(2024, 3, 12), date(2024, 3, 13))
    mention = find_dates("On May 3-4, bilateral meetings were held.", 0, date(2017, 5, 5))[0]
    assert (mention.day, mention.last_day) == (date(2017, 5, 3), date(2017, 5, 4))


def test_weekday_in_past_tense_is_the_latest_such_day():
    assert first_day("The round began on Monday.") == date(2023, 3, 13)
    assert first_day("The round began on Wednesday.") == date(2023, 3, 15)


def test_weekday_in_future_tense_is_the_next_such_day():
    assert first_day("The session will run through Friday.") == date(2023, 3, 17)
    assert first_day("Delegations meet again next Monday.") == date(2023, 3, 20)


def test_relative_phrases():
    assert first_day("The meeting ends today.") == WEDNESDAY
    assert first_day("Negotiators arrived yesterday.") == date(2023, 3, 14)
    next_week = find_dates("A new round is expected next week.", 0, WEDNESDAY)[0]
    assert (next_week.day, next_week.precision) == (date(2023, 3, 20), "week")
    assert first_day("The round is planned for mid-May.") == date(2023, 5, 15)


def test_without_reference_a_date_stays_partial():
    mention = find_dates("Negotiators reconvene on June 9, a spokesman wrote.", 0, None)[0]
    assert mention.day is None and mention.month_day == (6, 9)


def test_since_marks_a_bound():
    assert find_dates("the first talks since April 2016", 0, WEDNESDAY)[0].after_since


def test_durations():
    assert duration_days("a two-day meeting") == 2
    assert duration_days("the eight-day talks") == 8
    assert duration_days("no length given") is None


def test_only_month_patterns_that_ignore_case_run_without_a_month_name():
    from pipelines.extraction.dates import (
        DAY_FIRST,
        MONTH_FIRST,
        MONTH_PART,
        MONTH_YEAR,
        MONTHS,
        _names_a_month,
    )

    for month in MONTHS:
        name = month.capitalize()
        for text in (f"on {name} 5, 2019", f"on 5 {name} 2019", f"in {name} 2019", f"{name}. 5"):
            assert _names_a_month(text), text
        # Lower case: only MONTH_PART ("in march") may match, and it still runs.
        lower = f"on {month} 5, 2019 and 5 {month} 2019"
        if not _names_a_month(lower):
            for pattern in (DAY_FIRST, MONTH_FIRST, MONTH_YEAR):
                assert not pattern.regex.search(lower), (pattern.regex.pattern, lower)
    assert find_dates("They met in march 2019.", 0, None)[0].kind == "month"
    assert MONTH_PART.regex.search("in march 2019")


def test_a_weekday_in_an_odd_spelling_the_pattern_accepts_is_resolved_not_an_error():
    # Case-insensitive matching pairs "s" with the long s: "Tueſday" matches "Tuesday".
    mentions = find_dates("The talks open on Tueſday in Astana.", 0, date(2017, 1, 20))
    assert [(m.kind, m.text) for m in mentions] == [("weekday", "Tueſday")]
    plain = find_dates("The talks open on Tuesday in Astana.", 0, date(2017, 1, 20))
    assert mentions[0].day == plain[0].day == date(2017, 1, 17)
