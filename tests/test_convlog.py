"""The conversation log: record, log, followup, outcomes, damage and concurrent writers."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from improvedir.content.model import Area, Contact, Exemplar, Organisation, Tactic
from improvedir.engine import followup
from improvedir.engine import plan as script
from improvedir.store import convlog

from .conftest import CONSENT, exemplar, make_content, tactic, write_yaml

RED = "Rose Hospitals NHS Trust"  # the trust called; it has no exemplar of its own
ORG_RED = "Red Hospitals NHS Trust"

FOLLOW_UP = """\
Follow-up: Endoscopy - Rose Hospitals NHS Trust

Follow-up call
"Hello Rose Hospitals NHS Trust team, when we last spoke about endoscopy, we talked about a few ideas and teams who could help. How did it go?"

A. Validate the endoscopy waiting list
   "How did it go with Blue Health Board, Green NHS Foundation Trust or Red Hospitals NHS Trust? Do you need any help to use their suggestions?"
B. Run weekend endoscopy lists
   "How did it go with Green NHS Foundation Trust, Red Hospitals NHS Trust or White Hospitals NHS Trust? Do you need any help to use their suggestions?"

"Is there anything getting in the way that I can help with, or anyone else it would help to talk to?"
"""

# What followup says on stderr after the script: how to record a result per tactic.
RECORD_HINT = (
    f'To record how it went: improvedir followup "{RED}" --tactic A '
    "--result adopted|trying|not-adopted|did-not-work "
    "(per tactic; A = list-validation, B = weekend-lists)"
)


def _logged(ident: str, org: str) -> dict[str, Any]:
    """An exemplar as the log holds it for the conftest content: named contact, no email."""
    return {
        "id": ident,
        "organisation": org,
        "contacts": [{"name": "Pat Example", "role": "Lead"}],
        "sources": [{"title": "Case study", "url": f"https://example.org/case/{ident}"}],
    }


# Red's own exemplars (red-validation, red-weekend) are never offered back to Red.
RED_OFFERS = [
    {
        "tactic": "list-validation",
        "title": "Validate the endoscopy waiting list",
        "exemplars": [
            _logged("blue-validation", "Blue Health Board"),
            _logged("green-weekend", "Green NHS Foundation Trust"),
            _logged("red-validation", "Red Hospitals NHS Trust"),
        ],
    },
    {
        "tactic": "weekend-lists",
        "title": "Run weekend endoscopy lists",
        "exemplars": [
            _logged("green-weekend", "Green NHS Foundation Trust"),
            _logged("red-weekend", "Red Hospitals NHS Trust"),
            _logged("white-weekend", "White Hospitals NHS Trust"),
        ],
    },
]


def _log_file() -> Path:
    return Path(os.environ["IMPROVEDIR_HOME"]) / "data" / "conversations.jsonl"


def _entries() -> list[dict[str, Any]]:
    return [json.loads(line) for line in _log_file().read_text(encoding="utf-8").splitlines()]


def _record(cli, content: Path, trust: str = RED, *extra: str):
    result = cli(
        "suggest", "endoscopy", "--content", str(content), "--trust", trust, "--record", *extra
    )
    assert result.exit_code == 0, result.output
    return result


def _when(entry: dict[str, Any]) -> str:
    return followup.parse_time(entry["time"]).strftime("%Y-%m-%d %H:%M")


def _conversation(trust: str, time: str, query: str = "endoscopy") -> dict[str, Any]:
    return {
        "kind": "conversation",
        "time": time,
        "trust": trust,
        "query": query,
        "areas": [{"id": "endoscopy", "name": "Endoscopy"}],
        "offers": [],
    }


# --- record ---


def test_record_appends_exactly_what_was_offered(cli, content: Path) -> None:
    result = _record(cli, content)

    assert result.stderr == f"Recorded the conversation with {RED} in {_log_file()}.\n"
    [entry] = _entries()
    stamp = entry.pop("time")
    assert stamp.endswith("Z") and followup.parse_time(stamp).year >= 2024
    assert entry == {
        "version": 2,
        "kind": "conversation",
        "trust": RED,
        "query": "endoscopy",
        "areas": [{"id": "endoscopy", "name": "Endoscopy"}],
        "offers": RED_OFFERS,
    }
    assert not list(content.rglob("*.jsonl"))  # never inside the content repo
    if os.name == "posix":
        assert stat.S_IMODE(_log_file().stat().st_mode) == 0o600


def test_record_keeps_only_the_contacts_the_script_showed(cli, tmp_path: Path) -> None:
    content = make_content(
        tmp_path,
        tactics=[tactic("weekend-lists", title="Run weekend endoscopy lists")],
        exemplars=[
            exemplar(
                "red-weekend",
                ["weekend-lists"],
                ORG_RED,
                contacts=[
                    {
                        "name": "Pat Example",
                        "role": "Lead",
                        "email": "pat@example.org",
                        "consent": CONSENT,
                    },
                    {"name": "Sam Example", "email": "sam@example.org"},  # no consent: hidden
                ],
                sources=[
                    {"title": f"Source {n}", "url": f"https://example.org/{n}", "kind": "news"}
                    for n in range(3)
                ],
            ),
            exemplar(
                "white-weekend",
                ["weekend-lists"],
                "White Hospitals NHS Trust",
                contacts=[{"name": "Sam Example", "email": "sam@example.org"}],
            ),
        ],
    )
    _record(cli, content, "Blue Health Board")

    [entry] = _entries()
    assert entry["offers"][0]["exemplars"] == [
        {
            "id": "red-weekend",
            "organisation": ORG_RED,
            "contacts": [{"name": "Pat Example", "role": "Lead", "email": "pat@example.org"}],
            "sources": [
                {"title": "Source 0", "url": "https://example.org/0"},
                {"title": "Source 1", "url": "https://example.org/1"},
            ],
        },
        {
            "id": "white-weekend",
            "organisation": "White Hospitals NHS Trust",
            "contacts": [{"name": "Sam Example"}],
            "sources": [{"title": "Case study", "url": "https://example.org/case/white-weekend"}],
        },
    ]


def test_a_plan_without_a_trust_is_not_recorded() -> None:
    plan = script.Plan("endoscopy", [], [], trust="  ")
    with pytest.raises(convlog.LogError, match="^a conversation is recorded against a trust"):
        convlog.record_offer(plan)
    assert not _log_file().exists()


# --- log ---


def test_log_lists_conversations_newest_first_as_text(cli, content: Path) -> None:
    _record(cli, content)
    _record(cli, content, "White Hospitals NHS Trust", "--tactics", "1")
    red, white = _entries()

    result = cli("log")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "time (UTC)        trust                      query      offered                                                           outcome",
        f"{_when(white)}  White Hospitals NHS Trust  endoscopy  Validate the endoscopy waiting list",
        f"{_when(red)}  Rose Hospitals NHS Trust   endoscopy  Validate the endoscopy waiting list; Run weekend endoscopy lists",
    ]
    assert result.stderr == ""


def test_log_json_holds_each_conversation_as_logged(cli, content: Path) -> None:
    _record(cli, content)
    [entry] = _entries()

    result = cli("log", "--format", "json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {
            "time": entry["time"],
            "trust": RED,
            "query": "endoscopy",
            "areas": [{"id": "endoscopy", "name": "Endoscopy"}],
            "offers": RED_OFFERS,
            "outcome": None,
            "results": [],
            "outcomes": [],
        }
    ]


def test_log_filters_by_trust_and_date(cli) -> None:
    convlog.append(_conversation(RED, "2026-10-01T09:00:00Z"))
    convlog.append(_conversation("White Hospitals NHS Trust", "2026-11-20T09:00:00Z"))
    convlog.append(_conversation(RED, "2026-11-21T09:00:00Z", query="DM01"))

    since = cli("log", "--since", "2026-11-01", "--format", "json")
    red = cli("log", "--trust", "rose hospitals", "--format", "json")
    both = cli("log", "--trust", "ROSE", "--since", "2026-11-21", "--format", "json")

    assert [(c["trust"], c["time"]) for c in json.loads(since.stdout)] == [
        (RED, "2026-11-21T09:00:00Z"),
        ("White Hospitals NHS Trust", "2026-11-20T09:00:00Z"),
    ]
    assert [c["query"] for c in json.loads(red.stdout)] == ["DM01", "endoscopy"]
    assert [c["time"] for c in json.loads(both.stdout)] == ["2026-11-21T09:00:00Z"]
    assert both.stderr == f"Showing conversations with '{RED}' (you typed 'ROSE').\n"


@pytest.mark.parametrize("since", ["2026-13-01", "01/11/2026", "20261101", "yesterday"])
def test_a_bad_since_is_a_usage_error(cli, since: str) -> None:
    result = cli("log", "--since", since)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: --since must be a date as YYYY-MM-DD, e.g. 2026-11-01; got '{since}'.\n"
    )


def test_an_empty_log_says_so(cli) -> None:
    result = cli("log")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "No conversations recorded yet.\n",
    )


# --- followup ---


def test_followup_names_what_was_offered_not_what_a_search_finds_now(cli, content: Path) -> None:
    _record(cli, content)
    [entry] = _entries()
    # A newer, reachable exemplar would now be chosen first by `suggest`.
    write_yaml(
        content / "exemplars" / "amber-weekend.yaml",
        exemplar(
            "amber-weekend",
            ["weekend-lists", "list-validation"],
            "Amber NHS Trust",
            contacts=[{"name": "Al", "email": "al@example.org", "consent": CONSENT}],
            last_verified="2026-11-20",
        ),
    )
    fresh = cli("suggest", "endoscopy", "--content", str(content), "--trust", RED, "--follow-up")
    assert "Amber NHS Trust" in fresh.stdout  # so the next assertion can fail

    result = cli("followup", RED, "--content", str(content))

    assert result.exit_code == 0, result.output
    assert result.stdout == FOLLOW_UP
    assert result.stderr.splitlines() == [
        f"From the conversation with {RED} on {_when(entry)} UTC.",
        RECORD_HINT,
    ]


@pytest.mark.parametrize("fmt", ["text", "markdown", "email"])
def test_followup_words_the_script_as_suggest_does(cli, content: Path, fmt: str) -> None:
    _record(cli, content)
    same = cli(
        "suggest", "endoscopy", "--content", str(content), "--trust", RED, "--follow-up", "-f", fmt
    )

    result = cli("followup", "rose", "--content", str(content), "--format", fmt)

    assert result.exit_code == 0, result.output
    assert result.stdout == same.stdout


def test_followup_json(cli, content: Path) -> None:
    _record(cli, content)
    [entry] = _entries()

    data = json.loads(cli("followup", RED, "--content", str(content), "-f", "json").stdout)

    assert data["follow_up"] is True
    assert data["trust"] == RED
    assert data["conversation"] == {"time": entry["time"], "trust": RED}
    assert data["outcome"] is None
    assert data["changes"] == []
    assert [
        (t["id"], t["title"], [e["organisation"] for e in t["exemplars"]]) for t in data["tactics"]
    ] == [
        (
            "list-validation",
            "Validate the endoscopy waiting list",
            ["Blue Health Board", "Green NHS Foundation Trust", ORG_RED],
        ),
        (
            "weekend-lists",
            "Run weekend endoscopy lists",
            ["Green NHS Foundation Trust", ORG_RED, "White Hospitals NHS Trust"],
        ),
    ]


@pytest.mark.parametrize(
    "typed",
    [
        "Rose Hospitals NHS Trust",
        "rose   hospitals nhs trust",
        "Rose Hospitals NHS Foundation Trust",
        "Rose Hospitals",
        "Rose Hosptals",
        "Rose Hospitals NHS Trsut",
        "rose",
    ],
)
def test_followup_matches_the_trust_forgivingly(cli, content: Path, typed: str) -> None:
    _record(cli, content)
    _record(cli, content, "White Hospitals NHS Trust", "--tactics", "1")

    result = cli("followup", typed, "--content", str(content), "-f", "json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["conversation"]["trust"] == RED


def test_followup_uses_the_latest_conversation_with_the_trust(cli, content: Path) -> None:
    convlog.append(_conversation(RED, "2026-11-21T09:00:00Z", query="newer"))
    convlog.append(_conversation("rose hospitals nhs foundation trust", "2026-10-01T09:00:00Z"))

    result = cli("followup", "Rose Hospitals", "--content", str(content), "-f", "json")

    assert json.loads(result.stdout)["query"] == "newer"


def test_an_ambiguous_trust_lists_the_candidates(cli, content: Path) -> None:
    _record(cli, content)
    _record(cli, content, "Ross Hospitals NHS Trust")
    before = _log_file().read_bytes()

    result = cli("followup", "Ros Hospitals", "--content", str(content))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: 'Ros Hospitals' could be more than one trust in the log:\n"
        "  Rose Hospitals NHS Trust\n"
        "  Ross Hospitals NHS Trust\n"
        "Give more of the name.\n"
    )
    assert _log_file().read_bytes() == before


def test_no_conversation_with_the_trust(cli, content: Path) -> None:
    _record(cli, content)

    result = cli("followup", "Maple Hospitals NHS Trust", "--content", str(content))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: no conversation with 'Maple Hospitals NHS Trust' is recorded (in {_log_file()}).\n"
    )


def test_no_conversations_at_all(cli, content: Path) -> None:
    result = cli("followup", RED, "--content", str(content))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no conversations are recorded yet (in {_log_file()}). Record one with: "
        'improvedir suggest QUERY --trust "NAME" --record\n'
    )


def test_followup_reports_a_removed_exemplar(cli, content: Path) -> None:
    _record(cli, content)
    [entry] = _entries()
    (content / "exemplars" / "white-weekend.yaml").unlink()

    text = cli("followup", RED, "--content", str(content))
    data = json.loads(cli("followup", RED, "--content", str(content), "-f", "json").stdout)

    assert text.exit_code == 0, text.output
    assert text.stdout == FOLLOW_UP  # still names who was offered
    message = (
        "White Hospitals NHS Trust (white-weekend), offered for 'Run weekend endoscopy lists', "
        "has since been removed from the directory."
    )
    assert text.stderr.splitlines() == [
        f"From the conversation with {RED} on {_when(entry)} UTC.",
        "Changed in the directory since that call:",
        f"- {message}",
        RECORD_HINT,
    ]
    assert data["changes"] == [
        {"kind": "exemplar-removed", "id": "white-weekend", "message": message}
    ]


def test_followup_reports_a_changed_organisation_and_contacts(cli, content: Path) -> None:
    _record(cli, content)
    write_yaml(
        content / "exemplars" / "white-weekend.yaml",
        exemplar(
            "white-weekend",
            ["weekend-lists"],
            "White Valley NHS Trust",
            contacts=[{"name": "Jo Example", "email": "jo@example.org", "consent": CONSENT}],
        ),
    )

    data = json.loads(cli("followup", RED, "--content", str(content), "-f", "json").stdout)

    assert data["changes"] == [
        {
            "kind": "organisation-changed",
            "id": "white-weekend",
            "message": "White Hospitals NHS Trust (white-weekend) is now listed as "
            "White Valley NHS Trust.",
        },
        {
            "kind": "contacts-changed",
            "id": "white-weekend",
            "message": "The contacts for White Valley NHS Trust (white-weekend) have changed: "
            "offered Pat Example, Lead; now Jo Example <jo@example.org>.",
        },
    ]


# --- outcome ---


def test_an_outcome_is_a_new_entry_and_shows_in_the_log(cli, content: Path) -> None:
    _record(cli, content)
    first_line = _log_file().read_bytes()

    result = cli("followup", "rose hospitals", "--outcome", "Trying weekend lists")
    [conversation, outcome] = _entries()

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Recorded the outcome of the conversation with {RED} on {_when(conversation)} UTC: "
        "Trying weekend lists\n"
    )
    assert _log_file().read_bytes().startswith(first_line)  # the old line is untouched
    assert outcome.pop("time").endswith("Z")
    assert outcome == {
        "version": 2,
        "kind": "outcome",
        "trust": RED,
        "conversation": {"time": conversation["time"], "trust": RED},
        "outcome": "Trying weekend lists",
    }
    log = cli("log")
    assert log.stdout.splitlines()[1] == (
        f"{_when(conversation)}  {RED}  endoscopy  Validate the endoscopy waiting list; "
        "Run weekend endoscopy lists  Trying weekend lists"
    )


def test_the_latest_outcome_wins(cli, content: Path) -> None:
    _record(cli, content)
    cli("followup", RED, "--outcome", "Will try")
    cli("followup", RED, "--outcome", "Weekend lists started")

    [row] = json.loads(cli("log", "-f", "json").stdout)
    data = json.loads(cli("followup", RED, "--content", str(content), "-f", "json").stdout)

    assert row["outcome"] == "Weekend lists started"
    assert [o["outcome"] for o in row["outcomes"]] == ["Will try", "Weekend lists started"]
    assert data["outcome"] == "Weekend lists started"


def test_an_empty_outcome_is_refused(cli, content: Path) -> None:
    _record(cli, content)
    before = _log_file().read_bytes()

    result = cli("followup", RED, "--outcome", "  \n ")

    assert result.exit_code == 2
    assert result.stderr == (
        'Error: --outcome is empty; say how it went, e.g. --outcome "Trying weekend lists".\n'
    )
    assert _log_file().read_bytes() == before


# --- damage ---


def test_a_corrupt_line_is_reported_skipped_and_kept(cli, content: Path) -> None:
    _record(cli, content)
    _record(cli, content, "White Hospitals NHS Trust", "--tactics", "1")
    red, white = _log_file().read_bytes().splitlines(keepends=True)
    _log_file().write_bytes(red + b"this is not json\n" + white)
    before = _log_file().read_bytes()

    log = cli("log", "-f", "json")
    follow = cli("followup", "white", "--content", str(content), "-f", "json")

    expected = f"{_log_file()}:2: skipped corrupt entry (not JSON: Expecting value at column 1)"
    assert log.exit_code == 0
    assert [c["trust"] for c in json.loads(log.stdout)] == ["White Hospitals NHS Trust", RED]
    assert log.stderr.splitlines() == [expected]
    assert follow.exit_code == 0
    assert follow.stderr.splitlines()[0] == expected
    assert _log_file().read_bytes() == before


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"[1, 2]", "not a JSON object"),
        (b'{"version": 3, "trust": "X"}', "version 3 is newer than this improvedir reads (2)"),
        (b'{"trust": "X"}', "version is null, expected 1 or 2"),
        (b'{"version": 1, "kind": "memo"}', 'unknown kind "memo"'),
        (b'{"version": 1, "time": "2026-11-01T09:00:00Z", "trust": "X"}', "missing 'areas'"),
        (
            b'{"version": 1, "time": "soon", "trust": "X", "areas": [], "offers": []}',
            "'time' is not an ISO 8601 time",
        ),
        (
            b'{"version": 1, "time": "2026-11-01T09:00:00Z", "trust": " ", "areas": [], '
            b'"offers": []}',
            "'trust' is not text",
        ),
        (
            b'{"version": 1, "time": "2026-11-01T09:00:00Z", "trust": "X", "areas": [], '
            b'"offers": [{"tactic": "t", "title": "T", "exemplars": [{"id": "e"}]}]}',
            "missing 'offers[].exemplars[].organisation'",
        ),
        (b'{"version": 1, "kind": "outcome", "outcome": "ok"}', "missing 'conversation'"),
        (b'{"version": 1, "trust": "Caf\xe9"}', "not UTF-8 at byte 29"),
    ],
)
def test_why_a_line_is_unreadable(line: bytes, reason: str) -> None:
    good = json.dumps(_conversation(RED, "2026-11-01T09:00:00Z") | {"version": 1}).encode()
    log = convlog.parse_log(good + b"\n\n" + line + b"\n", Path("log.jsonl"))

    assert log.problems == [convlog.Problem(Path("log.jsonl"), 3, reason)]
    assert [(c.trust, c.line) for c in log.conversations] == [(RED, 1)]


def test_an_append_after_a_torn_line_starts_a_new_line() -> None:
    convlog.append(_conversation(RED, "2026-11-01T09:00:00Z"))
    with open(_log_file(), "ab") as f:
        f.write(b'{"version": 1, "kind": "conv')  # a writer that crashed mid-line

    convlog.append(_conversation("White Hospitals NHS Trust", "2026-11-02T09:00:00Z"))
    log = convlog.read_log()

    assert [c.trust for c in log.conversations] == [RED, "White Hospitals NHS Trust"]
    assert [(p.line, p.reason) for p in log.problems] == [
        (2, "not JSON: Unterminated string starting at at column 24")
    ]


_WRITER = """
import sys, time
from pathlib import Path
from improvedir.store import convlog
folder, n = Path(sys.argv[1]), int(sys.argv[2])
(folder / f"ready-{n}").touch()
while not (folder / "go").exists():
    time.sleep(0.001)
convlog.append({"kind": "conversation", "time": "2026-11-26T10:00:00Z",
                "trust": f"Trust {n}", "query": str(n) * 100_000, "areas": [], "offers": []})
"""


def test_twenty_processes_appending_at_once_lose_no_line(tmp_path: Path) -> None:
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), str(n)]) for n in range(20)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < 20 and time.monotonic() < deadline:
        time.sleep(0.01)
    (tmp_path / "go").touch()  # all at once, so their writes overlap
    assert [w.wait(timeout=60) for w in writers] == [0] * 20

    lines = _log_file().read_bytes().split(b"\n")
    entries = [json.loads(line) for line in lines[:-1]]
    assert lines[-1] == b""
    assert len(entries) == 20
    assert sorted(e["trust"] for e in entries) == sorted(f"Trust {n}" for n in range(20))
    assert all(e["query"] == e["trust"][6:] * 100_000 for e in entries)
    assert convlog.read_log().problems == []


# --- the library pieces ---


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("red hospitals", [ORG_RED]),
        ("Red", [ORG_RED, "Red Valley NHS Trust"]),  # a leading word shared by two
        ("Red Valley", ["Red Valley NHS Trust"]),
        ("Blue Helth Board", ["Blue Health Board"]),
        # one edit from Red, two from Reed: close enough to both that a person should choose
        ("Red Hosptals", [ORG_RED, "Reed Hospitals NHS Trust"]),
        ("Rd Hospitals", [ORG_RED, "Reed Hospitals NHS Trust"]),
        ("Maple", []),
        ("   ", []),
    ],
)
def test_match_trust(typed: str, expected: list[str]) -> None:
    trusts = [ORG_RED, "Reed Hospitals NHS Trust", "Red Valley NHS Trust", "Blue Health Board"]
    assert followup.match_trust(typed, trusts) == expected


def test_plan_from_a_conversation_rebuilds_what_was_offered() -> None:
    entry = _conversation(RED, "2026-11-01T09:00:00Z") | {"version": 1, "offers": RED_OFFERS[:1]}
    [conversation] = convlog.parse_log(json.dumps(entry).encode(), Path("x")).conversations

    plan = followup.plan_from(conversation)

    pat = Contact("Pat Example", "Lead")
    assert plan.trust == RED
    assert plan.areas == [Area("endoscopy", "Endoscopy", "")]
    assert [o.tactic for o in plan.offers] == [
        Tactic("list-validation", "Validate the endoscopy waiting list", "", (), "")
    ]
    assert plan.offers[0].exemplars[0] == Exemplar(
        "blue-validation",
        ("list-validation",),
        Organisation("Blue Health Board"),
        "",
        "",
        "",
        contacts=(pat,),
        sources=conversation.offers[0].exemplars[0].sources,
    )
    assert plan.offers[0].shortfall == 0


def test_a_recorded_script_points_to_followup(cli, content):
    result = cli(
        "suggest",
        "endoscopy",
        "--content",
        str(content),
        "--trust",
        "Red Hospitals NHS Trust",
        "--record",
    )
    assert result.exit_code == 0
    assert 'For that next call: improvedir followup "Red Hospitals NHS Trust"' in result.stdout
