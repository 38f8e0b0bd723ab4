"""The talkwatch pipeline, the whole diagram in one screen (and nothing else).

    Kafka -> Decode -> NearDuplicates -> Relevance -> spaCy -> Actors -> Rounds -> Elasticsearch

One line (stages/line.py): dead letters from Decode, and the irrelevant articles and
near-duplicates that skip spaCy, Actors and Rounds, pass through those stages unchanged and
reach the sink, which indexes every article and writes the dead letters.
"""

from __future__ import annotations

import apache_beam as beam

from pipelines.options import TalkwatchOptions
from pipelines.sinks.elasticsearch import WriteToElasticsearch
from pipelines.source import read_articles
from pipelines.stages.actors import LinkActors
from pipelines.stages.decode import DecodeArticles
from pipelines.stages.dedup import LinkNearDuplicates
from pipelines.stages.nlp import Annotate
from pipelines.stages.relevance import ScoreRelevance
from pipelines.stages.rounds import ExtractRounds


def build(pipeline: beam.Pipeline, opts: TalkwatchOptions) -> None:
    (
        pipeline
        | "ReadKafka" >> read_articles(opts)
        | "DecodeArticles" >> DecodeArticles()
        | "NearDuplicates" >> LinkNearDuplicates(opts.es_url, opts.index_prefix)
        | "Relevance" >> ScoreRelevance(opts.relevance_threshold)
        | "NLP" >> Annotate(opts.nlp_batch_size)
        | "Actors" >> LinkActors()
        | "TalkRounds" >> ExtractRounds()
        | "Elasticsearch"
        >> WriteToElasticsearch(
            es_url=opts.es_url,
            index_prefix=opts.index_prefix,
            bootstrap=opts.bootstrap,
            group_id=opts.group_id,
            deadletter_topic=opts.deadletter_topic,
            batch_size=opts.sink_batch_size,
            alert_rules=opts.alert_rules,
        )
    )
