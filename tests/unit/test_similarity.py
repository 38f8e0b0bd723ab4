"""Near-duplicate fingerprints: copies match, different reports of one round do not."""

from __future__ import annotations

from pipelines.similarity import bands, distance, is_near_duplicate, simhash

REPORT = (
    "Delegations from Russia, Turkey and Iran gathered in the Kazakh capital on Monday for a "
    "new round of talks on Syria, the foreign ministry in Astana said. The guarantor states "
    "were expected to discuss the ceasefire, humanitarian access and the release of detainees, "
    "while the United Nations envoy attended as an observer. Officials said the meeting would "
    "last two days and end with a joint statement."
)
SYNDICATED = "ASTANA (Wire) - " + REPORT + " Reporting by a staff correspondent."
OTHER_OUTLET = (
    "Talks on the Syrian conflict resumed in Kazakhstan as envoys of the three guarantor "
    "countries sat down with the government and opposition delegations. A UN representative "
    "was present. Diplomats expect a final communique on Tuesday about detainees and aid "
    "convoys, although the opposition said it had little hope of progress on the ceasefire."
)


def test_syndicated_copy_is_a_near_duplicate() -> None:
    a, b = simhash(REPORT), simhash(SYNDICATED)
    assert a is not None and b is not None
    assert is_near_duplicate(a, b), distance(a, b)


def test_another_outlets_report_of_the_same_round_is_not() -> None:
    a, b = simhash(REPORT), simhash(OTHER_OUTLET)
    assert not is_near_duplicate(a, b)
    assert distance(a, b) > 10


def test_fingerprints_within_the_threshold_share_a_band() -> None:
    a = simhash(REPORT)
    flipped = a ^ (1 << 3) ^ (1 << 20) ^ (1 << 41)
    assert set(bands(a)) & set(bands(flipped))


def test_short_texts_are_never_compared() -> None:
    assert simhash("Talks open in Astana") is None


def test_earliest_near_duplicate_is_the_oldest_candidate_within_the_distance() -> None:
    from pipelines.similarity import earliest_near_duplicates

    base = 0x0123_4567_89AB_CDEF
    near_old, near_new = base ^ 0b11, base ^ (1 << 40)  # 2 and 1 bits away, all bands but one
    far = base ^ 0xFFFF  # 16 bits away, yet shares three bands with `base`
    unrelated = ~base & (2**64 - 1)
    candidates = [("far", far), ("old", near_old), ("new", near_new), ("other", unrelated)]
    lookups = [("a", base), ("old", near_old), ("b", unrelated ^ 1), ("c", base ^ 0xFF00FF)]
    assert earliest_near_duplicates(lookups, candidates) == ["old", "new", "other", None]
    assert earliest_near_duplicates(lookups, []) == [None] * 4
