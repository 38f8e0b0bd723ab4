"""`talkwatch extract --input IN.jsonl --output OUT.jsonl`: one extraction line per input line.

A line that cannot be read yields `{"line": N, "id": ..., "error": "..."}` in the output (in
its place, so output order stays input order) and a message on stderr; the rest goes on.
Exit code: 0 when at least one line was extracted (or the input was empty), 1 when every line
failed, 2 when the input cannot be opened.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipelines.extraction.batch import extract_articles, read_records


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("extract", help="extract talk rounds from a JSON-lines file")
    parser.add_argument(
        "--input", required=True, help="JSON lines: id, url, title, published, text"
    )
    parser.add_argument("--output", required=True, help="where to write one result per line")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        lines = Path(args.input).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        print(f"extract: cannot read {args.input}: {exc}", file=sys.stderr)
        return 2
    records = read_records(lines)
    readable = [r for r in records if r.article is not None]
    extractions = iter(extract_articles([r.article for r in readable]))  # type: ignore[misc]
    failures = 0
    with Path(args.output).open("w", encoding="utf-8") as out:
        for record in records:
            if record.article is None:
                failures += 1
                record_id = (record.raw or {}).get("id")
                print(f"extract: line {record.line}: {record.error}", file=sys.stderr)
                line = {"line": record.line, "id": record_id, "error": record.error}
            else:
                line = next(extractions).output_line()
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return 1 if records and failures == len(records) else 0
