"""Per-tactic outcomes: recording them, reading version-1 and version-2 logs, many writers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from improvedir.store import convlog

MAPLE = "Maple Hospitals NHS Trust"


def _log_file() -> Path:
    return Path(os.environ["IMPROVEDIR_HOME"]) / "data" / "conversations.jsonl"


def _entries() -> list[dict[str, Any]]:
    return [json.loads(line) for line in _log_file().read_text(encoding="utf-8").splitlines()]


def _record(cli, content: Path, trust: str = MAPLE) -> dict[str, Any]:
    result = cli("suggest", "endoscopy", "--content", str(content), "--trust", trust, "--record")
    assert result.exit_code == 0, result.output
    return _entries()[-1]


# Lines exactly as improvedir wrote them before per-tactic results (log version 1).
V1_CONVERSATION = (
    '{"version":1,"kind":"conversation","time":"2026-09-01T09:00:00.000000Z",'
    '"trust":"Maple Hospitals NHS Trust","query":"endoscopy",'
    '"areas":[{"id":"endoscopy","name":"Endoscopy"}],'
    '"offers":[{"tactic":"weekend-lists","title":"Run weekend endoscopy lists","exemplars":'
    '[{"id":"red-weekend","organisation":"Red Hospitals NHS Trust","contacts":'
    '[{"name":"Pat Example","role":"Lead"}],"sources":[{"title":"Case study",'
    '"url":"https://example.org/case/red-weekend"}]}]},'
    '{"tactic":"list-validation","title":"Validate the endoscopy waiting list","exemplars":[]}]}'
)
V1_OUTCOME = (
    '{"version":1,"kind":"outcome","time":"2026-09-22T10:00:00.000000Z",'
    '"trust":"Maple Hospitals NHS Trust","conversation":{"time":"2026-09-01T09:00:00.000000Z",'
    '"trust":"Maple Hospitals NHS Trust"},"outcome":"Will try weekend lists"}'
)


def test_results_per_tactic_are_recorded_paired_in_order(cli, content: Path) -> None:
    conversation = _record(cli, content)
    before = _log_file().read_bytes()

    result = cli(
        "followup",
        "maple",
        "--tactic",
        "weekend-lists",
        "--result",
        "adopted",
        "--tactic",
        "list-validation",
        "--result",
        "trying",
        "--outcome",
        "Two weekend lists a month since October",
    )

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Recorded the outcome of the conversation with {MAPLE} on "
        f"{conversation['time'][:10]} {conversation['time'][11:16]} UTC: "
        "weekend-lists: adopted; list-validation: trying. Two weekend lists a month since October\n"
    )
    assert _log_file().read_bytes().startswith(before)  # appended, nothing rewritten
    entry = _entries()[-1]
    assert entry.pop("time").endswith("Z")
    assert entry == {
        "version": 2,
        "kind": "outcome",
        "trust": MAPLE,
        "conversation": {"time": conversation["time"], "trust": MAPLE},
        "outcome": "Two weekend lists a month since October",
        "results": [
            {"tactic": "weekend-lists", "result": "adopted"},
            {"tactic": "list-validation", "result": "trying"},
        ],
    }


def test_a_later_result_replaces_an_earlier_one_for_that_tactic_only(cli, content: Path) -> None:
    _record(cli, content)
    cli("followup", MAPLE, "--tactic", "weekend-lists", "--result", "trying")
    cli("followup", MAPLE, "--tactic", "list-validation", "--result", "not-adopted")
    cli("followup", MAPLE, "--tactic", "weekend-lists", "--result", "did-not-work")

    [row] = json.loads(cli("log", "-f", "json").stdout)
    text = cli("log").stdout.splitlines()[1]

    assert row["results"] == [
        {"tactic": "list-validation", "result": "not-adopted"},  # in the order offered
        {"tactic": "weekend-lists", "result": "did-not-work"},
    ]
    assert row["outcome"] is None  # no free text was given
    assert [o["results"] for o in row["outcomes"]] == [
        [{"tactic": "weekend-lists", "result": "trying"}],
        [{"tactic": "list-validation", "result": "not-adopted"}],
        [{"tactic": "weekend-lists", "result": "did-not-work"}],
    ]
    assert text.endswith("list-validation: not-adopted; weekend-lists: did-not-work")


def test_results_json(cli, content: Path) -> None:
    conversation = _record(cli, content)

    result = cli(
        "followup", MAPLE, "--tactic", "weekend-lists", "--result", "adopted", "-f", "json"
    )

    assert json.loads(result.stdout) == {
        "conversation": {"time": conversation["time"], "trust": MAPLE},
        "outcome": None,
        "results": [{"tactic": "weekend-lists", "result": "adopted"}],
        "log": str(_log_file()),
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--tactic", "weekend-lists", "--tactic", "list-validation", "--result", "adopted"],
            "Error: give one --result for each --tactic, in the same order "
            "(2 --tactic, 1 --result).",
        ),
        (
            ["--result", "adopted"],
            "Error: give one --result for each --tactic, in the same order "
            "(0 --tactic, 1 --result).",
        ),
        (
            ["--tactic", "weekend-lists", "--result", "adopted"] * 2,
            "Error: --tactic weekend-lists is given twice",
        ),
    ],
)
def test_results_that_do_not_pair_up_are_a_usage_error(
    cli, content: Path, args: list[str], message: str
) -> None:
    _record(cli, content)
    before = _log_file().read_bytes()

    result = cli("followup", MAPLE, *args)

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.strip() == message
    assert _log_file().read_bytes() == before


def test_an_unknown_result_is_a_usage_error(cli, content: Path) -> None:
    _record(cli, content)
    result = cli("followup", MAPLE, "--tactic", "weekend-lists", "--result", "worked")
    assert result.exit_code == 2
    assert "'worked' is not one of 'adopted', 'trying', 'not-adopted', 'did-not-work'" in (
        result.stderr
    )


def test_a_tactic_not_offered_on_that_call_is_refused_with_a_suggestion(cli, content) -> None:
    conversation = _record(cli, content)
    before = _log_file().read_bytes()

    result = cli("followup", MAPLE, "--tactic", "weekend-list", "--result", "adopted")

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: 'weekend-list' was not offered in the conversation with {MAPLE} on "
        f"{conversation['time'][:10]} (did you mean 'weekend-lists'?). "
        "Offered: list-validation, weekend-lists.\n"
    )
    assert _log_file().read_bytes() == before


# --- reading old and mixed logs ---


def test_a_version_1_log_is_read_as_before(cli, content: Path) -> None:
    _log_file().parent.mkdir(parents=True)
    _log_file().write_text(V1_CONVERSATION + "\n" + V1_OUTCOME + "\n", encoding="utf-8")

    [row] = json.loads(cli("log", "-f", "json").stdout)
    follow = cli("followup", "Maple", "--content", str(content), "-f", "json")

    assert row["trust"] == MAPLE
    assert row["outcome"] == "Will try weekend lists"
    assert row["results"] == []
    assert [t["id"] for t in json.loads(follow.stdout)["tactics"]] == [
        "weekend-lists",
        "list-validation",
    ]
    assert cli("log").stderr == ""  # nothing reported as corrupt


def test_a_mixed_log_attaches_version_2_results_to_a_version_1_conversation(cli) -> None:
    _log_file().parent.mkdir(parents=True)
    _log_file().write_text(V1_CONVERSATION + "\n" + V1_OUTCOME + "\n", encoding="utf-8")
    before = _log_file().read_bytes()

    recorded = cli("followup", MAPLE, "--tactic", "weekend-lists", "--result", "adopted")
    log = convlog.read_log()

    assert recorded.exit_code == 0, recorded.output
    assert _log_file().read_bytes().startswith(before)  # the version-1 lines stay as they were
    assert [e["version"] for e in _entries()] == [1, 1, 2]
    [conversation] = log.conversations
    assert conversation.results == {"weekend-lists": "adopted"}
    assert conversation.outcome == "Will try weekend lists"
    assert [o.tactic for o in conversation.open_tactics] == ["list-validation"]
    assert log.problems == []


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (
            '{"version":2,"kind":"outcome","time":"2026-10-01T09:00:00Z","trust":"X",'
            '"conversation":{"time":"2026-09-01T09:00:00.000000Z","trust":"X"}}',
            "an outcome needs 'outcome' text or 'results'",
        ),
        (
            '{"version":2,"kind":"outcome","time":"2026-10-01T09:00:00Z","trust":"X",'
            '"conversation":{"time":"2026-09-01T09:00:00.000000Z","trust":"X"},'
            '"results":[{"tactic":"weekend-lists","result":"great"}]}',
            "'results[].result' is not one of adopted, trying, not-adopted, did-not-work",
        ),
        (
            '{"version":2,"kind":"outcome","time":"2026-10-01T09:00:00Z","trust":"X",'
            '"conversation":{"time":"2026-09-01T09:00:00.000000Z","trust":"X"},'
            '"results":[{"result":"adopted"}]}',
            "missing 'results[].tactic'",
        ),
        (
            '{"version":1,"kind":"outcome","time":"2026-10-01T09:00:00Z","trust":"X",'
            '"conversation":{"time":"2026-09-01T09:00:00.000000Z","trust":"X"},'
            '"results":[{"tactic":"weekend-lists","result":"adopted"}]}',
            "missing 'outcome'",  # version 1 had only free text
        ),
    ],
)
def test_a_damaged_outcome_line_is_reported_skipped_and_kept(cli, line: str, reason: str) -> None:
    _log_file().parent.mkdir(parents=True)
    _log_file().write_text(V1_CONVERSATION + "\n" + line + "\n", encoding="utf-8")
    before = _log_file().read_bytes()

    result = cli("log", "-f", "json")

    assert result.exit_code == 0
    assert result.stderr == f"{_log_file()}:2: skipped corrupt entry ({reason})\n"
    assert json.loads(result.stdout)[0]["outcomes"] == []
    assert _log_file().read_bytes() == before


_OUTCOME_WRITER = """
import sys, time
from pathlib import Path
from improvedir.store import convlog
folder, n = Path(sys.argv[1]), int(sys.argv[2])
[conversation] = convlog.read_log().conversations
(folder / f"ready-{n}").touch()
while not (folder / "go").exists():
    time.sleep(0.001)
result = ("adopted", "trying", "not-adopted", "did-not-work")[n % 4]
convlog.record_outcome(conversation, "note " * 20_000 + str(n),
                       results=[(f"tactic-{n}", result)])
"""


def test_twelve_processes_recording_outcomes_at_once_lose_none(tmp_path: Path) -> None:
    offers = [{"tactic": f"tactic-{n}", "title": f"T{n}", "exemplars": []} for n in range(12)]
    convlog.append(
        {
            "kind": "conversation",
            "time": "2026-11-01T09:00:00Z",
            "trust": MAPLE,
            "query": "endoscopy",
            "areas": [],
            "offers": offers,
        }
    )
    writers = [
        subprocess.Popen([sys.executable, "-c", _OUTCOME_WRITER, str(tmp_path), str(n)])
        for n in range(12)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < 12 and time.monotonic() < deadline:
        time.sleep(0.01)
    (tmp_path / "go").touch()
    assert [w.wait(timeout=60) for w in writers] == [0] * 12

    log = convlog.read_log()

    assert log.problems == []
    [conversation] = log.conversations
    assert len(conversation.outcomes) == 12
    assert conversation.results == {
        f"tactic-{n}": ("adopted", "trying", "not-adopted", "did-not-work")[n % 4]
        for n in range(12)
    }
    assert conversation.open_tactics == []
