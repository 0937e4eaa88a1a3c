"""Evidence a manager can weigh: the derived grade, its order in scripts, attempts that did
not work, the check rules, and `show`."""

from __future__ import annotations

import json

import pytest

from improvedir.content.model import Exemplar, Link, Organisation
from improvedir.engine.evidence import grade

from .conftest import exemplar, make_content, tactic


def _ex(result: str | None, *kinds: str) -> Exemplar:
    return Exemplar(
        id="x",
        tactics=("t",),
        organisation=Organisation("Red NHS Trust"),
        summary="",
        path="",
        last_verified="2026-01-01",
        sources=tuple(Link("s", f"https://example.org/{k}", k) for k in kinds),
        result=result,
    )


@pytest.mark.parametrize(
    ("result", "kinds", "expected"),
    [
        ("measured", ("peer-reviewed",), "strong"),
        ("measured", ("vendor", "national-body"), "strong"),
        ("measured", ("organisation",), "moderate"),
        ("measured", ("news", "vendor"), "moderate"),
        ("measured", ("sector-body",), "moderate"),
        ("measured", ("vendor",), "weak"),
        ("reported", ("peer-reviewed",), "weak"),
        ("planned", ("peer-reviewed",), "early"),
        (None, ("organisation",), "weak"),
    ],
)
def test_grade_follows_the_tabled_rules(result, kinds, expected):
    assert grade(_ex(result, *kinds)) == expected


def _src(ident: str, kind: str) -> list[dict]:
    return [{"title": "Source", "url": f"https://example.org/{ident}", "kind": kind}]


def _graded(tmp_path, extra=()):
    return make_content(
        tmp_path,
        tactics=[
            tactic(
                "weekend-lists",
                title="Run weekend endoscopy lists",
                considerations={"staff": "Two nurses per list.", "watch_out": "Burnout."},
            )
        ],
        exemplars=[
            exemplar("a-early", ["weekend-lists"], "A Trust", result="planned"),
            exemplar("b-weak", ["weekend-lists"], "B Trust", result="reported"),
            exemplar(
                "c-strong",
                ["weekend-lists"],
                "C Trust",
                result="measured",
                sources=_src("c", "peer-reviewed"),
            ),
            exemplar(
                "d-moderate",
                ["weekend-lists"],
                "D Trust",
                result="measured",
                sources=_src("d", "news"),
            ),
            *extra,
        ],
    )


def test_suggest_orders_exemplars_by_evidence_and_shows_grade_and_kind(cli, tmp_path):
    content = _graded(tmp_path)
    data = json.loads(
        cli(
            "suggest", "endoscopy", "--content", str(content), "--exemplars", "4", "-f", "json"
        ).stdout
    )
    offered = data["tactics"][0]["exemplars"]
    assert [(e["id"], e["evidence"]) for e in offered] == [
        ("c-strong", "strong"),
        ("d-moderate", "moderate"),
        ("b-weak", "weak"),
        ("a-early", "early"),
    ]
    assert offered[0]["sources"][0]["kind"] == "peer-reviewed"
    assert data["tactics"][0]["considerations"] == {
        "staff": "Two nurses per list.",
        "watch_out": "Burnout.",
    }
    text = cli("suggest", "endoscopy", "--content", str(content)).stdout
    assert "   What it takes: Staff: Two nurses per list; Watch out: Burnout.\n" in text
    assert "Evidence: strong: measured result, peer-reviewed evaluation\n" in text


def test_an_attempt_that_did_not_work_is_a_lesson_not_a_helper(cli, tmp_path):
    failed = exemplar(
        "e-failed",
        ["weekend-lists"],
        "E Trust",
        worked="no",
        lessons="Lists were cancelled when staff were redeployed.",
        sources=_src("e", "organisation"),
    )
    content = _graded(tmp_path, [failed])
    data = json.loads(
        cli(
            "suggest", "endoscopy", "--content", str(content), "--exemplars", "5", "-f", "json"
        ).stdout
    )
    assert "e-failed" not in [e["id"] for e in data["tactics"][0]["exemplars"]]
    assert [e["id"] for e in data["tactics"][0]["learned"]] == ["e-failed"]
    text = cli("suggest", "endoscopy", "--content", str(content)).stdout
    assert "What others learned (attempts that did not work):" in text
    assert "What they learned: Lists were cancelled when staff were redeployed." in text


def test_a_failed_attempt_never_counts_toward_three_organisations(cli, tmp_path):
    content = make_content(
        tmp_path,
        tactics=[tactic("weekend-lists")],
        exemplars=[
            exemplar("a", ["weekend-lists"], "A Trust"),
            exemplar("b", ["weekend-lists"], "B Trust"),
            exemplar("c", ["weekend-lists"], "C Trust", worked="no"),
        ],
    )
    result = cli("check", "--content", str(content), "-f", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["tactics"][0]["organisations"] == 2


def test_check_warns_on_weak_evidence_and_min_evidence_counts_only_strong_enough(cli, tmp_path):
    content = make_content(
        tmp_path,
        tactics=[tactic("weekend-lists")],
        exemplars=[exemplar(n, ["weekend-lists"], f"{n} Trust", result="reported") for n in "abc"],
    )
    plain = cli("check", "--content", str(content), "-f", "github")
    assert plain.exit_code == 0
    assert "cover-weak-evidence" in plain.stdout
    assert cli("check", "--content", str(content), "--strict").exit_code == 1
    strict = cli("check", "--content", str(content), "--min-evidence", "moderate", "-f", "json")
    assert strict.exit_code == 1
    assert json.loads(strict.stdout)["tactics"][0]["organisations"] == 0


def test_show_prints_a_whole_tactic_an_exemplar_or_a_did_you_mean(cli, tmp_path):
    content = _graded(tmp_path)
    text = cli("show", "weekend-lists", "--content", str(content))
    assert text.exit_code == 0
    assert text.stdout.startswith("Tactic: Run weekend endoscopy lists [weekend-lists]\n")
    order = [
        line.split("[")[1][:-1] for line in text.stdout.splitlines() if line.startswith("  - ")
    ]
    assert order == ["c-strong", "d-moderate", "b-weak", "a-early"]
    data = json.loads(cli("show", "c-strong", "--content", str(content), "-f", "json").stdout)
    assert (data["kind"], data["evidence"], data["result"]) == ("exemplar", "strong", "measured")
    missing = cli("show", "weekend-list", "--content", str(content))
    assert missing.exit_code == 1
    assert "Did you mean 'weekend-lists'?" in missing.stderr
