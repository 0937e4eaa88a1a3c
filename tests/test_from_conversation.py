"""new exemplar --from-conversation: a draft from a recorded follow-up result."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from improvedir.content.validate import load_directory
from improvedir.store import convlog

from .conftest import covered_content, write_yaml

MAPLE = "Maple Hospitals NHS Trust"
RED = "Red Hospitals NHS Trust"
ORGS = [
    {
        "id": "maple-hospitals",
        "name": MAPLE,
        "ods_code": "ZZ9",
        "short_names": ["MHT"],
        "type": "acute-trust",
    },
    {"id": "red-hospitals", "name": RED, "short_names": ["RHT"], "type": "acute-trust"},
]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    content = covered_content(tmp_path)
    write_yaml(content / "organisations.yaml", ORGS)
    return tmp_path


def _call(cli, trust: str = "MHT", *results: str, text: str | None = None) -> None:
    """Record a call with ``trust`` and then its results, as a manager would."""
    recorded = cli("suggest", "endoscopy", "--trust", trust, "--record")
    assert recorded.exit_code == 0, recorded.output
    if results or text:
        args = []
        for tactic, result in zip(results[::2], results[1::2], strict=True):
            args += ["--tactic", tactic, "--result", result]
        if text:
            args += ["--outcome", text]
        said = cli("followup", trust, *args)
        assert said.exit_code == 0, said.output


def _problems(content: Path) -> list[tuple[str, str, str]]:
    return [
        (Path(d.path).name, d.rule, d.message.split(" ", 1)[0])
        for d in load_directory(content).diagnostics
    ]


def _draft(here: Path, name: str) -> dict:
    return yaml.safe_load((here / "content" / "exemplars" / name).read_text(encoding="utf-8"))


def test_an_adopted_tactic_drafts_an_exemplar_failing_only_on_its_source(cli, here) -> None:
    _call(cli, "MHT", "weekend-lists", "adopted", text="Two weekend lists a month since May")

    result = cli("new", "exemplar", "--from-conversation", "MHT", "--tactic", "weekend-lists")

    name = "maple-hospitals-weekend-lists.yaml"
    assert result.exit_code == 0, result.output
    assert result.stdout == f"content/exemplars/{name}\n"
    assert _problems(here / "content") == [
        (name, "todo-placeholder", "sources[0].title"),
        (name, "todo-placeholder", "sources[0].url"),
        (name, "url-scheme", "sources[0].url"),
        (name, "schema-enum", "sources[0].kind"),
        (name, "todo-placeholder", "sources[0].kind"),
    ]
    data = _draft(here, name)
    called = convlog.read_log().conversations[0].when.date().isoformat()
    assert data == {
        "id": "maple-hospitals-weekend-lists",
        "tactics": ["weekend-lists"],
        "organisation": {"name": MAPLE, "ods_code": "ZZ9"},
        "summary": f"Took up 'Run weekend endoscopy lists' after a performance conversation "
        f"on {called}.",
        "outcome": "As reported on a follow-up call: Two weekend lists a month since May",
        "result": "reported",
        "contacts": [],
        "sources": [
            {
                "title": "TODO: the page's title as published",
                "url": "TODO: the page's address, starting with https://",
                "kind": "TODO: peer-reviewed, national-body, organisation, sector-body, news or vendor",
            }
        ],
        "last_verified": dt.date.today().isoformat(),
    }


def test_a_tactic_being_tried_is_planned(cli, here) -> None:
    _call(cli, MAPLE, "B", "trying", text="First list booked for January")  # B: weekend-lists

    result = cli("new", "exemplar", "--from-conversation", "maple", "--tactic", "weekend-lists")

    assert result.exit_code == 0, result.output
    data = _draft(here, "maple-hospitals-weekend-lists.yaml")
    assert data["result"] == "planned"
    assert "outcome" not in data and "worked" not in data
    assert data["summary"].endswith(": First list booked for January")


def test_a_tactic_that_did_not_work_drafts_its_lessons(cli, here) -> None:
    _call(cli, "MHT", "list-validation", "did-not-work", text="Validation stalled: no admin time")

    result = cli("new", "exemplar", "--from-conversation", "MHT", "--tactic", "list-validation")

    assert result.exit_code == 0, result.output
    name = "maple-hospitals-list-validation.yaml"
    data = _draft(here, name)
    assert (data["worked"], data["lessons"], data["result"]) == (
        "no",
        "Validation stalled: no admin time",
        "reported",
    )
    assert {p[1] for p in _problems(here / "content")} == {
        "todo-placeholder",
        "url-scheme",
        "schema-enum",
    }


def test_it_never_overwrites_a_file(cli, here) -> None:
    _call(cli, "MHT", "weekend-lists", "adopted", text="Going well")
    target = here / "content" / "exemplars" / "maple-hospitals-weekend-lists.yaml"
    target.write_text("# someone's work in progress\n", encoding="utf-8")

    result = cli("new", "exemplar", "--from-conversation", "MHT", "--tactic", "weekend-lists")
    forced = cli(
        "new", "exemplar", "--from-conversation", "MHT", "--tactic", "weekend-lists", "--force"
    )

    assert (result.exit_code, result.stdout) == (1, f"{target.relative_to(here)}\n")
    assert "already exists" in result.stderr
    assert forced.exit_code == 2
    assert target.read_text(encoding="utf-8") == "# someone's work in progress\n"


def test_a_trust_that_already_backs_the_tactic_is_pointed_to_its_file(cli, here) -> None:
    # Recorded under its short name; its exemplar names it in full.
    convlog.append(
        {
            "kind": "conversation",
            "time": "2026-10-01T09:00:00Z",
            "trust": "RHT",
            "query": "endoscopy",
            "areas": [],
            "offers": [{"tactic": "weekend-lists", "title": "Run weekend lists", "exemplars": []}],
        }
    )
    cli("followup", "RHT", "--tactic", "weekend-lists", "--result", "adopted")
    before = sorted(p.name for p in (here / "content" / "exemplars").iterdir())

    result = cli("new", "exemplar", "--from-conversation", "RHT", "--tactic", "weekend-lists")

    assert (result.exit_code, result.stdout) == (1, "content/exemplars/red-weekend.yaml\n")
    assert result.stderr.splitlines()[-1] == (
        f"Error: {RED} already has an exemplar for 'weekend-lists': "
        "content/exemplars/red-weekend.yaml"
    )
    assert sorted(p.name for p in (here / "content" / "exemplars").iterdir()) == before


@pytest.mark.parametrize(
    ("results", "tactic", "message"),
    [
        (
            ("weekend-lists", "not-adopted"),
            "weekend-lists",
            f"Error: {MAPLE} did not adopt 'weekend-lists' (recorded not-adopted); an exemplar "
            "is an organisation that tried it",
        ),
        (
            (),
            "weekend-lists",
            f"Error: no result is recorded for 'weekend-lists' with {MAPLE}; record it first: "
            f'improvedir followup "{MAPLE}" --tactic weekend-lists --result adopted',
        ),
        (
            ("weekend-lists", "adopted"),
            "weekend-list",
            f"Error: 'weekend-list' was never offered to {MAPLE} (did you mean "
            "'weekend-lists'?). Offered: list-validation, weekend-lists.",
        ),
    ],
)
def test_what_cannot_be_drafted_exits_1_and_says_why(cli, here, results, tactic, message) -> None:
    _call(cli, "MHT", *results, text="Noted" if results else None)
    before = sorted(p.name for p in (here / "content" / "exemplars").iterdir())

    result = cli("new", "exemplar", "--from-conversation", "MHT", "--tactic", tactic)

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines()[-1] == message
    assert sorted(p.name for p in (here / "content" / "exemplars").iterdir()) == before


@pytest.mark.parametrize(
    "args",
    [
        ["--tactic", "weekend-lists"],
        ["--tactic", "weekend-lists", "--org", "X NHS Trust", "--from-conversation", "MHT"],
    ],
)
def test_org_or_from_conversation_is_a_usage_error_otherwise(cli, here, args) -> None:
    result = cli("new", "exemplar", *args)
    assert result.exit_code == 2
    assert result.stderr == "Error: give either --org NAME or --from-conversation TRUST.\n"
