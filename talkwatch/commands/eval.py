"""`talkwatch eval IN.jsonl [--json PATH]`: extract, then score against each line's `gold`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipelines.extraction.batch import extract_articles, read_records
from pipelines.extraction.evaluation import evaluate, format_table


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("eval", help="score the extractor on a labelled JSON-lines file")
    parser.add_argument("input", help="JSON lines with a `gold` object per line")
    parser.add_argument("--json", dest="json_path", help="also write the metrics to this file")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        lines = Path(args.input).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        print(f"eval: cannot read {args.input}: {exc}", file=sys.stderr)
        return 2
    records = read_records(lines)
    usable = []
    for record in records:
        if record.article is None:
            print(f"eval: line {record.line}: {record.error}", file=sys.stderr)
        elif not isinstance((record.raw or {}).get("gold"), dict):
            print(f"eval: line {record.line}: no gold labels", file=sys.stderr)
        else:
            usable.append(record)
    if not usable:
        print("eval: no labelled line could be read", file=sys.stderr)
        return 1
    extractions = extract_articles([r.article for r in usable])  # type: ignore[misc]
    evaluation = evaluate(
        [r.raw["gold"] for r in usable],  # type: ignore[index]
        [e.output_line() for e in extractions],
        [r.article.id for r in usable],  # type: ignore[union-attr]
    )
    print(format_table(evaluation))
    if args.json_path:
        Path(args.json_path).write_text(
            json.dumps(evaluation.to_dict(), indent=2) + "\n", encoding="utf-8"
        )
    return 0
