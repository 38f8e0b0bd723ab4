"""Synthetic news articles written by the project for the pipeline benchmark.

Each article is about 600 words: a report on a round of Syria talks (Astana, Geneva, Sochi,
the Constitutional Committee) with background paragraphs on other diplomacy. Sentences are
drawn from templates and word pools with a seeded RNG, and every slot (people, numbers, towns,
issues, order of paragraphs) is drawn independently, so two articles share few word 3-shingles
and their SimHash fingerprints stay far apart, while the topic words keep every article above
the relevance threshold of schemas/topic_profile.json.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from schemas.models import Article


def _words(pool: str) -> list[str]:
    return pool.split()


SERIES = {
    "astana": {
        "cities": ["Astana", "Nur-Sultan"],
        "format": ["the Astana format", "the Astana process", "the Astana peace talks"],
        "hosts": ["Kazakhstan", "the Kazakh foreign ministry"],
    },
    "geneva": {
        "cities": ["Geneva"],
        "format": ["the Geneva process", "the UN-led Geneva talks", "the intra-Syrian talks"],
        "hosts": ["the United Nations", "the UN office in Geneva"],
    },
    "sochi": {
        "cities": ["Sochi"],
        "format": ["the Syrian National Dialogue Congress", "the Sochi congress"],
        "hosts": ["Russia", "the Russian foreign ministry"],
    },
    "constitutional": {
        "cities": ["Geneva"],
        "format": ["the Constitutional Committee",
                   "the small body of the Constitutional Committee"],
        "hosts": ["the United Nations", "the office of the special envoy"],
    },
}
ORDINALS = _words(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth"
)
WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
ENVOYS = ["Staffan de Mistura", "Geir Pedersen", "Alexander Lavrentiev", "the UN special envoy"]
DELEGATIONS = [
    "the Syrian government delegation", "the opposition delegation", "the armed opposition",
    "the Syrian Negotiation Commission", "the High Negotiations Committee",
    "civil society representatives", "the delegation from Damascus", "Turkish officials",
    "Iranian diplomats", "Russian negotiators", "observers from Jordan", "a US observer",
]
GUARANTORS = ["Russia", "Turkey", "Iran"]
FIRST_NAMES = _words(
    "Ahmad Bashar Hadi Nasr Leila Rania Omar Yusuf Salim Karim Maha Fadi Samir Dima Nour Tarek "
    "Hiba Walid Ziad Rami Hassan Mustafa Ayman Lina Bassam Jamil Khaled Sergei Dmitri Mevlut "
    "Ibrahim Javad Ali Ruslan Anna Elena Marta Pierre"
)
LAST_NAMES = _words(
    "Haddad Khoury Mansour Jaafari Hariri Kuzbari Bahra Sabra Mikdad Shaaban Atassi Idlibi "
    "Qassem Darwish Nassar Halabi Lavrov Vershinin Cavusoglu Zarif Ansari Omarov Tokayev Bakr "
    "Saleh Rahman Yaziji Azar Karam Barakat Ghanem Hamdan"
)
ROLES = ["a senior negotiator", "a spokesman for the delegation", "a former minister",
         "an adviser to the envoy", "a member of the drafting committee", "a diplomat",
         "an analyst at a Beirut research centre", "a lawyer from Aleppo", "a deputy minister"]
ISSUES = ["the release of detainees", "humanitarian access to besieged areas",
          "the drafting of a new constitution", "the de-escalation zones",
          "the ceasefire in Idlib", "the return of refugees", "prisoner exchanges",
          "the fate of missing persons", "reconstruction funding", "local elections",
          "demining of farmland", "the status of the north-east", "water supplies to Hasakah",
          "the reopening of the M4 highway", "monitoring of the truce line"]
TOWNS = ["Idlib", "Aleppo", "Homs", "Hama", "Daraa", "Deir ez-Zor", "Raqqa", "Manbij",
         "Afrin", "Qamishli", "Douma", "Latakia", "Tartus", "Palmyra", "Jisr al-Shughur",
         "Saraqeb", "Maarat al-Numan", "Tal Rifaat", "Ras al-Ain", "Kobani"]
OTHER_DIPLOMACY = [
    ("the European Union", "a trade agreement with Mercosur", "Brussels"),
    ("Japan and South Korea", "a dispute over export controls", "Tokyo"),
    ("the African Union", "a summit on regional integration", "Addis Ababa"),
    ("India and Pakistan", "talks on the Indus waters", "New Delhi"),
    ("the Gulf states", "a reconciliation with Qatar", "Riyadh"),
    ("China and the Philippines", "a code of conduct at sea", "Manila"),
    ("Serbia and Kosovo", "an agreement on licence plates", "Brussels"),
    ("the OSCE", "monitoring missions", "Vienna"),
    ("Egypt and Ethiopia", "the Nile dam", "Cairo"),
    ("Canada and Mexico", "energy cooperation", "Ottawa"),
]
VERBS_SAID = ["said", "told reporters", "noted", "stressed", "warned", "insisted", "argued",
              "acknowledged", "added", "conceded"]
MOODS = ["cautious optimism", "visible frustration", "guarded hope", "deep scepticism",
         "quiet confidence", "open disappointment", "measured approval"]
OUTCOMES = ["a joint statement", "no final communique", "an agreement on working groups",
            "a draft document on procedure", "a commitment to meet again",
            "a list of detainees to be exchanged", "a map of the truce lines"]
MONTHS = _words(
    "January February March April May June July August September October November December"
)

LEADS = [
    "Delegations gathered in {city} on {weekday} for the {ordinal} round of {format}, with "
    "{guarantors} present as guarantors and {envoy} chairing the opening session.",
    "The {ordinal} round of {format} opened in {city} on {weekday}, as {delegation} and "
    "{delegation2} sat down for {days} days of talks on Syria.",
    "{envoy} opened the {ordinal} round of {format} in {city} on {weekday}, telling "
    "delegates that {issue} must come first if the talks were to make progress.",
    "Talks on the future of Syria resumed in {city} on {weekday} with the {ordinal} round of "
    "{format}, hosted by {host} and attended by {delegation}.",
]
BODY = [
    "{person}, {role}, {said} that {issue} was {adverb} the main obstacle, and that "
    "{number} people were still waiting for news from {town}.",
    "According to {person}, the talks in {city} would focus on {issue} and on {issue2}, "
    "while {delegation} pressed for guarantees over {town}.",
    "The session on {weekday} ended with {outcome}, {person} {said}, describing the mood "
    "in the hall as one of {mood}.",
    "{guarantor} proposed that a working group meet in {month} to discuss {issue}, a plan "
    "{delegation} received with {mood}.",
    "Diplomats said {number} names had been exchanged on {weekday}, the first step on {issue} "
    "since fighting around {town} flared in {month}.",
    "In a statement, {host} said the {ordinal} round had been prepared over {days} weeks of "
    "consultations with {guarantor} and {guarantor2}.",
    "Residents of {town} followed the negotiations closely; {person}, {role}, said {number} "
    "families had fled the area since {month}.",
    "{envoy} met {delegation} separately on {weekday} evening, a diplomat said, to narrow "
    "differences over {issue} before the final plenary.",
    "The Syrian government insisted that {issue} be discussed only after {issue2}, a position "
    "{person} called {adjective}.",
    "Observers noted that the ceasefire around {town} had largely held for {days} weeks, "
    "though {number} violations were recorded in {month}.",
    "{person} {said} that {delegation} had brought a {number}-page proposal on {issue}, "
    "which {delegation2} had not yet answered.",
    "The opposition accused Damascus of stalling on {issue}, while Syrian officials blamed "
    "{guarantor2} for delays around {town}.",
    "Talks on {issue} are expected to continue at a technical level in {month}, {person} "
    "{said}, adding that {number} experts would take part.",
    "A spokesman for {guarantor} said the three guarantors remained committed to the "
    "de-escalation arrangements around {town}.",
    "Asked about {issue}, {person} replied that {delegation2} had {adjective2} ideas but no "
    "mandate, and that {number} pages of notes would go back to {capital2}.",
    "Security in {city} was tight: {number} police officers guarded the venue, and journalists "
    "waited outside as {delegation} arrived on {weekday} morning.",
    "Humanitarian agencies urged the parties to keep {issue} off the bargaining table, citing "
    "{number} trucks held at crossings near {town} since {month}.",
    "{guarantor2} and {guarantor} held a bilateral meeting on the sidelines, reportedly "
    "about patrols near {town} and {issue2}.",
    "For {person}, {role}, the real test lies outside the hall: in {town}, prices of bread "
    "rose {days} times since {month}, and {number} schools remain shut.",
    "Neither side published its proposals; {person} {said} only that the text on {issue} "
    "ran to {number} words and was {adjective2}.",
    "Behind closed doors, {delegation} reportedly threatened to walk out over {issue2}, "
    "before {envoy} secured a {days}-hour pause.",
    "Previous rounds in {city} produced little on {issue}, {person} recalled, and "
    "{delegation2} arrived this time with {mood}.",
    "A document seen by reporters lists {number} checkpoints around {town} whose removal "
    "{guarantor} has made a condition for progress on {issue2}.",
    "Kurdish groups were again absent from the table in {city}, which {person}, {role}, "
    "called {adjective} given the situation in {town}.",
]
DIPLOMACY = [
    "Elsewhere, {parties} continued their work on {subject} in {capital}, where {person}, "
    "{role}, {said} that {number} points remained open.",
    "The round in {city} coincided with meetings between {parties} on {subject}, held in "
    "{capital} on {weekday}.",
    "Diplomats drew comparisons with the talks between {parties} on {subject} in {capital}, "
    "which took {days} months to produce {outcome}.",
]
CLOSINGS = [
    "The next round is expected in {city} in {month}, {person} {said}.",
    "No date was set for the next meeting, though {host} said it hoped to reconvene in "
    "{month}.",
    "Delegations were due to leave {city} on {weekday} after a closing press conference.",
]
ADVERBS = ["still", "by far", "clearly", "once again", "arguably", "now"]
ADJECTIVES = ["unhelpful", "unrealistic", "a delaying tactic", "understandable",
              "a step backwards", "a sign of goodwill", "premature"]
ADJECTIVES2 = ["interesting", "detailed", "vague", "ambitious", "modest", "contradictory",
               "carefully worded", "technical", "incomplete"]
CAPITALS = ["Damascus", "Moscow", "Ankara", "Tehran", "Istanbul", "Riyadh", "Amman", "Beirut"]
TARGET_WORDS = 600


def _slots(rng: random.Random, series: str) -> dict[str, Any]:
    spec = SERIES[series]
    guarantors = rng.sample(GUARANTORS, 3)
    parties, subject, capital = rng.choice(OTHER_DIPLOMACY)
    delegations = rng.sample(DELEGATIONS, 2)
    issues = rng.sample(ISSUES, 2)
    return {
        "city": rng.choice(spec["cities"]),
        "format": rng.choice(spec["format"]),
        "host": rng.choice(spec["hosts"]),
        "weekday": rng.choice(WEEKDAYS),
        "ordinal": rng.choice(ORDINALS),
        "envoy": rng.choice(ENVOYS),
        "guarantors": f"{guarantors[0]}, {guarantors[1]} and {guarantors[2]}",
        "guarantor": guarantors[0],
        "guarantor2": guarantors[1],
        "delegation": delegations[0],
        "delegation2": delegations[1],
        "issue": issues[0],
        "issue2": issues[1],
        "parties": parties,
        "subject": subject,
        "capital": capital,
    }


def _fill(rng: random.Random, template: str, slots: dict[str, Any]) -> str:
    # Per-sentence draws keep two articles on the same round from sharing whole sentences.
    local = dict(slots)
    local.update(
        person=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        role=rng.choice(ROLES),
        said=rng.choice(VERBS_SAID),
        town=rng.choice(TOWNS),
        number=rng.randint(3, 4000),
        days=rng.randint(2, 9),
        month=rng.choice(MONTHS),
        mood=rng.choice(MOODS),
        outcome=rng.choice(OUTCOMES),
        adverb=rng.choice(ADVERBS),
        adjective=rng.choice(ADJECTIVES),
        adjective2=rng.choice(ADJECTIVES2),
        capital2=rng.choice(CAPITALS),
        issue=rng.choice(ISSUES) if rng.random() < 0.5 else slots["issue"],
        delegation=rng.choice(DELEGATIONS) if rng.random() < 0.5 else slots["delegation"],
    )
    sentence = template.format(**local)
    return sentence[0].upper() + sentence[1:]


def article_body(rng: random.Random, series: str) -> tuple[str, str]:
    """(title, text) of one article of about TARGET_WORDS words."""
    slots = _slots(rng, series)
    title = _fill(rng, rng.choice([
        "{ordinal} round of Syria talks opens in {city}",
        "Syria talks: {envoy} opens {ordinal} round in {city}",
        "Delegations meet in {city} as Syria talks resume",
        "Guarantors and Syrian sides gather in {city} for new round",
    ]), slots)
    paragraphs = [_fill(rng, rng.choice(LEADS), slots)]
    words = len(paragraphs[0].split())
    while words < TARGET_WORDS - 40:
        pool = DIPLOMACY if rng.random() < 0.15 else BODY
        sentences = [_fill(rng, rng.choice(pool), slots) for _ in range(rng.randint(2, 4))]
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    paragraphs.append(_fill(rng, rng.choice(CLOSINGS), slots))
    return title, "\n\n".join(paragraphs)


def synthetic_articles(count: int, seed: int = 2017, start: int = 0) -> list[dict[str, Any]]:
    """`count` validated article messages (schemas/models.py), numbered from `start`."""
    rng = random.Random(seed)
    base = datetime(2017, 1, 23, 8, 0, tzinfo=UTC)
    messages = []
    for n in range(start + count):
        series = rng.choice(list(SERIES))
        title, text = article_body(rng, series)
        if n < start:
            continue
        published = (base + timedelta(minutes=37 * n)).strftime("%Y-%m-%dT%H:%M:%SZ")
        url = f"https://bench.talkwatch.example/{series}/{n:05d}"
        messages.append(Article(
            id=hashlib.sha256(url.encode()).hexdigest()[:32],
            url=url,
            canonical_url=url,
            feed="bench-synthetic",
            source="talkwatch bench",
            title=title,
            summary=text[:280],
            text=text,
            published_at=published,
            fetched_at=published,
        ).to_message())
    return messages
