"""A single Elasticsearch 9 node on loopback, security off, run as an unprivileged user.

Elasticsearch refuses to run as root. When we are root (CI is), the node runs as the system
user `talkwatch` (created on first use) and keeps its files under /var/lib/talkwatch, because
that user cannot enter root's home; `<stack home>/elasticsearch` is then a symlink there.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from deploy.local import versions
from deploy.local.process import (
    ServiceStatus,
    read_pid,
    refuse_taken_ports,
    start_detached,
    stop_pid,
    wait_until,
)

SERVICE_USER = "talkwatch"
ROOT_BASE = Path("/var/lib/talkwatch")


def running_as_root() -> bool:
    return os.geteuid() == 0


def ensure_service_user() -> str | None:
    """The user Elasticsearch runs as: ourselves, or `talkwatch` when we are root."""
    if not running_as_root():
        return None
    if subprocess.run(["id", "-u", SERVICE_USER], capture_output=True).returncode != 0:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
             SERVICE_USER],
            check=True,
        )
    return SERVICE_USER


def unpack_root(cache: Path) -> Path:
    """Where the distribution is unpacked: somewhere the service user can read."""
    return ROOT_BASE / "dist" if running_as_root() else cache / "dist"


def instance_dir(stack_home: Path) -> Path:
    if not running_as_root():
        return stack_home / "elasticsearch"
    digest = hashlib.sha1(str(stack_home.resolve()).encode()).hexdigest()[:12]
    return ROOT_BASE / "instances" / digest


def http_json(url: str, timeout: float = 2.0) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None


@dataclass(frozen=True)
class ElasticsearchNode:
    stack_home: Path
    es_home: Path  # the unpacked distribution
    java_home: Path
    port: int
    transport_port: int
    heap: str = "1g"

    @property
    def instance(self) -> Path:
        return instance_dir(self.stack_home)

    @property
    def data_dir(self) -> Path:
        return self.instance / "data"

    @property
    def log_file(self) -> Path:
        return self.instance / "logs" / "elasticsearch-stdout.log"

    @property
    def pid_file(self) -> Path:
        # The pid file stays in root's stack home: only we need to read it.
        return self.stack_home / "run" / "elasticsearch.pid"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _elasticsearch_yml(self) -> str:
        return "\n".join(
            [
                "cluster.name: talkwatch-local",
                "node.name: local",
                f"path.data: {self.data_dir}",
                f"path.logs: {self.instance / 'logs'}",
                "network.host: 127.0.0.1",
                f"http.port: {self.port}",
                f"transport.port: {self.transport_port}",
                "discovery.type: single-node",
                # Local default: loopback only, no TLS or users. Production turns this on.
                "xpack.security.enabled: false",
                # Developer disks are often fuller than the default watermarks allow.
                "cluster.routing.allocation.disk.threshold_enabled: false",
                "",
            ]
        )

    def _prepare(self, user: str | None) -> None:
        config = self.instance / "config"
        for folder in (config, self.data_dir, self.instance / "logs", self.instance / "tmp"):
            folder.mkdir(parents=True, exist_ok=True)
        for name in ("jvm.options", "log4j2.properties"):
            shutil.copy2(self.es_home / "config" / name, config / name)
        (config / "jvm.options.d").mkdir(exist_ok=True)
        (config / "elasticsearch.yml").write_text(self._elasticsearch_yml())
        if user:
            link = self.stack_home / "elasticsearch"
            self.stack_home.mkdir(parents=True, exist_ok=True)
            if not link.is_symlink():
                link.symlink_to(self.instance)
            subprocess.run(["chown", "-R", f"{user}:{user}", str(self.instance)], check=True)

    def healthy(self) -> bool:
        health = http_json(f"{self.url}/_cluster/health")
        return bool(health) and health.get("status") in ("green", "yellow")

    def start(self, timeout: float = 120.0) -> None:
        if read_pid(self.pid_file) is not None:
            return
        refuse_taken_ports("elasticsearch", (self.port, self.transport_port), self.log_file)
        user = ensure_service_user()
        self._prepare(user)
        env = {
            "ES_PATH_CONF": str(self.instance / "config"),
            "ES_TMPDIR": str(self.instance / "tmp"),
            "ES_JAVA_HOME": str(self.java_home),
            "ES_JAVA_OPTS": f"-Xms{self.heap} -Xmx{self.heap}",
        }
        if user:
            env["HOME"] = str(self.instance)
        pid = start_detached(
            [str(self.es_home / "bin" / "elasticsearch")],
            self.log_file,
            self.pid_file,
            env=env,
            user=user,
            cwd=self.instance,
        )
        wait_until(self.healthy, pid, timeout, "elasticsearch", self.log_file)

    def stop(self) -> bool:
        return stop_pid(self.pid_file, timeout=60)

    def version(self) -> str:
        # GET / may be missing on the integ-test distribution; the nodes API is always there.
        nodes = http_json(f"{self.url}/_nodes/_local?filter_path=nodes.*.version")
        if nodes and nodes.get("nodes"):
            return next(iter(nodes["nodes"].values()))["version"]
        return versions.ELASTICSEARCH_VERSION

    def status(self) -> ServiceStatus:
        pid = read_pid(self.pid_file)
        state = "stopped" if pid is None else "running" if self.healthy() else "unhealthy"
        return ServiceStatus(
            name="elasticsearch",
            state=state,
            port=self.port,
            version=self.version() if state == "running" else versions.ELASTICSEARCH_VERSION,
            data_dir=self.data_dir,
            log_file=self.log_file,
            pid=pid,
        )

    def purge(self) -> None:
        shutil.rmtree(self.instance, ignore_errors=True)
        link = self.stack_home / "elasticsearch"
        if link.is_symlink():
            link.unlink()
