"""`improvedir validate`: every rule and hostile input, asserting exit code, file and line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from improvedir.content.validate import load_directory

from .conftest import CONSENT, exemplar, make_content, tactic, write_yaml

GOOD_TACTIC = """\
# yaml-language-server: $schema=../../schemas/tactic.schema.json
id: weekend-lists
title: Run weekend lists
summary: Extra lists at weekends.
areas: [endoscopy]
"""


def problems(result) -> list[tuple[str, int, str]]:
    """(file name, line, rule) for each reported problem, as the JSON format gives them."""
    rows = json.loads(result.stdout)
    return [(Path(r["path"]).name, r["line"], r["rule"]) for r in rows]


def run_json(cli, content: Path):
    return cli("validate", "--content", str(content), "--format", "json")


def test_valid_directory_exits_zero_and_says_so(cli, content):
    result = cli("validate", "--content", str(content))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "All 9 files are valid: 3 areas, 1 measures, 2 tactics, 5 exemplars." in result.stderr


def test_text_format_is_path_line_column_message_rule(cli, content):
    (content / "tactics" / "weekend-lists.yaml").write_text(GOOD_TACTIC + "titel: typo\n")
    result = cli("validate", "--content", str(content))
    assert result.exit_code == 1
    path = os.path.relpath(content / "tactics" / "weekend-lists.yaml")
    assert result.stdout.strip() == (
        f"{path}:6:1: unknown field 'titel' (did you mean 'title'?) [schema-unknown-field]"
    )
    assert "1 problem in 1 file." in result.stderr


def test_missing_required_field_points_at_the_mapping(cli, content):
    (content / "tactics" / "weekend-lists.yaml").write_text(
        GOOD_TACTIC.replace("summary: Extra lists at weekends.\n", "")
    )
    result = run_json(cli, content)
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert [(r["line"], r["column"], r["rule"]) for r in rows] == [(2, 1, "schema-required")]
    assert rows[0]["message"].startswith("missing required field 'summary'")


def test_wrong_type_is_located_at_the_value(cli, content):
    (content / "tactics" / "weekend-lists.yaml").write_text(
        GOOD_TACTIC.replace("areas: [endoscopy]", "areas: endoscopy")
    )
    result = run_json(cli, content)
    assert problems(result) == [("weekend-lists.yaml", 5, "schema-type")]
    assert "areas should be a list, not text" in result.stdout


def test_number_where_text_is_wanted_suggests_quotes(cli, content):
    (content / "tactics" / "weekend-lists.yaml").write_text(
        GOOD_TACTIC + "keywords: [scopes, 111]\n"
    )
    result = run_json(cli, content)
    assert problems(result) == [("weekend-lists.yaml", 6, "schema-type")]
    assert "put it in quotes" in result.stdout


def test_every_problem_is_reported_in_one_run_sorted_by_file(cli, content):
    write_yaml(
        content / "tactics" / "weekend-lists.yaml", tactic("weekend-lists", areas=["endoscpy"])
    )
    write_yaml(
        content / "exemplars" / "blue-validation.yaml",
        exemplar("blue-validation", ["list-validaton"], "Blue"),
    )
    write_yaml(
        content / "exemplars" / "red-weekend.yaml",
        exemplar("red-weekend", ["weekend-lists"], "Red", last_verified="2026-02-30"),
    )
    result = run_json(cli, content)
    assert result.exit_code == 1
    assert problems(result) == [
        ("blue-validation.yaml", 3, "ref-unknown-tactic"),
        ("red-weekend.yaml", 15, "date-invalid"),
        ("weekend-lists.yaml", 5, "ref-unknown-area"),
    ]
    messages = [r["message"] for r in json.loads(result.stdout)]
    assert "unknown tactic 'list-validaton' (did you mean 'list-validation'?)" in messages
    assert "unknown area 'endoscpy' (did you mean 'endoscopy'?)" in messages


def test_id_must_equal_file_stem(cli, content):
    write_yaml(content / "tactics" / "weekend-lists.yaml", tactic("weekend-list"))
    result = run_json(cli, content)
    assert ("weekend-lists.yaml", 1, "id-mismatch") in problems(result)


def test_same_id_in_yaml_and_yml_is_a_duplicate(cli, content):
    write_yaml(content / "tactics" / "weekend-lists.yml", tactic("weekend-lists"))
    result = run_json(cli, content)
    assert problems(result) == [("weekend-lists.yml", 1, "id-duplicate")]
    assert "already used by" in result.stdout


def test_duplicate_and_unknown_parent_areas(cli, content):
    areas = [
        {"id": "endoscopy", "name": "Endoscopy", "synonyms": [], "parent": "diagnostix"},
        {"id": "endoscopy", "name": "Again", "synonyms": []},
    ]
    write_yaml(content / "areas.yaml", areas)
    result = run_json(cli, content)
    assert ("areas.yaml", 4, "ref-unknown-area") in problems(result)
    assert ("areas.yaml", 5, "id-duplicate") in problems(result)


def test_parent_cycle_is_reported(cli, content):
    areas = [
        {"id": "a", "name": "A", "synonyms": [], "parent": "b"},
        {"id": "b", "name": "B", "synonyms": [], "parent": "a"},
    ]
    write_yaml(content / "areas.yaml", areas)
    rules = {rule for _f, _l, rule in problems(run_json(cli, content))}
    assert "ref-parent" in rules


@pytest.mark.parametrize(
    ("contact", "rule"),
    [
        ({"name": "Pat", "email": "pat@example.org"}, "email-consent"),
        ({"name": "Pat", "email": "not-an-address", "consent": CONSENT}, "email-invalid"),
    ],
)
def test_email_needs_consent_and_a_valid_address(cli, content, contact, rule):
    write_yaml(
        content / "exemplars" / "red-weekend.yaml",
        exemplar("red-weekend", ["weekend-lists"], "Red", contacts=[contact]),
    )
    assert problems(run_json(cli, content)) == [("red-weekend.yaml", 10, rule)]


def test_consented_email_is_accepted(cli, content):
    contact = {"name": "Pat", "email": "pat@example.org", "consent": CONSENT}
    write_yaml(
        content / "exemplars" / "red-weekend.yaml",
        exemplar("red-weekend", ["weekend-lists"], "Red", contacts=[contact]),
    )
    assert cli("validate", "--content", str(content)).exit_code == 0


def test_contact_needs_name_or_role(cli, content):
    write_yaml(
        content / "exemplars" / "red-weekend.yaml",
        exemplar("red-weekend", ["weekend-lists"], "Red", contacts=[{"consent": CONSENT}]),
    )
    assert problems(run_json(cli, content)) == [("red-weekend.yaml", 9, "schema-contact")]


@pytest.mark.parametrize("url", ["ftp://example.org/x", "javascript:alert(1)", "example.org/x"])
def test_urls_must_be_http_or_https(cli, content, url):
    write_yaml(
        content / "tactics" / "weekend-lists.yaml",
        tactic("weekend-lists", evidence=[{"title": "G", "url": url}]),
    )
    assert problems(run_json(cli, content)) == [("weekend-lists.yaml", 12, "url-scheme")]


def test_control_characters_in_text_are_refused(cli, content):
    path = content / "tactics" / "weekend-lists.yaml"
    path.write_text(GOOD_TACTIC.replace("Extra lists at weekends.", '"Extra \\e[31mred"'))
    assert problems(run_json(cli, content)) == [("weekend-lists.yaml", 4, "text-control-char")]


def test_todo_placeholder_is_refused(cli, content):
    path = content / "tactics" / "weekend-lists.yaml"
    path.write_text(GOOD_TACTIC.replace("Extra lists at weekends.", "'TODO: say what it is'"))
    result = run_json(cli, content)
    assert problems(result) == [("weekend-lists.yaml", 4, "todo-placeholder")]


def test_unquoted_date_and_yes_no_are_read_as_text(content):
    path = content / "exemplars" / "red-weekend.yaml"
    text = path.read_text().replace("last_verified: '2026-11-01'", "last_verified: 2026-11-01")
    path.write_text(text.replace("outcome: Waits fell.", "outcome: yes"))
    loaded = load_directory(content)
    assert loaded.ok
    ex = loaded.directory.exemplars["red-weekend"]
    assert ex.last_verified == "2026-11-01"
    assert ex.outcome == "yes"


# --- hostile and broken files: a clean located error, never a traceback or a hang ---

HOSTILE = [
    ("invalid-utf8", b"id: weekend-lists\ntitle: caf\xe9\n", 2, "yaml-encoding"),
    ("empty", b"", 1, "yaml-empty"),
    ("comments-only", b"# nothing here\n", 1, "yaml-empty"),
    ("wrong-top-level", b"- id: weekend-lists\n", 1, "schema-type"),
    ("syntax", b"id: weekend-lists\ntitle: [unclosed\n", 3, "yaml-syntax"),
    ("tab", b"id: weekend-lists\n\ttitle: x\n", 2, "yaml-tab"),
    ("duplicate-key", b"id: weekend-lists\ntitle: a\ntitle: b\n", 3, "yaml-duplicate-key"),
    ("python-tag", b"id: !!python/object/apply:os.system ['touch PWNED']\n", 1, "yaml-tag"),
    ("alias", b"a: &x [1]\nb: *x\n", 2, "yaml-alias"),
    ("two-documents", b"id: a\n---\nid: b\n", 2, "yaml-multi-doc"),
    ("complex-key", b"? [a, b]\n: c\n", 1, "yaml-key-type"),
]


@pytest.mark.parametrize(("name", "raw", "line", "rule"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_file_gives_a_located_error(
    cli, content, name, raw, line, rule, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    (content / "tactics" / "weekend-lists.yaml").write_bytes(raw)
    result = run_json(cli, content)
    assert result.exit_code == 1
    found = [p for p in problems(result) if p[0] == "weekend-lists.yaml"]
    assert found[0] == ("weekend-lists.yaml", line, rule)
    assert not (tmp_path / "PWNED").exists()


def test_alias_bomb_is_refused_quickly(cli, content):
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    (content / "tactics" / "weekend-lists.yaml").write_text("\n".join(lines) + "\n")
    result = run_json(cli, content)
    assert problems(result)[0] == ("weekend-lists.yaml", 2, "yaml-alias")


def test_symlink_outside_content_is_refused(cli, content, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text(GOOD_TACTIC)
    target = content / "tactics" / "weekend-lists.yaml"
    target.unlink()
    target.symlink_to(outside)
    assert ("weekend-lists.yaml", 1, "file-symlink") in problems(run_json(cli, content))


def test_symlink_inside_content_is_followed(cli, content):
    real = content / "tactics" / "weekend-lists.yaml"
    moved = content / "weekend-lists-real.yaml"
    real.rename(moved)
    real.symlink_to(moved)
    assert cli("validate", "--content", str(content)).exit_code == 0


def test_file_over_one_mebibyte_is_refused(cli, content):
    (content / "tactics" / "weekend-lists.yaml").write_text(
        GOOD_TACTIC + "#" + "x" * (1024 * 1024) + "\n"
    )
    assert problems(run_json(cli, content)) == [("weekend-lists.yaml", 1, "file-too-large")]


def test_missing_areas_yaml_is_a_content_error(cli, content):
    (content / "areas.yaml").unlink()
    result = run_json(cli, content)
    assert result.exit_code == 1
    assert ("areas.yaml", 1, "areas-missing") in problems(result)


# --- formats and exit codes ---


def test_github_format_annotates_file_and_line(cli, content, tmp_path, monkeypatch):
    monkeypatch.chdir(content.parent)
    (content / "tactics" / "weekend-lists.yaml").write_text(GOOD_TACTIC + "titel: typo\n")
    result = cli("validate", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.strip() == (
        "::error file=content/tactics/weekend-lists.yaml,line=6,col=1,title=schema-unknown-field"
        "::unknown field 'titel' (did you mean 'title'?)"
    )


def test_unknown_option_is_a_usage_error(cli):
    assert cli("validate", "--colour").exit_code == 2


def test_missing_content_folder_is_a_usage_error(cli, tmp_path):
    result = cli("validate", "--content", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "no such folder" in result.stderr


# --- finding the content ---


def test_content_found_by_env_then_walk_up(cli, content, tmp_path, monkeypatch):
    deep = content.parent / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    result = cli("validate", "--verbose")
    assert result.exit_code == 0
    assert f"Using content in {content.resolve()} (found above the working folder)" in result.stderr
    other = make_content(tmp_path / "other", tactics=[tactic("only-one")])
    monkeypatch.setenv("IMPROVEDIR_CONTENT", str(other.parent))  # the repo root is accepted
    result = cli("validate", "--verbose")
    assert "$IMPROVEDIR_CONTENT" in result.stderr
    assert "1 tactics" in result.stderr


def test_bundled_content_is_used_outside_any_repo(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("validate", "--verbose")
    assert "(bundled with improvedir)" in result.stderr
