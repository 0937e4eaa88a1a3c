"""new tactic / new exemplar: files that fail validate only on their TODOs, and refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from improvedir.content.validate import load_directory

from .conftest import covered_content


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    covered_content(tmp_path)
    return tmp_path


def _problems(content: Path) -> list[tuple[str, str, int, str]]:
    """(file, rule, line, field) for every diagnostic: the whole directory, not one file."""
    out = []
    for d in load_directory(content).diagnostics:
        field = d.message.split(" ", 1)[0]
        out.append((Path(d.path).name, d.rule, d.line, field))
    return out


def test_new_tactic_fails_validate_only_on_its_todos(cli, here: Path) -> None:
    result = cli("new", "tactic", "Book endoscopy by phone", "--area", "endoscopy")
    assert result.exit_code == 0, result.output
    assert result.stdout == "content/tactics/book-endoscopy-by-phone.yaml\n"
    written = here / "content" / "tactics" / "book-endoscopy-by-phone.yaml"
    text = written.read_text(encoding="utf-8")
    assert (
        text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/tactic.schema.json"
    )
    assert _problems(here / "content") == [
        ("book-endoscopy-by-phone.yaml", "todo-placeholder", 12, "summary"),
        ("book-endoscopy-by-phone.yaml", "todo-placeholder", 19, "keywords[0]"),
        ("book-endoscopy-by-phone.yaml", "todo-placeholder", 25, "steps[0]"),
    ]
    data = yaml.safe_load(text)
    assert (data["id"], data["title"], data["areas"]) == (
        "book-endoscopy-by-phone",
        "Book endoscopy by phone",
        ["endoscopy"],
    )


def test_new_exemplar_fails_validate_only_on_its_todos(cli, here: Path) -> None:
    result = cli(
        "new",
        "exemplar",
        "--tactic",
        "weekend-lists",
        "--org",
        "Purple Hospitals NHS Foundation Trust",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "content/exemplars/purple-hospitals-weekend-lists.yaml\n"
    written = here / "content" / "exemplars" / "purple-hospitals-weekend-lists.yaml"
    text = written.read_text(encoding="utf-8")
    assert text.splitlines()[0] == (
        "# yaml-language-server: $schema=../../schemas/exemplar.schema.json"
    )
    # The URL, result and kind placeholders are each reported twice: as a TODO and as not
    # being a web address or one of the allowed values.
    name = "purple-hospitals-weekend-lists.yaml"
    assert _problems(here / "content") == [
        (name, "todo-placeholder", 18, "summary"),
        (name, "todo-placeholder", 21, "outcome"),
        (name, "schema-enum", 25, "result"),
        (name, "todo-placeholder", 25, "result"),
        (name, "todo-placeholder", 44, "sources[0].title"),
        (name, "todo-placeholder", 45, "sources[0].url"),
        (name, "url-scheme", 45, "sources[0].url"),
        (name, "schema-enum", 46, "sources[0].kind"),
        (name, "todo-placeholder", 46, "sources[0].kind"),
    ]
    data = yaml.safe_load(text)
    assert data["organisation"] == {"name": "Purple Hospitals NHS Foundation Trust"}
    assert data["tactics"] == ["weekend-lists"]
    assert data["contacts"] == []
    assert data["last_verified"] == dt.date.today().isoformat()


def test_awkward_title_is_kept_exactly(cli, here: Path) -> None:
    title = 'Cut DNAs: text "reminders" #1 [bold]now[/bold] \\ 100%'
    result = cli("new", "tactic", title, "--area", "maternity")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(Path(result.stdout.strip()).read_text(encoding="utf-8"))
    assert data["id"] == "cut-dnas-text-reminders-1-bold-now-bold-100"
    assert data["title"] == title


def test_new_exemplar_for_a_just_scaffolded_tactic(cli, here: Path) -> None:
    # The tactic file still has TODOs, so it does not load; its id must still be accepted.
    assert cli("new", "tactic", "Pool referrals", "--area", "endoscopy").exit_code == 0
    result = cli("new", "exemplar", "--tactic", "pool-referrals", "--org", "Red Health Board")
    assert result.exit_code == 0, result.output
    assert result.stdout == "content/exemplars/red-health-board-pool-referrals.yaml\n"


@pytest.mark.parametrize(
    ("args", "existing"),
    [
        (["tactic", "Weekend lists", "--area", "endoscopy"], "content/tactics/weekend-lists.yaml"),
        (
            ["exemplar", "--tactic", "weekend-lists", "--org", "Red Hospitals NHS Trust"],
            "content/exemplars/red-hospitals-weekend-lists.yaml",
        ),
    ],
)
def test_refuses_to_overwrite_unless_forced(cli, here: Path, args, existing) -> None:
    path = here / existing
    original = b"# my careful work\xc2\xa0\r\nid: keep-me\n"
    path.write_bytes(original)
    refused = cli("new", *args)
    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert f"{existing} already exists" in refused.stderr
    assert "--force" in refused.stderr
    assert path.read_bytes() == original
    forced = cli("new", *args, "--force")
    assert forced.exit_code == 0
    assert forced.stdout == f"{existing}\n"
    assert path.read_bytes() != original
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")


def test_refuses_unknown_area_with_suggestion(cli, here: Path) -> None:
    before = sorted(p.name for p in (here / "content" / "tactics").iterdir())
    result = cli("new", "tactic", "Anything", "--area", "endoscpy")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: unknown area 'endoscpy'; did you mean 'endoscopy'?"
    assert sorted(p.name for p in (here / "content" / "tactics").iterdir()) == before


def test_refuses_unknown_tactic_with_suggestion(cli, here: Path) -> None:
    before = sorted(p.name for p in (here / "content" / "exemplars").iterdir())
    result = cli("new", "exemplar", "--tactic", "weekend-list", "--org", "Red NHS Trust")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: unknown tactic 'weekend-list'; did you mean 'weekend-lists'?"
    )
    assert sorted(p.name for p in (here / "content" / "exemplars").iterdir()) == before


def test_title_without_letters_is_a_usage_error(cli, here: Path) -> None:
    result = cli("new", "tactic", "!!!", "--area", "endoscopy")
    assert result.exit_code == 2
    assert "cannot make an id from the title '!!!'" in result.stderr
