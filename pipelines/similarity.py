"""SimHash fingerprints for near-duplicate articles (syndicated copies, lightly edited updates).

A 64-bit SimHash over word 3-shingles; two articles are near-duplicates when their fingerprints
differ in at most MAX_DISTANCE bits. Three bits of 64 is the threshold Manku, Jain and Das Sarma
(WWW 2007) found to separate near-duplicate web pages from distinct ones; on news it links wire
copies that differ in a byline, a dateline or a sentence, and keeps apart two reports of the
same round written by different outlets (those differ in far more than 3 bits). Splitting the
fingerprint into MAX_DISTANCE + 1 bands makes candidate lookup exact: by the pigeonhole
principle two fingerprints within 3 bits share at least one whole 16-bit band.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

BITS = 64
MAX_DISTANCE = 3
BANDS = MAX_DISTANCE + 1
BAND_BITS = BITS // BANDS
SHINGLE = 3
# Very short texts share most shingles by chance; they are never called duplicates.
MIN_SHINGLES = 8

_WORD = re.compile(r"\w+", re.UNICODE)
_BIT_POSITIONS = np.arange(BITS, dtype=np.uint64)


def shingles(text: str, size: int = SHINGLE) -> list[str]:
    words = _WORD.findall(text.lower())
    return [" ".join(words[i : i + size]) for i in range(max(len(words) - size + 1, 0))]


def _hash64(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "big")


def simhash(text: str) -> int | None:
    """The fingerprint of `text`, or None when it is too short to compare."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    # Vectorised: a bit is set when more shingle hashes have it set than not. (A Python loop
    # over 64 bits per shingle cost ~8 ms an article in the worker, which holds the GIL.)
    hashes = np.fromiter((_hash64(g) for g in grams), dtype=np.uint64, count=len(grams))
    set_bits = ((hashes[:, None] >> _BIT_POSITIONS) & np.uint64(1)).sum(axis=0)
    majority = 2 * set_bits.astype(np.int64) > len(grams)
    return sum(1 << bit for bit in np.flatnonzero(majority).tolist())


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def bands(fingerprint: int) -> list[str]:
    """Band keys ("<band index>:<hex>") used to find candidates in an index."""
    mask = (1 << BAND_BITS) - 1
    return [
        f"{i}:{(fingerprint >> (i * BAND_BITS)) & mask:04x}" for i in range(BANDS)
    ]


def to_hex(fingerprint: int) -> str:
    return f"{fingerprint:016x}"


def is_near_duplicate(a: int, b: int) -> bool:
    return distance(a, b) <= MAX_DISTANCE


def earliest_near_duplicates(
    lookups: list[tuple[str, int]], candidates: list[tuple[str, int]]
) -> list[str | None]:
    """For each (article id, fingerprint) of `lookups`: the id of the first of `candidates`
    ((id, fingerprint) pairs, oldest first) within the distance, never the article itself; or
    None. Candidates are reached through shared bands, which every near-duplicate has."""
    by_band: dict[str, list[int]] = {}
    for position, (_, fingerprint) in enumerate(candidates):
        for band in bands(fingerprint):
            by_band.setdefault(band, []).append(position)
    found: list[str | None] = []
    for article_id, fingerprint in lookups:
        positions = sorted({p for band in bands(fingerprint) for p in by_band.get(band, ())})
        found.append(
            next(
                (
                    candidates[p][0]
                    for p in positions
                    if candidates[p][0] != article_id
                    and is_near_duplicate(fingerprint, candidates[p][1])
                ),
                None,
            )
        )
    return found
