from pipelines.extraction.ordinals import find_ordinals, ordinal_value


def values(sentence: str) -> list[tuple[int, bool]]:
    return [(m.value, m.other_round or m.counts_since) for m in find_ordinals(sentence)]


def test_ordinal_words_and_numerals_before_a_round_noun():
    assert values("The fourth round of talks closed on Friday.") == [(4, False)]
    assert values("Envoys opened the 8th session in the afternoon.") == [(8, False)]
    assert values("Envoys prepared for the 23rd International Meeting in the capital.") == [
        (23, False)
    ]
    assert values("the twenty-first round of consultations") == [(21, False)]


def test_series_numbers_and_roman_numerals():
    assert values("Astana 10 ended with a statement.") == [(10, False)]
    assert values("Hopes were low as Geneva IV opened.") == [(4, False)]
    assert values("a communique closing Astana-11 was adopted") == [(11, False)]
    assert values("an extra round 7 gathering of both camps") == [(7, False)]


def test_other_rounds_ordinals_are_marked():
    assert values("Unlike the previous, fifth round, this one ended early.") == [(5, True)]
    assert values("The next round will follow.") == []
    assert values("They agreed to hold a seventh session soon after the last sixth round.")[1] == (
        6,
        True,
    )


def test_first_round_since_a_date_is_not_a_series_ordinal():
    mention = find_ordinals(
        "Officials called it the first round of negotiations anywhere since March 2019."
    )[0]
    assert mention.value == 1 and mention.counts_since


def test_ordinals_that_count_days_or_times_are_ignored():
    assert values("On the second day of talks the envoy left.") == []
    assert values("He attended for the first time.") == []


def test_dated_ordinal_keeps_its_date():
    mention = find_ordinals("the 11th session in March 2020 dealt with detainees")[0]
    assert mention.dated == "March 2020"


def test_ordinal_value():
    assert ordinal_value("Twelfth") == 12
    assert ordinal_value("22nd") == 22
    assert ordinal_value("many") is None


def test_the_ordinal_prefilter_lets_every_ordinal_through():
    from pipelines.extraction.ordinals import (
        NUMBERED,
        ORDINAL_BEFORE_HEAD,
        ORDINAL_WORDS,
        _has_ordinal,
        _ordinals_before_heads,
    )

    spellings = [*ORDINAL_WORDS, "1st", "22nd", "3rd", "11th", "21ST"]
    for word in spellings:
        for text in (f"the {word} round", f"THE {word.upper()} ROUND", f"the {word.title()} round"):
            assert ORDINAL_BEFORE_HEAD.regex.search(text), text
            assert _has_ordinal(text), text
            assert [m.span() for m in _ordinals_before_heads(text)] == [
                m.span() for m in ORDINAL_BEFORE_HEAD.regex.finditer(text)
            ]
    assert not _has_ordinal("The round opened on Monday in Geneva.")
    assert NUMBERED.search("the 2nd round") and not NUMBERED.search("2 rounds")
