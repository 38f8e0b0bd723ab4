"""The Apache Beam streaming pipeline: Kafka -> extraction -> Elasticsearch (and alerts)."""
