"""`improvedir suggest`: the script a performance manager reads out or sends."""

from __future__ import annotations

import email
import json
import os
import re
from email import policy

from .conftest import CONSENT, exemplar, make_content, tactic, write_yaml


def suggest(cli, content, *args):
    return cli("suggest", *args, "--content", str(content))


def test_script_opens_with_numbers_offers_tactics_and_organisations(cli, content):
    result = suggest(cli, content, "endoscopy")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("Ideas and help: Endoscopy\n")
    assert "How are your numbers looking?" in out
    assert (
        "- Diagnostic waiting times: Fewer than 1% waiting 6 weeks or more (made up for tests).\n"
        "  Source: Diagnostics standard - https://example.org/dm01\n"
    ) in out
    assert '"Have you thought about any of these? Other teams have made them work."' in out
    assert "A. Validate the endoscopy waiting list" in out
    assert "B. Run weekend endoscopy lists" in out
    assert "these teams have done it and can help" in out
    for org in (
        "Red Hospitals NHS Trust",
        "White Hospitals NHS Trust",
        "Green NHS Foundation Trust",
        "Blue Health Board",
    ):
        assert f"- {org}" in out
    assert "Who to ask for: Pat Example, Lead" in out
    assert "Source: Case study - https://example.org/case/red-weekend" in out
    assert "For that next call: improvedir suggest endoscopy --follow-up" in out
    assert "why aren't you" not in out.lower()


def test_trust_personalises_the_script(cli, content):
    out = suggest(cli, content, "scopes", "--trust", "Orange NHS Trust").stdout
    assert "Ideas and help: Endoscopy - Orange NHS Trust" in out
    assert '"Hello Orange NHS Trust team, thanks for making the time.' in out
    assert 'improvedir suggest scopes --follow-up --trust "Orange NHS Trust"' in out


def test_counts_of_tactics_and_exemplars_are_respected(cli, content):
    out = suggest(cli, content, "endoscopy", "--tactics", "1", "--exemplars", "2").stdout
    assert "B. " not in out
    assert sum(1 for line in out.splitlines() if line.startswith("   - ")) == 2


def test_one_organisation_is_named_once_per_tactic(cli, tmp_path):
    content = make_content(
        tmp_path,
        tactics=[tactic("weekend-lists")],
        exemplars=[
            exemplar("red-a", ["weekend-lists"], "Red Hospitals NHS Trust"),
            exemplar("red-b", ["weekend-lists"], "red hospitals nhs foundation trust"),
            exemplar("blue-a", ["weekend-lists"], "Blue Health Board"),
        ],
    )
    data = json.loads(suggest(cli, content, "endoscopy", "--format", "json").stdout)
    orgs = [e["organisation"] for e in data["tactics"][0]["exemplars"]]
    assert len(orgs) == 2
    assert "Blue Health Board" in orgs
    assert data["tactics"][0]["needs_more_exemplars"] == 1


def test_a_short_tactic_is_offered_with_a_call_for_more_examples(cli, tmp_path):
    content = make_content(
        tmp_path,
        tactics=[tactic("weekend-lists")],
        exemplars=[exemplar("red-a", ["weekend-lists"], "Red Hospitals NHS Trust")],
    )
    out = suggest(cli, content, "endoscopy").stdout
    assert "The directory needs 2 more examples for this tactic." in out
    assert 'improvedir new exemplar --tactic weekend-lists --org "Name"' in out


def test_consented_contacts_come_first_and_show_their_email(cli, tmp_path):
    consented = [
        {
            "name": "Sam Example",
            "role": "Clinical lead",
            "email": "sam@example.org",
            "consent": CONSENT,
        }
    ]
    content = make_content(
        tmp_path,
        tactics=[tactic("weekend-lists")],
        exemplars=[
            exemplar("a-org", ["weekend-lists"], "A Trust", last_verified="2026-11-20"),
            exemplar(
                "b-org",
                ["weekend-lists"],
                "B Trust",
                last_verified="2026-01-01",
                contacts=consented,
            ),
            exemplar("c-org", ["weekend-lists"], "C Trust", last_verified="2026-06-01"),
            exemplar("d-org", ["weekend-lists"], "D Trust", last_verified="2025-01-01"),
        ],
    )
    data = json.loads(suggest(cli, content, "endoscopy", "--format", "json").stdout)
    chosen = [e["id"] for e in data["tactics"][0]["exemplars"]]
    assert chosen == ["b-org", "a-org", "c-org"]  # consent first, then most recently verified
    out = suggest(cli, content, "endoscopy").stdout
    assert "Contact: Sam Example, Clinical lead <sam@example.org>" in out


def test_an_email_without_consent_is_never_shown(cli, tmp_path):
    contacts = [{"name": "Kim Example", "email": "kim@example.org"}]
    content = make_content(
        tmp_path,
        tactics=[tactic("weekend-lists")],
        exemplars=[exemplar("a-org", ["weekend-lists"], "A Trust", contacts=contacts)],
    )
    for fmt in ("text", "markdown", "email", "json"):
        out = suggest(cli, content, "endoscopy", "--format", fmt).stdout
        assert "kim@example.org" not in out, fmt


def test_follow_up_names_the_same_tactics_and_organisations(cli, content):
    out = suggest(cli, content, "endoscopy", "--follow-up", "--trust", "Orange NHS Trust").stdout
    assert out.startswith("Follow-up: Endoscopy - Orange NHS Trust\n")
    assert "How did it go?" in out
    assert "B. Run weekend endoscopy lists" in out
    assert "Do you need any help to use their suggestions?" in out
    line = [line for line in out.splitlines() if "How did it go with" in line][1]
    for org in (
        "Green NHS Foundation Trust",
        "Red Hospitals NHS Trust",
        "White Hospitals NHS Trust",
    ):
        assert org in line


def test_json_has_the_documented_shape(cli, content):
    data = json.loads(suggest(cli, content, "endoscopy", "--format", "json").stdout)
    assert data["query"] == "endoscopy"
    assert data["areas"] == ["endoscopy"]
    assert data["measures"] == [
        {
            "id": "dm01",
            "name": "Diagnostic waiting times",
            "standard": "Fewer than 1% waiting 6 weeks or more (made up for tests).",
            "sources": [{"title": "Diagnostics standard", "url": "https://example.org/dm01"}],
        }
    ]
    first = data["tactics"][0]
    assert set(first) >= {"id", "title", "summary", "exemplars"}
    assert set(first["exemplars"][0]) == {
        "id",
        "organisation",
        "nearby",
        "outcome",
        "result",
        "evidence",
        "worked",
        "contacts",
        "sources",
    }
    assert set(first["exemplars"][0]["sources"][0]) == {"title", "url", "kind"}


def test_markdown_escapes_content_and_links_sources(cli, tmp_path):
    content = make_content(
        tmp_path,
        tactics=[tactic("weekend-lists", title="Run [weekend](https://evil.example.org) *lists*")],
        exemplars=[exemplar("a-org", ["weekend-lists"], "A Trust")],
    )
    out = suggest(cli, content, "endoscopy", "--format", "markdown").stdout
    assert out.startswith("# Ideas and help: Endoscopy\n")
    assert "## 2\\. Offer ideas" in out or "## 2. Offer ideas" in out
    assert r"Run \[weekend\]\(https://evil.example.org\) \*lists\*" in out
    assert "<https://example.org/case/a-org>" in out


def test_content_is_printed_literally_never_as_markup_or_control_codes(cli, tmp_path, monkeypatch):
    path = tmp_path / "content" / "tactics" / "weekend-lists.yaml"
    content = make_content(
        tmp_path,
        tactics=[
            tactic("weekend-lists", title="[bold red]Loud[/] [link=https://example.org]x[/link]")
        ],
        exemplars=[exemplar("a-org", ["weekend-lists"], "A Trust")],
    )
    raw = path.read_text().replace(
        "summary: What weekend-lists is about.",
        'summary: "Sneaky \\e]8;;https://example.org\\e\\\\ \\e[2J text"',
    )
    path.write_text(raw)
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")  # Rich renders as on a terminal
    for fmt in ("markdown", "email", "json"):
        out = suggest(cli, content, "endoscopy", "--format", fmt).stdout
        assert "\x1b" not in out, fmt
    terminal = suggest(cli, content, "endoscopy").stdout
    assert "\x1b[2J" not in terminal
    # The only hyperlinks on a terminal are the ones we make for the exemplar's sources.
    links = set(re.findall("\x1b]8;[^;]*;([^\x1b]*)\x1b\\\\", terminal))
    # Only the real source links are clickable (the measure's and the exemplar's).
    assert links == {"https://example.org/case/a-org", "https://example.org/dm01", ""}
    assert "[bold red]Loud[/] [link=https://example.org]x[/link]" in terminal
    assert "Sneaky ]8;;https://example.org\\ [2J text" in terminal


def test_email_is_a_complete_message_and_headers_cannot_be_injected(cli, content):
    trust = "Orange NHS Trust\nBcc: victim@example.org\r\nX-Evil: 1"
    result = suggest(
        cli,
        content,
        "endoscopy",
        "--format",
        "email",
        "--trust",
        trust,
        "--to",
        "pm@example.org\nCc: x@example.org",
    )
    assert result.exit_code == 0
    message = email.message_from_string(result.stdout, policy=policy.default)
    assert set(message.keys()) == {
        "Subject",
        "To",
        "MIME-Version",
        "Content-Type",
        "Content-Transfer-Encoding",
    }
    assert (
        message["Subject"]
        == "Ideas and help: Endoscopy - Orange NHS Trust Bcc: victim@example.org X-Evil: 1"
    )
    assert message["To"] == "pm@example.org Cc: x@example.org" or "Cc" not in message
    body = message.get_content()
    assert "How are your numbers looking?" in body
    assert "Red Hospitals NHS Trust" in body
    assert message["Content-Transfer-Encoding"] == "8bit"


def test_no_match_exits_1_with_the_search_message(cli, content):
    result = suggest(cli, content, "xylophone quartet")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "No tactics match 'xylophone quartet'." in result.stderr


def test_no_match_in_json_is_still_a_script_with_no_tactics(cli, content):
    # a machine reader parses stdout whatever the exit code, as with `search -f json`
    result = suggest(cli, content, "xylophone quartet", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["query"] == "xylophone quartet" and data["tactics"] == []
    assert "No tactics match 'xylophone quartet'." in result.stderr


def test_record_needs_a_trust(cli, content):
    result = suggest(cli, content, "endoscopy", "--record")
    assert result.exit_code == 2
    assert "--record needs --trust" in result.stderr


def test_suggest_works_on_the_bundled_directory_from_any_folder(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("suggest", "endoscopy", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data["tactics"]) == 3
    for offered in data["tactics"]:
        assert offered["id"].startswith("endoscopy-")
        assert len({e["organisation"] for e in offered["exemplars"]}) == 3
        assert all(s["url"].startswith("http") for e in offered["exemplars"] for s in e["sources"])
    assert os.environ["IMPROVEDIR_HOME"]  # the cache went to the test's own folder


def test_broken_files_are_left_out_with_a_note(cli, content):
    write_yaml(content / "tactics" / "broken.yaml", {"id": "broken"})
    result = suggest(cli, content, "endoscopy")
    assert result.exit_code == 0
    assert "Note: the content has 3 problem(s); files with errors are left out." in result.stderr


def test_email_keeps_non_ascii_text_readable(cli, tmp_path):
    content = make_content(
        tmp_path,
        tactics=[tactic("weekend-lists", summary="Extra lists saved £90k – and waits fell.")],
        exemplars=[exemplar("a-org", ["weekend-lists"], "Ysbyty Gwynedd Hôpital Trust")],
    )
    result = suggest(cli, content, "endoscopy", "--format", "email", "--trust", "Café NHS Trust")
    assert result.exit_code == 0
    message = email.message_from_bytes(result.stdout.encode("utf-8"), policy=policy.default)
    assert message["Content-Transfer-Encoding"] == "8bit"
    assert message["Subject"] == "Ideas and help: Endoscopy - Café NHS Trust"
    assert "Extra lists saved £90k – and waits fell." in result.stdout  # readable as pasted
    assert "Ysbyty Gwynedd Hôpital Trust" in message.get_content()
