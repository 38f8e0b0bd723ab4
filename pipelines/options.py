"""The pipeline's own options, beside Beam's runner options."""

from __future__ import annotations

from apache_beam.options.pipeline_options import PipelineOptions


class TalkwatchOptions(PipelineOptions):
    @classmethod
    def _add_argparse_args(cls, parser) -> None:
        parser.add_argument("--bootstrap", default="127.0.0.1:9092", help="Kafka bootstrap")
        parser.add_argument("--articles_topic", default="talkwatch.articles")
        parser.add_argument("--deadletter_topic", default="talkwatch.deadletter")
        parser.add_argument("--group_id", default="talkwatch-pipeline")
        parser.add_argument("--es_url", default="http://127.0.0.1:9200")
        parser.add_argument("--index_prefix", default="talkwatch")
        parser.add_argument(
            "--relevance_threshold",
            type=float,
            default=None,
            help="default: the threshold of the topic profile (schemas/topic_profile.json)",
        )
        parser.add_argument("--nlp_batch_size", type=int, default=64)
        parser.add_argument("--sink_batch_size", type=int, default=200)
        parser.add_argument(
            "--alert_rules",
            default=None,
            help="JSON list of alert rule tables ([[alerts.rules]], validated by the CLI); "
            "default: new_round and status_change",
        )
        parser.add_argument(
            "--kafka_source",
            choices=["python", "xlang"],
            default="python",
            help="python: our splittable DoFn (any runner, Prism); xlang: Beam's Java "
            "ReadFromKafka through an expansion service (Flink, Dataflow)",
        )
