"""The one place that pins the service versions the local stack runs."""

from __future__ import annotations

from importlib.metadata import version

KAFKA_VERSION = "4.1.1"
SCALA_BINARY = "2.13"
LOG4J_VERSION = "2.25.2"
ELASTICSEARCH_VERSION = "9.2.4"  # newest 9.x integ-test-zip that Maven Central serves here
ES_MIN_JAVA = 21
KAFKA_MIN_JAVA = 17


def beam_version() -> str:
    """Prism must be built at the same tag as the installed apache-beam Python SDK."""
    return version("apache-beam")

# Beam's Flink job server for the FlinkRunner; Beam 2.77 supports Flink 1.17 to 1.20.
FLINK_VERSION = "1.19"
