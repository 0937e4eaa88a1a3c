"""Contacts who agreed to be called: consent as a dated record that lapses after two years,
and the invite -> consent -> withdraw round a maintainer runs."""

from __future__ import annotations

import datetime as dt
import difflib
import email
import json
from email import policy
from pathlib import Path

import pytest

from improvedir.content import model
from improvedir.content.model import Consent, Contact
from improvedir.store import convlog, invites

from .conftest import AREAS, consent, exemplar, make_content, tactic, write_yaml

LIVE = "live.person@example.org"
LAPSED = "lapsed.person@example.org"
UNASKED = "unasked.person@example.org"


def _content(root: Path) -> Path:
    """Three organisations for one tactic: a live consent, a lapsed one, and an email
    written without any consent (an error: that file is left out, its email never shown)."""
    return make_content(
        root,
        tactics=[tactic("weekend-lists", title="Run weekend endoscopy lists")],
        exemplars=[
            exemplar(
                "red-weekend",
                ["weekend-lists"],
                "Red Hospitals NHS Trust",
                contacts=[
                    {"name": "Lee Live", "role": "Lead", "email": LIVE, "consent": consent()}
                ],
            ),
            exemplar(
                "white-weekend",
                ["weekend-lists"],
                "White Hospitals NHS Trust",
                contacts=[
                    {"name": "Lou Lapsed", "role": "Lead", "email": LAPSED, "consent": consent(800)}
                ],
            ),
            exemplar(
                "green-weekend",
                ["weekend-lists"],
                "Green NHS Foundation Trust",
                contacts=[{"name": "Una Unasked", "role": "Lead", "email": UNASKED}],
            ),
        ],
    )


# --- the record and its two years ---


def test_consent_lasts_two_years_from_the_day_given(monkeypatch):
    record = Consent("2026-03-01", "email")
    contact = Contact("Pat", email="pat@example.org", consent=record)
    assert record.expires() == dt.date(2028, 3, 1)
    assert contact.reachable_on(dt.date(2028, 2, 29))
    assert not contact.reachable_on(dt.date(2028, 3, 1))
    monkeypatch.setattr(model, "today", lambda: dt.date(2028, 3, 1))
    assert not contact.reachable  # the one question every output asks
    assert Consent("2024-02-29", "form").expires() == dt.date(2026, 2, 28)
    assert not Contact("Pat", email="pat@example.org").reachable


def test_validate_warns_when_consent_has_lapsed_and_check_strict_fails(cli, tmp_path):
    both = [
        {"name": "Al", "email": "al@example.org", "consent": consent()},
        {"name": "Bo", "email": "bo@example.org", "consent": consent(731)},
    ]
    content = make_content(
        tmp_path,
        areas=[a for a in AREAS if a["id"] != "maternity"],
        tactics=[tactic("weekend-lists")],
        exemplars=[
            exemplar(f"{c}-weekend", ["weekend-lists"], f"{c} NHS Trust", contacts=both)
            for c in ("red", "white", "green")
        ],
    )
    result = cli("validate", "--content", str(content), "-f", "json")
    assert result.exit_code == 0, result.output  # a warning, not an error
    found = json.loads(result.stdout)
    assert {(d["path"].rsplit("/", 1)[-1], d["line"], d["rule"], d["severity"]) for d in found} == {
        (f"{c}-weekend.yaml", 17, "consent-expired", "warning") for c in ("green", "red", "white")
    }
    assert "Bo agreed to be listed on" in found[0]["message"]
    assert cli("check", "--content", str(content)).exit_code == 0
    strict = cli("check", "--content", str(content), "--strict", "-f", "json")
    assert strict.exit_code == 1
    assert {w["rule"] for w in json.loads(strict.stdout)["warnings"]} == {"consent-expired"}


def test_two_years_on_the_same_content_warns_and_hides_the_email(cli, tmp_path, monkeypatch):
    content = _content(tmp_path)
    monkeypatch.setattr(model, "today", lambda: dt.date.today() + dt.timedelta(days=731))
    result = cli("validate", "--content", str(content))
    assert result.exit_code == 1  # green-weekend's email without consent is an error
    assert "red-weekend.yaml:13:12: warning: Lee Live agreed" in result.stdout
    assert LIVE not in cli("suggest", "endoscopy", "--content", str(content)).stdout


@pytest.mark.parametrize(
    ("given", "rule"),
    [
        ("2026-02-30", "date-invalid"),
        ("2999-01-01", "date-invalid"),
        ("01/02/2026", "date-invalid"),
    ],
)
def test_the_consent_date_must_be_a_real_past_date(cli, content, given, rule):
    contact = {
        "name": "Pat",
        "email": "pat@example.org",
        "consent": {"given": given, "how": "email"},
    }
    write_yaml(
        content / "exemplars" / "red-weekend.yaml",
        exemplar("red-weekend", ["weekend-lists"], "Red", contacts=[contact]),
    )
    result = cli("validate", "--content", str(content), "-f", "json")
    assert result.exit_code == 1
    assert [(d["line"], d["rule"]) for d in json.loads(result.stdout)] == [(12, rule)]


def test_the_old_consent_flag_is_refused_with_the_new_form(cli, content):
    contact = {"name": "Pat", "email": "pat@example.org", "consent": True}
    write_yaml(
        content / "exemplars" / "red-weekend.yaml",
        exemplar("red-weekend", ["weekend-lists"], "Red", contacts=[contact]),
    )
    result = cli("validate", "--content", str(content))
    assert result.exit_code == 1
    assert "consent: {given: YYYY-MM-DD, how: email|form|in-person|phone}" in result.stdout


# --- nothing shows an email without live consent ---


def test_no_output_shows_an_email_without_live_consent(cli, tmp_path):
    content = str(_content(tmp_path))
    trust = "Rose Hospitals NHS Trust"
    seen = []
    for fmt in ("text", "markdown", "email", "json"):
        seen.append(cli("suggest", "endoscopy", "--content", content, "-f", fmt).stdout)
    recorded = cli("suggest", "endoscopy", "--content", content, "--trust", trust, "--record")
    seen.append(recorded.stdout + recorded.stderr)
    for ident in ("weekend-lists", "red-weekend", "white-weekend"):
        for fmt in ("text", "markdown", "json"):
            seen.append(cli("show", ident, "--content", content, "-f", fmt).stdout)
    for fmt in ("text", "markdown", "email", "json"):
        result = cli("followup", trust, "--content", content, "-f", fmt)
        seen.append(result.stdout + result.stderr)
    logged = cli("log", "-f", "json", "--content", content).stdout
    assert LIVE in logged
    seen.append(logged)
    seen.append(convlog.log_path().read_text(encoding="utf-8"))
    seen.append(cli("export", "--format", "json", "--content", content).stdout)
    site = tmp_path / "site"
    assert cli("site", "--content", content, "--out", str(site)).exit_code == 0
    pages = [
        f.read_text(encoding="utf-8", errors="replace")
        for f in sorted(site.rglob("*"))
        if f.is_file() and f.suffix in (".html", ".json", ".js", ".eml")
    ]
    assert any(LIVE in page for page in pages)  # the site shows a live consent too
    seen.extend(pages)
    everything = "\n".join(seen)
    assert everything.count(LIVE) >= 10  # shown wherever contacts are shown
    assert LAPSED not in everything
    assert UNASKED not in everything
    assert "Lou Lapsed, Lead" in everything  # the name and role stay


def test_followup_hides_an_email_withdrawn_since_the_call(cli, tmp_path):
    content = _content(tmp_path)
    trust = "Rose Hospitals NHS Trust"
    cli("suggest", "endoscopy", "--content", str(content), "--trust", trust, "--record")
    assert LIVE in convlog.log_path().read_text(encoding="utf-8")
    assert (
        cli("withdraw", "red-weekend", "--contact", "Lee Live", "--content", str(content)).exit_code
        == 0
    )
    result = cli("followup", trust, "--content", str(content), "-f", "json")
    assert LIVE not in result.stdout + result.stderr
    assert "Lee Live" in result.stdout
    assert LIVE not in cli("log", "-f", "json", "--content", str(content)).stdout


# --- consent and withdraw edit only the contact's lines ---

COMMENTED = """\
# yaml-language-server: $schema=../../schemas/exemplar.schema.json
# A hand-written exemplar, with comments everywhere.
id: red-weekend
tactics: [weekend-lists]   # flow style stays
organisation:
  name: Red Hospitals NHS Trust
summary: "Red did it."  # quoted stays quoted
outcome: Waits fell.
result: measured
contacts:
  # the lead, as the case study names her
  - name: Pat Example
    role: Lead  # her title in 2025
  - name: Sam Example
    role: Nurse
# The public sources
sources:
  - title: Case study
    url: https://example.org/case/red-weekend
    kind: organisation
last_verified: 2026-11-01
"""


def _commented(content: Path) -> Path:
    path = content / "exemplars" / "red-weekend.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    return path


def _changes(before: str, after: str) -> list[tuple[str, int, int, list[str]]]:
    a, b = before.splitlines(), after.splitlines()
    return [
        (op, i1, i2, b[j1:j2])
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes()
        if op != "equal"
    ]


@pytest.mark.parametrize(("who", "at"), [("Pat Example", 13), ("sam example", 15)])
def test_consent_adds_only_the_contacts_lines_and_withdraw_restores_the_file(cli, content, who, at):
    path = _commented(content)
    result = cli(
        "consent", "red-weekend", "--contact", who, "--email", "pat@example.org",
        "--how", "phone", "--date", "2026-11-20", "--content", str(content),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    indent = "    "
    assert _changes(COMMENTED, after) == [
        (
            "insert",
            at,
            at,
            [
                f"{indent}email: pat@example.org",
                f"{indent}consent:",
                f"{indent}  given: '2026-11-20'",
                f"{indent}  how: phone",
            ],
        )
    ]
    assert "+    email: pat@example.org" in result.stdout  # the diff is printed
    assert cli("validate", "--content", str(content)).exit_code == 0
    withdrawn = cli("withdraw", "red-weekend", "--contact", who, "--content", str(content))
    assert withdrawn.exit_code == 0, withdrawn.output
    assert path.read_text(encoding="utf-8") == COMMENTED


def test_consent_again_renews_the_record_in_place(cli, content):
    path = _commented(content)
    args = ["consent", "red-weekend", "--contact", "Pat Example", "--content", str(content)]
    cli(*args, "--email", "pat@example.org", "--how", "email", "--date", "2025-01-01")
    first = path.read_text(encoding="utf-8")
    assert cli(*args, "--email", "pat@example.org", "--how", "form").exit_code == 0
    assert _changes(first, path.read_text(encoding="utf-8")) == [
        ("replace", 15, 17, [f"      given: '{dt.date.today()}'", "      how: form"])
    ]


def test_consent_refuses_unknown_names_bad_addresses_and_invalid_results(cli, content):
    path = _commented(content)
    base = ["--content", str(content), "--how", "email"]
    unknown = cli(
        "consent", "red-weekand", "--contact", "Pat Example", "--email", "p@example.org", *base
    )
    assert unknown.exit_code == 1
    assert "did you mean 'red-weekend'?" in unknown.stderr
    nobody = cli(
        "consent", "red-weekend", "--contact", "Pat Exampel", "--email", "p@example.org", *base
    )
    assert nobody.exit_code == 1
    assert "did you mean 'Pat Example'?" in nobody.stderr
    bad = cli("consent", "red-weekend", "--contact", "Pat Example", "--email", "pat at nhs", *base)
    assert bad.exit_code == 1
    assert "not a valid email address" in bad.stderr
    future = cli(
        "consent", "red-weekend", "--contact", "Pat Example", "--email", "p@example.org",
        "--date", "2999-01-01", *base,
    )  # fmt: skip
    assert future.exit_code == 2
    assert (
        cli(
            "withdraw", "red-weekend", "--contact", "Pat Example", "--content", str(content)
        ).exit_code
        == 1
    )
    assert path.read_text(encoding="utf-8") == COMMENTED
    # A file that fails validate after the edit is put back byte for byte.
    broken = COMMENTED.replace('summary: "Red did it."', 'summary: "TODO: say what"')
    path.write_text(broken, encoding="utf-8")
    result = cli(
        "consent", "red-weekend", "--contact", "Pat Example", "--email", "p@example.org", *base
    )
    assert result.exit_code == 1
    assert "put back" in result.stderr and "todo-placeholder" in result.stderr
    assert path.read_text(encoding="utf-8") == broken


# --- invite ---


def _eml(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def test_invite_writes_a_kind_valid_eml_per_named_person(cli, tmp_path, content):
    out = tmp_path / "out"
    result = cli(
        "invite",
        "red-weekend",
        "--out",
        str(out),
        "--from",
        "Sam Maintainer",
        "--content",
        str(content),
    )
    assert result.exit_code == 0, result.output
    (path,) = out.iterdir()
    assert result.stdout.strip().endswith(path.name)
    message = _eml(path)
    assert message["To"] == ""  # for the sender to fill
    assert "Red Hospitals NHS Trust" in message["Subject"]
    body = message.get_content()
    assert "Dear Pat Example," in body
    assert "  - Red Hospitals NHS Trust\n    What they did: Red Hospitals NHS Trust did it." in body
    assert "Who to ask for: Pat Example, Lead" in body  # the entry as a manager sees it
    prose = " ".join(body.split())
    assert "shown to NHS performance managers and trust teams looking for help" in prose
    assert "you can withdraw at any time" in prose
    assert (
        'improvedir consent red-weekend --contact "Pat Example" --email ADDRESS --how email' in body
    )
    assert body.rstrip().endswith("Sam Maintainer")


def test_a_lapsed_consent_is_invited_again_to_its_own_address(cli, tmp_path):
    content = _content(tmp_path)
    out = tmp_path / "out"
    assert (
        cli(
            "invite", "white-weekend", "red-weekend", "--out", str(out), "--content", str(content)
        ).exit_code
        == 0
    )
    (path,) = out.iterdir()  # Lee Live has agreed already: not asked
    assert _eml(path)["To"] == LAPSED


def test_invite_never_overwrites_and_remembers_who_was_asked(cli, tmp_path, content):
    out = tmp_path / "out"
    out.mkdir()
    (out / "red-weekend--pat-example.eml").write_text("mine", encoding="utf-8")
    args = ["invite", "red-weekend", "--out", str(out), "--content", str(content)]
    assert cli(*args).exit_code == 0
    assert (out / "red-weekend--pat-example.eml").read_text(encoding="utf-8") == "mine"
    assert (out / "red-weekend--pat-example-2.eml").exists()
    again = cli(*args)
    assert again.exit_code == 0
    assert "Already invited Pat Example (red-weekend)" in again.stderr
    assert len(list(out.iterdir())) == 2
    assert cli(*args, "--again").exit_code == 0
    assert (out / "red-weekend--pat-example-3.eml").exists()
    assert [e["exemplar"] for e in invites.read().entries] == ["red-weekend", "red-weekend"]


def test_invite_missing_puts_the_most_offered_tactics_first(cli, tmp_path, content):
    for _ in range(2):
        convlog.append(
            {
                "kind": "conversation",
                "time": convlog.now(),
                "trust": "Rose",
                "areas": [],
                "offers": [{"tactic": "list-validation", "title": "V", "exemplars": []}],
            }
        )
    out = tmp_path / "out"
    result = cli("invite", "--missing", "--out", str(out), "--content", str(content))
    assert result.exit_code == 0, result.output
    written = [Path(line).name for line in result.stdout.split()]
    # list-validation (offered twice) first, in file order; then weekend-lists' others
    assert written == [
        "blue-validation--pat-example.eml",
        "green-weekend--pat-example.eml",
        "red-validation--pat-example.eml",
        "red-weekend--pat-example.eml",
        "white-weekend--pat-example.eml",
    ]


def test_invite_usage_and_nothing_matched(cli, content):
    assert cli("invite", "--content", str(content)).exit_code == 2
    assert cli("invite", "red-weekend", "--missing", "--content", str(content)).exit_code == 2
    unknown = cli("invite", "--tactic", "weekend-list", "--content", str(content))
    assert unknown.exit_code == 1
    assert "did you mean 'weekend-lists'?" in unknown.stderr


def test_invite_status_shows_who_answered_and_who_is_overdue(cli, tmp_path, content):
    four_weeks_ago = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(weeks=4)).isoformat()
    invites.record("white-weekend", "Pat Example", "White", tmp_path / "a.eml", time=four_weeks_ago)
    invites.record("red-weekend", "Pat Example", "Red", tmp_path / "b.eml")
    cli(
        "consent", "red-weekend", "--contact", "Pat Example", "--email", "pat@example.org",
        "--how", "email", "--content", str(content),
    )  # fmt: skip
    result = cli("invite", "--status", "--content", str(content))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["sent", "(UTC)", "exemplar", "contact", "answer"]
    assert lines[1].endswith(f"agreed {dt.date.today()}") and "red-weekend" in lines[1]
    assert lines[2].endswith("no answer after 3 weeks") and "white-weekend" in lines[2]
    assert "1 person has not answered after 3 weeks" in result.stderr
    data = json.loads(cli("invite", "--status", "-f", "json", "--content", str(content)).stdout)
    assert [(d["exemplar"], d["answered"], d["waiting"]) for d in data] == [
        ("red-weekend", str(dt.date.today()), False),
        ("white-weekend", None, True),
    ]


def test_check_for_one_area_leaves_out_lapsed_consents_of_other_areas(cli, tmp_path):
    # a maternity lead checking maternity should not be told about an endoscopy
    # exemplar's lapsed consent, and nothing is hidden from a check of the whole directory
    live = [{"name": "Al", "email": "al@example.org", "consent": consent()}]
    lapsed = [*live, {"name": "Bo", "email": "bo@example.org", "consent": consent(731)}]
    content = make_content(
        tmp_path,
        tactics=[tactic("weekend-lists"), tactic("mat-checks", areas=["maternity"])],
        exemplars=[
            *(
                exemplar(f"{c}-weekend", ["weekend-lists"], f"{c} NHS Trust", contacts=lapsed)
                for c in ("red", "white", "green")
            ),
            *(
                exemplar(f"{c}-mat", ["mat-checks"], f"{c} Maternity Trust", contacts=live)
                for c in ("blue", "amber", "grey")
            ),
        ],
    )

    def rules(*args: str) -> tuple[int, set[str]]:
        result = cli("check", "--content", str(content), "--strict", "-f", "json", *args)
        return result.exit_code, {w["rule"] for w in json.loads(result.stdout)["warnings"]}

    assert rules("--area", "maternity") == (0, set())
    assert rules("--area", "endoscopy") == (1, {"consent-expired"})
    assert rules() == (1, {"consent-expired"})
