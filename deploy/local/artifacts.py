"""Fetches and caches the service artifacts through the package registries.

Kafka's jars and the Elasticsearch zip come from Maven Central through `mvn`; Prism is built
with `go install` through the Go module proxy. Each artifact lands in a versioned folder of the
cache with a `.complete` marker written last, so an interrupted fetch is redone and a complete
one is never fetched again (the second start works offline).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

from deploy.local import versions

log = logging.getLogger(__name__)

DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
KAFKA_POM = Path(__file__).with_name("kafka-pom.xml")
ES_ARTIFACT = "org.elasticsearch.distribution.integ-test-zip:elasticsearch:{version}:zip"
PRISM_MODULE = "github.com/apache/beam/sdks/v2/go/cmd/prism"


class FetchError(RuntimeError):
    """A fetch that failed; the message carries the command and the tail of its output."""


def _run(command: list[str], what: str, env: dict[str, str] | None = None) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise FetchError(f"cannot fetch {what}: `{command[0]}` is not installed")
    log.info("fetching %s: %s", what, " ".join(command))
    result = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise FetchError(f"cannot fetch {what}: `{' '.join(command)}` failed:\n{tail}")


def _complete(folder: Path) -> bool:
    return (folder / ".complete").exists()


def _mark_complete(folder: Path) -> None:
    (folder / ".complete").write_text("ok\n")


def kafka_libs(cache: Path) -> Path:
    """A folder holding every jar the Kafka broker needs (its classpath is `<folder>/*`)."""
    folder = cache / f"kafka_{versions.SCALA_BINARY}-{versions.KAFKA_VERSION}"
    if _complete(folder):
        return folder / "libs"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "libs").mkdir(parents=True)
    _run(
        [
            "mvn", "-q", "-B", "-f", str(KAFKA_POM),
            f"{DEPENDENCY_PLUGIN}:copy-dependencies",
            f"-DoutputDirectory={folder / 'libs'}",
            "-DincludeScope=runtime",
            f"-Dkafka.version={versions.KAFKA_VERSION}",
            f"-Dscala.binary={versions.SCALA_BINARY}",
            f"-Dlog4j.version={versions.LOG4J_VERSION}",
        ],
        f"Kafka {versions.KAFKA_VERSION}",
    )
    _mark_complete(folder)
    return folder / "libs"


def _maven_file(cache: Path, artifact: str, filename: str, what: str) -> Path:
    """One file of a Maven artifact (`group:name:version:type`), copied into the cache."""
    folder = cache / "downloads"
    target = folder / filename
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    _run(
        [
            # -U: ask again for an artifact an earlier attempt did not find (Maven otherwise
            # remembers the miss and never sees the artifact once it is served).
            "mvn", "-q", "-B", "-U", f"{DEPENDENCY_PLUGIN}:copy",
            f"-Dartifact={artifact}",
            f"-DoutputDirectory={folder}",
        ],
        what,
    )
    if not target.exists():
        raise FetchError(f"mvn finished but {target} is missing")
    return target


def elasticsearch_zip(cache: Path) -> Path:
    version = versions.ELASTICSEARCH_VERSION
    return _maven_file(
        cache,
        ES_ARTIFACT.format(version=version),
        f"elasticsearch-{version}.zip",
        f"Elasticsearch {version}",
    )


def elasticsearch_home(cache: Path, unpack_root: Path) -> Path:
    """The unpacked distribution under unpack_root (readable by the unprivileged ES user)."""
    home = unpack_root / f"elasticsearch-{versions.ELASTICSEARCH_VERSION}"
    if _complete(home):
        return home
    archive = elasticsearch_zip(cache)
    shutil.rmtree(home, ignore_errors=True)
    unpack_root.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(unpack_root)
        # zipfile drops the execute bits; restore them from the archive's unix modes.
        for info in zipped.infolist():
            mode = info.external_attr >> 16
            if mode:
                os.chmod(unpack_root / info.filename, mode & 0o7777)
    _mark_complete(home)
    return home


def prism_binary(cache: Path) -> Path:
    beam = versions.beam_version()
    folder = cache / f"prism-{beam}"
    binary = folder / "prism"
    if _complete(folder) and binary.exists():
        return binary
    folder.mkdir(parents=True, exist_ok=True)
    _run(
        ["go", "install", f"{PRISM_MODULE}@v{beam}"],
        f"Beam Prism runner v{beam}",
        env={"GOBIN": str(folder), "CGO_ENABLED": "0"},
    )
    _mark_complete(folder)
    return binary


def flink_job_server(cache: Path) -> Path:
    """Beam's Flink job server jar (FlinkRunner with an embedded local Flink: `[local]`)."""
    beam = versions.beam_version()
    artifact = f"beam-runners-flink-{versions.FLINK_VERSION}-job-server"
    return _maven_file(
        cache,
        f"org.apache.beam:{artifact}:{beam}:jar",
        f"{artifact}-{beam}.jar",
        f"Beam Flink job server {beam} (Flink {versions.FLINK_VERSION})",
    )


def fetch_all(cache: Path, es_unpack_root: Path) -> dict[str, Path]:
    return {
        "kafka": kafka_libs(cache),
        "elasticsearch": elasticsearch_home(cache, es_unpack_root),
        "prism": prism_binary(cache),
    }
