"""The local stack as one thing: fetch, up, down (optionally purge) and status."""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from deploy.local import artifacts, versions
from deploy.local.elasticsearch import ElasticsearchNode, unpack_root
from deploy.local.jdk import find_jdk
from deploy.local.kafka import KafkaBroker
from deploy.local.process import ServiceStatus
from talkwatch.config import StackSettings

log = logging.getLogger(__name__)

# Local data that `down --purge` removes; downloads in the cache are kept.
PURGED = ("kafka", "connectors", "mail", "pipeline", "run")


@dataclass(frozen=True)
class LocalStack:
    settings: StackSettings

    def fetch(self) -> dict[str, Path]:
        return artifacts.fetch_all(self.settings.cache, unpack_root(self.settings.cache))

    def kafka(self) -> KafkaBroker:
        return KafkaBroker(
            home=self.settings.home / "kafka",
            libs=artifacts.kafka_libs(self.settings.cache),
            java_home=find_jdk(versions.KAFKA_MIN_JAVA),
            port=self.settings.kafka_port,
            controller_port=self.settings.kafka_controller_port,
        )

    def elasticsearch(self) -> ElasticsearchNode:
        return ElasticsearchNode(
            stack_home=self.settings.home,
            es_home=artifacts.elasticsearch_home(
                self.settings.cache, unpack_root(self.settings.cache)
            ),
            java_home=find_jdk(versions.ES_MIN_JAVA),
            port=self.settings.es_port,
            transport_port=self.settings.es_transport_port,
        )

    def prism(self) -> Path:
        return artifacts.prism_binary(self.settings.cache)

    def up(self) -> list[ServiceStatus]:
        """Start what is not running yet (idempotent) and return every service's status."""
        self.fetch()
        self.kafka().start()
        self.elasticsearch().start()
        return self.status()

    def down(self, purge: bool = False) -> list[str]:
        stopped = []
        for service in (self.elasticsearch(), self.kafka()):
            if service.stop():
                stopped.append(type(service).__name__)
        if purge:
            self.elasticsearch().purge()
            for name in PURGED:
                shutil.rmtree(self.settings.home / name, ignore_errors=True)
        return stopped

    def status(self) -> list[ServiceStatus]:
        prism = self.prism()
        return [
            self.kafka().status(),
            self.elasticsearch().status(),
            ServiceStatus(
                name="prism",
                state="installed" if prism.exists() else "missing",
                port=None,
                version=versions.beam_version(),
                data_dir=prism.parent,
                log_file=self.settings.home / "pipeline" / "pipeline.log",
                detail="started by each pipeline run (--prism_location)",
            ),
        ]
