"""The extractor on the labelled dev set (read at run time, never copied here).

Runs when `<repo>/../shared/eval/talks_dev.jsonl` exists or TALKWATCH_EVAL_DATA names a file."""

import json
import os
from pathlib import Path

import pytest

from talkwatch.cli import main

REPO = Path(__file__).resolve().parents[2]
DEV_SET = Path(
    os.environ.get("TALKWATCH_EVAL_DATA", REPO.parent / "shared" / "eval" / "talks_dev.jsonl")
)
TARGETS = {
    "detection_f1": 0.97,
    "series": 0.95,
    "round": 0.90,
    "location": 0.95,
    "start_date": 0.85,
    "actors_f1": 0.85,
}


@pytest.fixture(scope="module")
def metrics(tmp_path_factory):
    if not DEV_SET.exists():
        pytest.skip(f"labelled dev set not found at {DEV_SET} (set TALKWATCH_EVAL_DATA)")
    path = tmp_path_factory.mktemp("eval") / "metrics.json"
    assert main(["eval", str(DEV_SET), "--json", str(path)]) == 0
    return json.loads(path.read_text())


def test_detection_f1(metrics):
    assert metrics["detection"]["f1"] >= TARGETS["detection_f1"]


@pytest.mark.parametrize("field", ["series", "round", "location", "start_date"])
def test_field_accuracy(metrics, field):
    assert metrics["field_accuracy"][field] >= TARGETS[field]


def test_actors_f1(metrics):
    assert metrics["actors"]["f1"] >= TARGETS["actors_f1"]
