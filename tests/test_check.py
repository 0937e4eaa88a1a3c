"""check and gaps: the three-organisation rule, its warnings and every report format."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from improvedir.content.validate import load_directory
from improvedir.engine import coverage
from improvedir.render import reports

from .conftest import AREAS, CONSENT, covered_content, exemplar, make_content, tactic

NO_MATERNITY = [a for a in AREAS if a["id"] != "maternity"]

TODAY = dt.date(2026, 11, 26)
CONSENTED = [{"name": "Pat Example", "email": "pat@example.org", "consent": CONSENT}]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work inside tmp_path so reported paths read content/... as in a checkout."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _ex(ident: str, tactics: list[str], org: str, **over) -> dict:
    """An exemplar with no warnings today: verified now, with a consented contact."""
    over.setdefault("contacts", CONSENTED)
    over.setdefault("last_verified", dt.date.today().isoformat())
    return exemplar(ident, tactics, org, **over)


def _clean(root: Path) -> Path:
    """Every tactic covered, every exemplar fresh and reachable, no empty area."""
    return make_content(
        root,
        tactics=[
            tactic("weekend-lists"),
            tactic("mat-checks", areas=["maternity"]),
        ],
        exemplars=[
            _ex("red-weekend", ["weekend-lists", "mat-checks"], "Red Hospitals NHS Trust"),
            _ex("white-weekend", ["weekend-lists", "mat-checks"], "White NHS Foundation Trust"),
            _ex("blue-weekend", ["weekend-lists", "mat-checks"], "Blue Health Board"),
        ],
    )


def _short(root: Path) -> Path:
    """weekend-lists: 3 exemplars, but two come from one trust written two ways."""
    return make_content(
        root,
        tactics=[tactic("weekend-lists"), tactic("mat-checks", areas=["maternity"])],
        exemplars=[
            _ex("red-a", ["weekend-lists"], "Red Hospitals NHS Trust"),
            _ex("red-b", ["weekend-lists"], "red  hospitals NHS foundation trust"),
            _ex("white", ["weekend-lists"], "White Hospitals NHS Trust"),
        ],
    )


def _directory(content: Path):
    loaded = load_directory(content)
    assert loaded.diagnostics == []
    return loaded.directory


# --- the rule, as data ---------------------------------------------------------------


def test_covered_tactics_pass(tmp_path: Path) -> None:
    result = coverage.check(_directory(_clean(tmp_path)), today=TODAY)
    assert [(t.id, t.exemplars, t.organisations, t.covered) for t in result.tactics] == [
        ("mat-checks", 3, 3, True),
        ("weekend-lists", 3, 3, True),
    ]
    assert result.warnings == []
    assert result.passed(strict=True) is True


def test_short_tactic_and_one_organisation_counted_once(tmp_path: Path) -> None:
    result = coverage.check(_directory(_short(tmp_path)), today=TODAY)
    weekend = next(t for t in result.tactics if t.id == "weekend-lists")
    assert (weekend.exemplars, weekend.organisations, weekend.needed) == (3, 2, 1)
    assert weekend.missing == (
        "1 more exemplar from a new organisation (3 exemplars but only 2 organisations)"
    )
    mat = next(t for t in result.tactics if t.id == "mat-checks")
    assert (mat.exemplars, mat.organisations, mat.missing) == (
        0,
        0,
        "3 more exemplars from new organisations",
    )
    assert result.passed() is False


def test_same_ods_code_is_one_organisation_whatever_the_name(tmp_path: Path) -> None:
    content = make_content(
        tmp_path,
        tactics=[tactic("weekend-lists")],
        exemplars=[
            _ex(
                "a",
                ["weekend-lists"],
                "Red Hospitals",
                organisation={"name": "Red", "ods_code": "RX1"},
            ),
            _ex("b", ["weekend-lists"], "x", organisation={"name": "Red Acute", "ods_code": "RX1"}),
            _ex("c", ["weekend-lists"], "White NHS Trust"),
        ],
    )
    cover = coverage.check(_directory(content), today=TODAY).tactics[0]
    assert (cover.exemplars, cover.organisations, cover.covered) == (3, 2, False)


def test_min_sets_the_bar(tmp_path: Path) -> None:
    directory = _directory(_short(tmp_path))
    two = coverage.check(directory, min_orgs=2, today=TODAY)
    assert [(t.id, t.covered) for t in two.tactics] == [
        ("mat-checks", False),
        ("weekend-lists", True),
    ]
    four = coverage.check(directory, min_orgs=4, today=TODAY)
    assert [t.needed for t in four.tactics] == [4, 2]


def test_stale_warning_uses_calendar_months(tmp_path: Path) -> None:
    content = make_content(
        tmp_path,
        areas=NO_MATERNITY,
        tactics=[tactic("weekend-lists")],
        exemplars=[
            _ex("edge", ["weekend-lists"], "Red NHS Trust", last_verified="2024-11-26"),
            _ex("old", ["weekend-lists"], "White NHS Trust", last_verified="2024-11-25"),
            _ex("new", ["weekend-lists"], "Blue NHS Trust", last_verified="2026-01-01"),
        ],
    )
    result = coverage.check(_directory(content), today=TODAY)
    assert [(w.rule, w.subject) for w in result.warnings] == [("cover-stale", "old")]
    assert [(s.id, s.months_old) for s in result.stale] == [("old", 24)]
    assert result.passed() is True
    assert result.passed(strict=True) is False
    shorter = coverage.check(_directory(content), today=TODAY, max_age_months=12)
    assert [w.subject for w in shorter.warnings] == ["edge", "old"]


def test_no_contact_warning_needs_a_consented_email(tmp_path: Path) -> None:
    content = make_content(
        tmp_path,
        areas=NO_MATERNITY,
        tactics=[tactic("weekend-lists")],
        exemplars=[
            _ex("named", ["weekend-lists"], "Red NHS Trust", contacts=[{"name": "Pat"}]),
            _ex("none", ["weekend-lists"], "White NHS Trust", contacts=[]),
            _ex("reachable", ["weekend-lists"], "Blue NHS Trust"),
        ],
    )
    result = coverage.check(_directory(content), today=TODAY)
    assert [(w.rule, w.subject) for w in result.warnings] == [
        ("cover-no-contact", "named"),
        ("cover-no-contact", "none"),
    ]


def test_unnamed_tactic_and_empty_area_warnings(tmp_path: Path) -> None:
    content = make_content(
        tmp_path,
        tactics=[tactic("weekend-lists"), tactic("lonely")],
        exemplars=[_ex("a", ["weekend-lists"], "Red NHS Trust")],
    )
    result = coverage.check(_directory(content), min_orgs=1, today=TODAY)
    assert [(w.rule, w.subject, w.line) for w in result.warnings] == [
        ("cover-no-exemplar", "lonely", 1),
        ("cover-empty-area", "maternity", 16),
    ]
    # diagnostics (a parent) holds endoscopy's tactics, so it is not empty
    assert [(a.id, a.tactics, a.covered, a.percent) for a in result.areas] == [
        ("diagnostics", 2, 1, 50.0),
        ("endoscopy", 2, 1, 50.0),
        ("maternity", 0, 0, None),
    ]


def test_area_limits_to_the_area_and_below(tmp_path: Path) -> None:
    directory = _directory(_short(tmp_path))
    below = coverage.check(directory, area="diagnostics", today=TODAY)
    assert [t.id for t in below.tactics] == ["weekend-lists"]
    assert [a.id for a in below.areas] == ["diagnostics", "endoscopy"]
    maternity = coverage.check(directory, area="maternity", today=TODAY)
    assert [t.id for t in maternity.tactics] == ["mat-checks"]
    with pytest.raises(coverage.UnknownArea) as caught:
        coverage.check(directory, area="endoscpy", today=TODAY)
    assert str(caught.value) == "unknown area 'endoscpy' (did you mean 'endoscopy'?)"


# --- the command ---------------------------------------------------------------------


def test_cli_covered_exits_0_with_plain_text(cli, here: Path) -> None:
    _clean(here)
    result = cli("check", "--content", "content", "--strict")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Every tactic is covered (each needs 3 exemplars from 3 different organisations).",
        "",
        "By area (tactics in the area or below it):",
        "Area         Tactics  Covered     %",
        "diagnostics        1        1  100%",
        "endoscopy          1        1  100%",
        "maternity          1        1  100%",
        "",
        "Total: 2 of 2 tactics covered (100%) by at least 3 exemplars from 3 organisations; "
        "0 short, 0 warnings.",
    ]


def test_cli_short_exits_1_with_table(cli, here: Path) -> None:
    _short(here)
    result = cli("check", "--content", "content")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "Tactics short of cover (each needs 3 exemplars from 3 different organisations):",
        "Tactic         Area       Exemplars  Organisations  Missing",
        "mat-checks     maternity          0              0  3 more exemplars from new organisations",
        "weekend-lists  endoscopy          3              2  1 more exemplar from a new organisation "
        "(3 exemplars but only 2 organisations)",
    ]
    assert "┃" not in result.stdout
    assert lines[-1].startswith("Total: 0 of 2 tactics covered (0%)")


def test_cli_min_option(cli, here: Path) -> None:
    content = make_content(
        here,
        tactics=[tactic("weekend-lists")],
        exemplars=[
            _ex("a", ["weekend-lists"], "Red NHS Trust"),
            _ex("b", ["weekend-lists"], "White NHS Trust"),
        ],
    )
    assert cli("check", "--content", str(content)).exit_code == 1
    assert cli("check", "--content", str(content), "--min", "2").exit_code == 0
    assert cli("check", "--content", str(content), "--min", "0").exit_code == 2


def test_cli_warnings_fail_only_with_strict(cli, here: Path) -> None:
    make_content(
        here,
        tactics=[tactic("weekend-lists", areas=["endoscopy", "maternity"])],
        exemplars=[
            _ex("a", ["weekend-lists"], "Red NHS Trust", last_verified="2001-01-01"),
            _ex("b", ["weekend-lists"], "White NHS Trust", contacts=[]),
            _ex("c", ["weekend-lists"], "Blue NHS Trust"),
        ],
    )
    relaxed = cli("check", "--content", "content", "--format", "json")
    assert relaxed.exit_code == 0
    rules = [(w["rule"], w["subject"]) for w in json.loads(relaxed.stdout)["warnings"]]
    assert rules == [("cover-stale", "a"), ("cover-no-contact", "b")]
    strict = cli("check", "--content", "content", "--strict")
    assert strict.exit_code == 1
    assert "--strict: 2 warnings fail the check." in strict.stderr
    assert "content/exemplars/a.yaml:1:1: warning:" in strict.stdout  # listed one by one

    summary = cli("check", "--content", "content").stdout
    assert "content/exemplars/a.yaml" not in summary  # counted by kind, not listed
    assert "     1  not verified within the maximum age [cover-stale]" in summary
    assert "     1  no contact who agreed to share an email [cover-no-contact]" in summary


def test_cli_json_report(cli, here: Path) -> None:
    _short(here)
    result = cli("check", "--content", "content", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["totals"] == {"tactics": 2, "covered": 0, "short": 2, "percent": 0.0, "warnings": 1}
    weekend = data["tactics"][1]
    assert {k: weekend[k] for k in ("id", "areas", "exemplars", "organisations", "covered")} == {
        "id": "weekend-lists",
        "areas": ["endoscopy"],
        "exemplars": 3,
        "organisations": 2,
        "covered": False,
    }
    assert weekend["title"] == "Tactic weekend-lists"
    assert data["areas"][2] == {
        "id": "maternity",
        "name": "Maternity",
        "tactics": 1,
        "covered": 0,
        "percent": 0.0,
    }
    assert data["warnings"] == [
        {
            "rule": "cover-no-exemplar",
            "path": "content/tactics/mat-checks.yaml",
            "line": 1,
            "subject": "mat-checks",
            "message": "no exemplar names tactic 'mat-checks'; add one from an organisation "
            "that made it work, or remove the tactic",
        }
    ]


def test_cli_github_annotations(cli, here: Path) -> None:
    _short(here)
    result = cli("check", "--content", "content", "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split("::")[1] for line in lines[:3]] == [
        "error file=content/tactics/mat-checks.yaml,line=1,col=1,title=cover-short",
        "error file=content/tactics/weekend-lists.yaml,line=1,col=1,title=cover-short",
        "warning file=content/tactics/mat-checks.yaml,line=1,col=1,title=cover-no-exemplar",
    ]
    assert lines[1].endswith(
        "::tactic 'weekend-lists' has 3 exemplars from 2 organisations; it needs 3 from 3 "
        "different organisations: add 1 more exemplar from a new organisation "
        "(3 exemplars but only 2 organisations)"
    )
    assert len(lines) == 4 and lines[3].startswith("Total: ")


def test_cli_markdown_report(cli, here: Path) -> None:
    make_content(
        here,
        tactics=[tactic("weekend-lists", title="Run <b>weekend</b> | lists")],
        exemplars=[_ex("a", ["weekend-lists"], "Red NHS Trust")],
    )
    result = cli("check", "--content", "content", "--format", "markdown")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "## improvedir check: 1 of 1 tactic short of cover"
    table = lines.index("### Tactics short of cover")
    assert lines[table + 2 : table + 5] == [
        "| Tactic | Area | Exemplars | Organisations | Missing |",
        "| --- | --- | ---: | ---: | --- |",
        "| `weekend-lists` Run \\<b\\>weekend\\</b\\> \\| lists | endoscopy | 1 | 1 | "
        "2 more exemplars from new organisations |",
    ]
    assert "### By area" in lines
    assert lines[-1].startswith("**Total: 0 of 1 tactic covered (0%)")


def test_cli_area_option(cli, here: Path) -> None:
    _short(here)
    scoped = cli("check", "--content", "content", "--area", "maternity", "--format", "json")
    assert [t["id"] for t in json.loads(scoped.stdout)["tactics"]] == ["mat-checks"]
    unknown = cli("check", "--content", "content", "--area", "endoscpy")
    assert unknown.exit_code == 2
    assert unknown.stdout == ""
    assert "unknown area 'endoscpy' (did you mean 'endoscopy'?)" in unknown.stderr


def test_cli_invalid_content_fails_like_validate(cli, here: Path) -> None:
    make_content(here, tactics=[tactic("weekend-lists", areas=["endoscpy"])])
    result = cli("check", "--content", "content")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "content/tactics/weekend-lists.yaml:5:3: unknown area 'endoscpy' "
        "(did you mean 'endoscopy'?) [ref-unknown-area]"
    ]
    assert "1 content problem in 1 file" in result.stderr


def test_rich_table_on_a_terminal_prints_content_literally(tmp_path: Path) -> None:
    content = make_content(
        tmp_path,
        tactics=[tactic("weekend-lists", areas=["endoscopy"])],
        exemplars=[_ex("a", ["weekend-lists"], "Red NHS Trust")],
    )
    result = coverage.check(_directory(content), today=TODAY)
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=200, markup=False, color_system=None)
    for block in reports.check_text(result, plain=False):
        console.print(block)
    text = buffer.getvalue()
    assert "┃ Tactic        ┃ Area      ┃ Exemplars ┃ Organisations ┃" in text
    assert "│ weekend-lists │ endoscopy │         1 │             1 │" in text


# --- gaps ----------------------------------------------------------------------------


def test_gaps_ranks_by_need_and_lists_stale_and_empty(cli, here: Path) -> None:
    make_content(
        here,
        tactics=[
            tactic("weekend-lists", title="Run [bold]weekend[/bold] lists"),
            tactic("list-validation"),
            tactic("covered-one"),
        ],
        exemplars=[
            _ex("a", ["weekend-lists", "covered-one"], "Red NHS Trust", last_verified="2001-02-03"),
            _ex("b", ["list-validation", "covered-one"], "White NHS Trust"),
            _ex("c", ["list-validation", "covered-one"], "Blue NHS Trust"),
        ],
    )
    result = cli("gaps", "--content", "content")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Endoscopy (endoscopy)",
        "  Tactics needing exemplars, most needed first:",
        "    weekend-lists    needs 2  has 1 from 1  Run [bold]weekend[/bold] lists",
        "    list-validation  needs 1  has 2 from 2  Tactic list-validation",
        "  Exemplars to re-check (last verified over 24 months ago):",
        "    a  2001-02-03  Red NHS Trust  content/exemplars/a.yaml",
        "",
        "Areas with no tactics yet:",
        "  maternity (Maternity)",
        "",
        "2 tactics short of cover, 1 exemplar to re-check, 1 area with no tactics.",
        "",
        "National measures with fewer than 3 tactics behind them:",
        "  dm01 (Diagnostic waiting times): 0 tactics",
    ]
    data = json.loads(cli("gaps", "--content", "content", "--format", "json").stdout)
    assert [(t["id"], t["needed"]) for t in data["areas"][0]["tactics"]] == [
        ("weekend-lists", 2),
        ("list-validation", 1),
    ]
    assert data["totals"] == {
        "short": 2,
        "stale": 1,
        "empty_areas": 1,
        "measures_short": 1,
        "weak_evidence": 0,
    }
    assert data["measures"] == [
        {"id": "dm01", "name": "Diagnostic waiting times", "tactics": [], "research_gap": None}
    ]


def test_gaps_with_nothing_to_do(cli, here: Path) -> None:
    _clean(here)
    result = cli("gaps", "--content", "content")
    assert result.exit_code == 0
    assert result.stdout.startswith("Nothing to do on coverage: every tactic has 3 exemplars")
    assert "Contacts:" not in result.stdout  # every exemplar here has a consented contact


def test_gaps_counts_exemplars_still_needing_a_contact(cli, tmp_path: Path) -> None:
    content = covered_content(tmp_path)  # named people, but nobody has consented to an email
    result = cli("gaps", "--content", str(content))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        "Contacts: 5 exemplars still have no contact who agreed to be listed with an email; "
        "ask the people named in their sources (`improvedir check --verbose` lists them)."
    )
    data = json.loads(cli("gaps", "--content", str(content), "--format", "json").stdout)
    assert data["no_contact"] == 5


def test_conftest_covered_content_is_covered(tmp_path: Path) -> None:
    # The shared fixture promises "each backed by three organisations"; hold it to that.
    result = coverage.check(_directory(covered_content(tmp_path)), today=TODAY)
    assert [t.covered for t in result.tactics] == [True, True]
