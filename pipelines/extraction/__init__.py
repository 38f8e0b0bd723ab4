"""Talk-round and actor extraction: pure functions over article text and dates.

Order of reading: `relevance` (cheap gate) -> `nlp` (spaCy annotation) -> `actors` ->
`rounds` (series, ordinal, venue, dates, status, participants) -> `coref` (merging articles
into events). Nothing here knows about Kafka, Beam or Elasticsearch.
"""
