"""A single-node Apache Kafka broker in KRaft mode (one process as broker and controller)."""

from __future__ import annotations

import base64
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

from deploy.local import versions
from deploy.local.process import (
    ServiceError,
    ServiceStatus,
    port_open,
    read_pid,
    refuse_taken_ports,
    start_detached,
    stop_pid,
    wait_until,
)

LOG4J2_PROPERTIES = """\
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.state.name = state.change.logger
logger.state.level = WARN
"""


@dataclass(frozen=True)
class KafkaBroker:
    home: Path  # <stack home>/kafka: config, data and log of this broker
    libs: Path
    java_home: Path
    port: int
    controller_port: int
    heap: str = "512m"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def log_file(self) -> Path:
        return self.home / "kafka.log"

    @property
    def pid_file(self) -> Path:
        return self.home / "kafka.pid"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _server_properties(self) -> str:
        return "\n".join(
            [
                "process.roles=broker,controller",
                "node.id=1",
                f"controller.quorum.voters=1@127.0.0.1:{self.controller_port}",
                f"listeners=PLAINTEXT://127.0.0.1:{self.port},"
                f"CONTROLLER://127.0.0.1:{self.controller_port}",
                f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port}",
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                f"log.dirs={self.data_dir}",
                "num.partitions=1",
                # One node: internal topics cannot have more than one replica.
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                # The project creates its topics with explicit partitions and retention.
                "auto.create.topics.enable=false",
                "",
            ]
        )

    def _java(self, main_class: str, *args: str) -> list[str]:
        return [
            str(self.java_home / "bin" / "java"),
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            f"-Dlog4j2.configurationFile={self.home / 'log4j2.properties'}",
            "-cp",
            f"{self.libs}/*",
            main_class,
            *args,
        ]

    def start(self, timeout: float = 90.0) -> None:
        if read_pid(self.pid_file) is not None:
            return
        refuse_taken_ports("kafka", (self.port, self.controller_port), self.log_file)
        self.home.mkdir(parents=True, exist_ok=True)
        properties = self.home / "server.properties"
        properties.write_text(self._server_properties())
        (self.home / "log4j2.properties").write_text(LOG4J2_PROPERTIES)
        if not (self.data_dir / "meta.properties").exists():
            self._format_storage(properties)
        pid = start_detached(
            self._java("kafka.Kafka", str(properties)), self.log_file, self.pid_file
        )
        wait_until(lambda: port_open(self.port), pid, timeout, "kafka", self.log_file)

    def _format_storage(self, properties: Path) -> None:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        command = self._java(
            "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(properties)
        )
        with open(self.log_file, "ab") as log:
            result = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT)
        if result.returncode != 0:
            raise ServiceError(f"kafka: storage format failed; see {self.log_file}")

    def stop(self) -> bool:
        return stop_pid(self.pid_file, timeout=60)

    def status(self) -> ServiceStatus:
        pid = read_pid(self.pid_file)
        state = "stopped" if pid is None else "running" if port_open(self.port) else "unhealthy"
        return ServiceStatus(
            name="kafka",
            state=state,
            port=self.port,
            version=versions.KAFKA_VERSION,
            data_dir=self.data_dir,
            log_file=self.log_file,
            pid=pid,
        )
