"""The `lianluo` console command, run as the operator runs it: the installed script and
`python -m lianluo.analysis.cli`, on files, with no Django settings in its environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.analysis.test_duplicates import OTHERS, SAME_LIGHT, SAME_WATER
from tests.analysis.test_topics import corpus

SCRIPT = Path(sys.executable).with_name("lianluo")
COMMANDS = {
    "script": [str(SCRIPT)],
    "module": [sys.executable, "-m", "lianluo.analysis.cli"],
}


def run(how: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    # No settings, no LIANLUO_DEV: the command must not need Django's configuration.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIANLUO", "DJANGO"))}
    env.pop("DEBUG", None)
    return subprocess.run(
        [*COMMANDS[how], *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def write_jsonl(path: Path, items) -> Path:
    path.write_text(
        "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in items),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("how", ["script", "module"])
def test_hot_topics_writes_the_topics_of_a_file(how, tmp_path):
    items, truth = corpus()
    source = write_jsonl(tmp_path / "cases.jsonl", items)
    target = tmp_path / "topics.json"

    done = run(
        how, "hot-topics", "--input", str(source), "--output", str(target), "--min-size", "10"
    )

    assert done.returncode == 0, done.stderr
    result = json.loads(target.read_text(encoding="utf-8"))
    assert list(result) == ["topics"] and len(result["topics"]) == 3
    for topic in result["topics"]:
        assert set(topic) == {"label", "keywords", "ids", "size"}
        assert isinstance(topic["label"], str) and topic["keywords"]
        assert topic["size"] == len(topic["ids"])
    ids = [i for t in result["topics"] for i in t["ids"]]
    assert len(ids) == len(set(ids)) and set(ids) <= {i for i, _ in items}
    assert "路灯" in target.read_text(encoding="utf-8")  # UTF-8, not \\u escapes


@pytest.mark.parametrize("how", ["script", "module"])
def test_duplicates_writes_the_groups_keeping_ids_as_given(how, tmp_path):
    items = [(f"c-{i}" if i % 2 else i, t) for i, t in SAME_LIGHT + SAME_WATER + OTHERS]
    source = write_jsonl(tmp_path / "cases.jsonl", items)
    target = tmp_path / "groups.json"

    done = run(how, "duplicates", "--input", str(source), "--output", str(target))

    assert done.returncode == 0, done.stderr
    result = json.loads(target.read_text(encoding="utf-8"))
    assert result == {"groups": [{"ids": ["c-1", 2, "c-3"]}, {"ids": [10, "c-11"]}]}


def test_stdin_and_stdout_with_a_dash():
    lines = "".join(
        json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in SAME_WATER
    )

    done = run("script", "duplicates", "--input", "-", "--output", "-", stdin=lines)

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"groups": [{"ids": [10, 11]}]}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": 1, "text": "路灯不亮"}\nnot json\n', "line 2: not JSON"),
        ('{"id": 1, "text": "路灯不亮"}\n\n{"text": "垃圾"}\n', 'line 3: missing field "id"'),
        ('{"id": 1}\n', 'line 1: missing field "text"'),
        ('{"id": [1], "text": "x"}\n', 'line 1: "id" must be a number or a string'),
        ('{"id": 1, "text": "a"}\n{"id": 1, "text": "b"}\n', "line 2: id 1 appears twice"),
        ("", "no messages (the file is empty)"),
    ],
)
@pytest.mark.parametrize("how", ["script", "module"])
def test_bad_input_is_refused_with_its_line_and_status_2(how, content, message, tmp_path):
    source = tmp_path / "cases.jsonl"
    source.write_text(content, encoding="utf-8")
    target = tmp_path / "out.json"

    done = run(how, "hot-topics", "--input", str(source), "--output", str(target))

    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not target.exists()


def test_a_missing_file_is_refused_without_a_traceback(tmp_path):
    done = run("script", "duplicates", "--input", str(tmp_path / "nope.jsonl"), "--output", "-")

    assert done.returncode == 2
    assert "cannot read" in done.stderr and "Traceback" not in done.stderr
