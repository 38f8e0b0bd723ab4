"""Talk-round and actor extraction: pure functions over article text and dates.

Order of reading: `relevance` (cheap gate) -> `nlp` (spaCy annotation) -> `actors` ->
`rounds` (the orchestration: series, ordinal, venue, status), which calls `cues` (word cues
per sentence), `round_dates` (when the round met), `sections` (background sections of long
reports), `attendance` (which sentences say who attends) and `participants` (roles) ->
`coref` (merging articles into events). Nothing here knows about Kafka, Beam or Elasticsearch.
`prefilter` lets the cue, date and relevance patterns skip text without the words they need,
and start their scan where those words show a match may begin.
"""
