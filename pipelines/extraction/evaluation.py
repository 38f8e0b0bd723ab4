"""Scores extractions against the gold labels of the dev-set format (`gold` per line).

Detection: precision/recall/F1 of `is_syria_talks_round`. Fields (series, round, location,
start_date): accuracy over all gold positives, a missed round counting as wrong. Actors:
micro precision/recall/F1 over gold positives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

FIELDS = ("series", "round", "location", "start_date")


@dataclass
class Evaluation:
    items: int = 0
    detection: dict[str, float] = field(default_factory=dict)
    field_accuracy: dict[str, float] = field(default_factory=dict)
    actors: dict[str, float] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "detection": self.detection,
            "field_accuracy": self.field_accuracy,
            "actors": self.actors,
            "errors": self.errors,
        }


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def evaluate(
    golds: Sequence[dict[str, Any]], predictions: Sequence[dict[str, Any]], ids: Sequence[str]
) -> Evaluation:
    """`predictions` are `talkwatch extract` output lines, aligned with `golds` and `ids`."""
    result = Evaluation(items=len(golds))
    tp = fp = fn = 0
    correct = dict.fromkeys(FIELDS, 0)
    positives = 0
    actor_tp = actor_fp = actor_fn = 0
    for item_id, gold, predicted in zip(ids, golds, predictions, strict=True):
        wrong: dict[str, Any] = {}
        gold_true = bool(gold.get("is_syria_talks_round"))
        predicted_true = bool(predicted.get("is_syria_talks_round"))
        if gold_true and predicted_true:
            tp += 1
        elif predicted_true:
            fp += 1
        elif gold_true:
            fn += 1
        if gold_true != predicted_true:
            wrong["is_syria_talks_round"] = {"predicted": predicted_true, "gold": gold_true}
        if gold_true:
            positives += 1
            for name in FIELDS:
                value = predicted.get(name) if predicted_true else None
                if predicted_true and value == gold.get(name):
                    correct[name] += 1
                elif predicted_true:
                    wrong[name] = {"predicted": value, "gold": gold.get(name)}
            gold_actors = set(gold.get("actors") or [])
            found = set(predicted.get("actors") or []) if predicted_true else set()
            actor_tp += len(found & gold_actors)
            actor_fp += len(found - gold_actors)
            actor_fn += len(gold_actors - found)
            if predicted_true and found != gold_actors:
                wrong["actors"] = {
                    "extra": sorted(found - gold_actors),
                    "missing": sorted(gold_actors - found),
                }
        if wrong:
            result.errors.append({"id": item_id, **wrong})
    result.detection = _prf(tp, fp, fn)
    result.field_accuracy = {
        n: round(correct[n] / positives, 4) if positives else 0.0 for n in FIELDS
    }
    result.actors = _prf(actor_tp, actor_fp, actor_fn)
    return result


def format_table(evaluation: Evaluation) -> str:
    d, a = evaluation.detection, evaluation.actors
    lines = [
        f"items: {evaluation.items}",
        f"{'metric':<22}{'value':>8}",
        f"{'detection precision':<22}{d['precision']:>8.3f}",
        f"{'detection recall':<22}{d['recall']:>8.3f}",
        f"{'detection F1':<22}{d['f1']:>8.3f}",
        *(
            f"{name + ' accuracy':<22}{value:>8.3f}"
            for name, value in evaluation.field_accuracy.items()
        ),
        f"{'actors precision':<22}{a['precision']:>8.3f}",
        f"{'actors recall':<22}{a['recall']:>8.3f}",
        f"{'actors F1':<22}{a['f1']:>8.3f}",
    ]
    if evaluation.errors:
        lines.append("")
        lines.append("wrong items, field by field:")
        for error in evaluation.errors:
            lines.append(f"  {error['id']}:")
            for name, detail in error.items():
                if name != "id":
                    lines.append(f"    {name}: {detail}")
    return "\n".join(lines)
