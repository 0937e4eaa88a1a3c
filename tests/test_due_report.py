"""The call list (`due`) and the outcomes report (`report`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from improvedir.content.model import Organisation
from improvedir.engine import outcomes
from improvedir.store import convlog

from .conftest import write_yaml

MAPLE = "Maple Hospitals NHS Trust"
OAK = "Oak Valley NHS Foundation Trust"
NOW = dt.datetime.now(dt.timezone.utc)
ORGS = [
    {
        "id": "maple-hospitals",
        "name": MAPLE,
        "short_names": ["MHT"],
        "type": "acute-trust",
        "region": "north-west",
    },
    {"id": "oak-valley", "name": OAK, "type": "mental-health-trust"},
]


def _stamp(days_ago: float) -> str:
    return (NOW - dt.timedelta(days=days_ago)).isoformat().replace("+00:00", "Z")


def _offer(tactic: str) -> dict[str, Any]:
    return {"tactic": tactic, "title": f"Title of {tactic}", "exemplars": []}


def _call(trust: str, days_ago: float, *tactics: str, query: str = "endoscopy") -> str:
    time = _stamp(days_ago)
    convlog.append(
        {
            "kind": "conversation",
            "time": time,
            "trust": trust,
            "query": query,
            "areas": [],
            "offers": [_offer(t) for t in tactics],
        }
    )
    return time


def _outcome(trust: str, time: str, text: str | None = None, **results: str) -> None:
    entry: dict[str, Any] = {
        "kind": "outcome",
        "time": _stamp(0),
        "trust": trust,
        "conversation": {"time": time, "trust": trust},
    }
    if text:
        entry["outcome"] = text
    if results:
        entry["results"] = [{"tactic": t, "result": r} for t, r in results.items()]
    convlog.append(entry)


@pytest.fixture
def orgs_content(content: Path) -> Path:
    write_yaml(content / "organisations.yaml", ORGS)
    return content


# --- due ---


def test_due_lists_old_calls_without_an_outcome_oldest_first(cli, orgs_content: Path) -> None:
    _call(OAK, 22, "weekend-lists")
    _call(MAPLE, 40, "weekend-lists", "list-validation")
    answered = _call("Birch NHS Trust", 50, "weekend-lists")
    _outcome("Birch NHS Trust", answered, "Started in October")
    _call("Elm NHS Trust", 5, "weekend-lists")  # too recent

    result = cli("due", "--content", str(orgs_content))

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Follow-ups due: 2 (the last call was 3 or more weeks ago and no outcome is recorded), "
        "oldest first:\n"
        "\n"
        f"{_stamp(40)[:10]}  {MAPLE}  (endoscopy, 5 weeks ago)\n"
        f'  improvedir followup "{MAPLE}"\n'
        "\n"
        f"{_stamp(22)[:10]}  {OAK}  (endoscopy, 3 weeks ago)\n"
        f'  improvedir followup "{OAK}"\n'
    )
    assert result.stderr == ""


def test_due_weeks_and_json(cli, orgs_content: Path) -> None:
    time = _call("MHT", 10, "weekend-lists")  # recorded under its short name

    three = cli("due", "--content", str(orgs_content), "-f", "json")
    one = cli("due", "--weeks", "1", "--content", str(orgs_content), "-f", "json")

    assert json.loads(three.stdout) == []
    assert json.loads(one.stdout) == [
        {
            "trust": MAPLE,
            "time": time,
            "recorded_as": "MHT",
            "query": "endoscopy",
            "days": 10,
            "weeks": 1,
            "offered": ["weekend-lists"],
            "command": f'improvedir followup "{MAPLE}"',
        }
    ]


def test_a_newer_call_replaces_the_follow_up_of_an_older_one(cli, orgs_content: Path) -> None:
    _call(MAPLE, 60, "weekend-lists")
    _call("MHT", 4, "list-validation")  # the same trust, by its short name, recently

    result = cli("due", "--content", str(orgs_content))

    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (
        "Nothing is due: no call from 3 or more weeks ago is waiting for an outcome. "
        "1 more will fall due once 3 weeks have passed.\n"
    )


def test_nothing_recorded_is_nothing_due(cli) -> None:
    result = cli("due")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (
        "Nothing is due: no conversations are recorded yet. Record one with: "
        'improvedir suggest QUERY --trust "NAME" --record\n'
    )


def test_the_printed_command_is_safe_to_paste_into_a_shell(cli, content: Path) -> None:
    _call('St "Mary" $HOME`s Trust', 30, "weekend-lists")

    [row] = json.loads(cli("due", "--content", str(content), "-f", "json").stdout)

    assert row["command"] == r'improvedir followup "St \"Mary\" \$HOME\`s Trust"'


def test_due_calls_is_a_pure_function_of_the_log_and_the_time() -> None:
    _call(MAPLE, 21, "weekend-lists")
    log = convlog.read_log()
    org = Organisation(MAPLE, id="maple", type="acute-trust")

    exactly = outcomes.due_calls(log.conversations, NOW, 3, [org])
    earlier = outcomes.due_calls(log.conversations, NOW - dt.timedelta(hours=1), 3, [org])

    assert [(d.trust.name, d.weeks) for d in exactly.due] == [(MAPLE, 3)]
    assert (earlier.due, earlier.not_yet, earlier.trusts) == ([], 1, 1)


# --- report ---


def _report_log() -> None:
    a = _call(MAPLE, 70, "weekend-lists", "list-validation", "sms-reminders")
    _outcome(MAPLE, a, **{"weekend-lists": "adopted", "list-validation": "did-not-work"})
    b = _call(OAK, 40, "weekend-lists", "list-validation")
    _outcome(OAK, b, "Board approved weekend lists", **{"weekend-lists": "trying"})
    _outcome(OAK, b, **{"list-validation": "not-adopted"})
    c = _call("MHT", 10, "weekend-lists")  # Maple again, by its short name
    _outcome("MHT", c, **{"weekend-lists": "adopted"})
    _call("Birch NHS Trust", 3, "sms-reminders", "weekend-lists")


def test_report_counts_each_tactic_and_lists_what_is_open(cli, orgs_content: Path) -> None:
    _report_log()

    result = cli("report", "--content", str(orgs_content))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Tactics offered: 4 calls with 3 trusts",
        "Tactic                    Offered  Adopted  Trying  Worked  Did not work  Not adopted  No result yet",
        "Title of weekend-lists          4        2       1       2             0            0              1",
        "Title of list-validation        2        1       0       0             1            1              0",
        "Title of sms-reminders          2        0       0       0             0            0              2",
        "Each call that offered a tactic counts once. Adopted counts every trust that took it up; "
        "it worked unless they reported it did not.",
        "",
        "Still open (offered, no result yet), oldest call first:",
        "",
        f"{MAPLE} (last offered {_stamp(70)[:10]})",
        "  - Title of sms-reminders (sms-reminders)",
        "",
        f"Birch NHS Trust (last offered {_stamp(3)[:10]})",
        "  - Title of sms-reminders (sms-reminders)",
        "  - Title of weekend-lists (weekend-lists)",
    ]


def test_report_json_and_since(cli, orgs_content: Path) -> None:
    _report_log()

    data = json.loads(
        cli(
            "report", "--since", _stamp(45)[:10], "--content", str(orgs_content), "-f", "json"
        ).stdout
    )

    assert (data["since"], data["conversations"], data["trusts"]) == (_stamp(45)[:10], 3, 3)
    assert data["tactics"][0] == {
        "tactic": "weekend-lists",
        "title": "Title of weekend-lists",
        "offered": 3,
        "adopted": 1,
        "trying": 1,
        "worked": 1,
        "did_not_work": 0,
        "not_adopted": 0,
        "open": 1,
    }
    assert [(o["trust"], [t["tactic"] for t in o["tactics"]], o["note"]) for o in data["open"]] == [
        ("Birch NHS Trust", ["sms-reminders", "weekend-lists"], None)
    ]


def test_report_markdown_is_a_table_for_a_board_paper(cli, content: Path) -> None:
    time = _call("Birch NHS Trust", 30, "weekend-lists")
    _outcome("Birch NHS Trust", time, **{"weekend-lists": "adopted"})
    _call("Pipe | Hospitals NHS Trust", 30, "weekend-lists")

    result = cli("report", "--content", str(content), "-f", "markdown")

    assert result.stdout == (
        "## Improvement tactics offered to trusts\n"
        "\n"
        "2 calls with 2 trusts.\n"
        "\n"
        "| Tactic | Offered | Adopted | Trying | Worked | Did not work | Not adopted | No result yet |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        "| Title of weekend-lists | 2 | 1 | 0 | 1 | 0 | 0 | 1 |\n"
        "\n"
        "Each call that offered a tactic counts once. Adopted counts every trust that took it up; "
        "it worked unless they reported it did not.\n"
        "\n"
        "## Still open\n"
        "\n"
        "| Trust | Last offered | Tactics with no result yet |\n"
        "| --- | --- | --- |\n"
        f"| Pipe \\| Hospitals NHS Trust | {_stamp(30)[:10]} | Title of weekend-lists |\n"
    )


def test_a_report_with_nothing_recorded_says_so(cli) -> None:
    text = cli("report")
    data = cli("report", "-f", "json")

    assert (text.exit_code, text.stdout, text.stderr) == (0, "", "No conversations recorded yet.\n")
    assert json.loads(data.stdout)["tactics"] == []


def test_report_rejects_a_bad_since(cli) -> None:
    result = cli("report", "--since", "last month")
    assert result.exit_code == 2
    assert "--since must be a date as YYYY-MM-DD" in result.stderr
