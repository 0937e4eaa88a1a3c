"""The command line as a whole: every command documented, version, usage errors."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from improvedir import __version__
from improvedir.cli import load_commands

app = load_commands()

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_every_command_has_help_and_a_readme_row(cli):
    names = _commands()
    assert {"validate", "check", "gaps", "new", "search", "suggest", "log", "followup"} <= set(
        names
    )
    for name in names:
        result = cli(name, "--help")
        assert result.exit_code == 0, name
        assert len(result.stdout.split("\n\n")[1].strip()) > 20, name  # a real description
        assert re.search(rf"`improvedir {name}\b", README), f"README does not document {name}"


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"improvedir {__version__}\n"


def test_no_arguments_shows_help(cli):
    result = cli()
    assert "Usage:" in result.stdout + result.stderr
    assert "suggest" in result.stdout + result.stderr


def test_unknown_command_is_a_usage_error(cli):
    assert cli("sugest", "endoscopy").exit_code == 2
