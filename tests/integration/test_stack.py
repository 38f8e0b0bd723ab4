"""The local stack starts real services, reports them, and refuses a taken port clearly."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from deploy.local.process import ServiceError
from deploy.local.stack import LocalStack
from talkwatch.config import Config


def test_kafka_and_elasticsearch_report_running(
    local_stack: LocalStack, kafka_bootstrap: str, es_url: str
) -> None:
    by_name = {s.name: s for s in local_stack.status()}
    assert by_name["kafka"].state == "running"
    assert by_name["kafka"].version.startswith("4.")
    assert by_name["elasticsearch"].state == "running"
    assert by_name["elasticsearch"].version.startswith("9.")
    assert by_name["prism"].state == "installed"
    assert kafka_bootstrap.endswith(f":{by_name['kafka'].port}")
    assert es_url.endswith(f":{by_name['elasticsearch'].port}")


def test_up_is_idempotent(local_stack: LocalStack, kafka_bootstrap: str, es_url: str) -> None:
    before = {s.name: s.pid for s in local_stack.status()}
    local_stack.kafka().start()
    local_stack.elasticsearch().start()
    after = {s.name: s.pid for s in local_stack.status()}
    assert before == after


def test_taken_port_gives_one_clear_error(test_config: Config, tmp_path: Path) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        settings = test_config.stack.__class__(
            **{**test_config.stack.__dict__, "home": tmp_path, "kafka_port": port}
        )
        with pytest.raises(ServiceError) as error:
            LocalStack(settings).kafka().start()
    message = str(error.value)
    assert f"port {port} is already in use" in message
    assert str(tmp_path / "kafka" / "kafka.log") in message
