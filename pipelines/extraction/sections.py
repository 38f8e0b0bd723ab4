"""Background sections of long reports.

Full articles often follow the lead with sections headed "Background", "How we got here" or
"What next" that recount earlier rounds, other tracks and the war. A sentence in such a section
speaks of this round only when it refers back to it: "the round", "this week's talks", "the
two-day meeting", or the round's own ordinal. Other subheadings ("Observer countries", "What is
on the table") head sections about the round itself, and end a background section.
"""

from __future__ import annotations

import re

from pipelines.extraction.cues import SentenceCues, load_lexicon

# A subheading: a short line with no closing punctuation ("What to watch", "BACKGROUND").
SUBHEADING_MAX_WORDS = 7
CLOSING = re.compile(r"[.!?:;\"”’)]\s*$")
WEEKDAY_S = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day['’]s"
BACK_REFERENCE = re.compile(
    rf"\b(?:the|this|these|today['’]s|this week['’]s|{WEEKDAY_S})"
    r"\s+(?:(?:two|three|four|five)-day\s+|latest\s+|current\s+|closing\s+|opening\s+|plenary\s+)?"
    r"(?:round|session|meeting|talks|negotiations|consultations|congress)\b",
    re.IGNORECASE,
)


def is_subheading(cues: SentenceCues) -> bool:
    text = cues.text.strip()
    return (
        not cues.in_title
        and 0 < len(text.split()) <= SUBHEADING_MAX_WORDS
        and not CLOSING.search(text)
    )


def background_sentences(
    sentences: list[SentenceCues], main: SentenceCues, ordinal: int | None
) -> set[int]:
    """Indices of sentences in a background section after the lead that do not refer back to
    the reported round."""
    heading = load_lexicon().background_heading
    background: set[int] = set()
    inside = False
    for cues in sentences:
        if cues.index <= main.index:
            continue
        if is_subheading(cues):
            inside = heading is not None and bool(heading.search(cues.text.strip()))
            continue
        if inside and not _refers_back(cues, ordinal):
            background.add(cues.index)
    return background


def _refers_back(cues: SentenceCues, ordinal: int | None) -> bool:
    if ordinal is not None and any(o.value == ordinal for o in cues.ordinals):
        return True
    return bool(BACK_REFERENCE.search(cues.text))
