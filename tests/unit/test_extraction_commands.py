"""`talkwatch extract` on a small file written for this test."""

import json

from talkwatch.cli import main

REPORT = {
    "id": "r1",
    "url": "https://example.org/r1",
    "title": "Astana talks on Syria open",
    "published": "2019-04-25",
    "text": "Envoys from Russia, Iran and Turkey opened the 12th Astana-format round about "
    "Syria in Nur-Sultan on Thursday.",
    "gold": {"ignored": True},
}
UNRELATED = {
    "id": "r3",
    "url": "",
    "title": "Cup final",
    "published": None,
    "text": "The league match ended in a draw.",
}


def test_extract_writes_one_line_per_input_line_and_reports_bad_lines(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(
            [json.dumps(REPORT), "{not json", json.dumps({"id": "r2"}), json.dumps(UNRELATED)]
        )
        + "\n"
    )
    target = tmp_path / "out.jsonl"
    assert main(["extract", "--input", str(source), "--output", str(target)]) == 0
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert [line.get("id") for line in lines] == ["r1", None, "r2", "r3"]
    assert lines[0]["is_syria_talks_round"] and lines[0]["round"] == 12
    assert lines[0]["start_date"] == "2019-04-25"
    assert lines[1]["line"] == 2 and "invalid JSON" in lines[1]["error"]
    assert lines[2]["line"] == 3 and "text" in lines[2]["error"]
    assert lines[3]["is_syria_talks_round"] is False
    stderr = capsys.readouterr().err
    assert "line 2" in stderr and "line 3" in stderr


def test_extract_fails_only_when_nothing_could_be_processed(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("[1, 2]\n{broken\n")
    assert main(["extract", "--input", str(source), "--output", str(tmp_path / "o.jsonl")]) == 1
