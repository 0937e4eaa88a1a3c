"""The command line: parse options, call the library, print. Nothing else lives here.

Exit codes are a contract with CI and scripts: 0 success, 1 the content or the query is
the problem (or nothing matched), 2 the command itself was used wrongly.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from .. import __version__

app = typer.Typer(
    name="improvedir",
    help=(
        "A directory of proven NHS improvement tactics, each backed by organisations that "
        "made them work, and the help a performance manager can offer on the next call.\n\n"
        "Start with:  improvedir suggest endoscopy"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


class ListFormat(str, Enum):
    """Lists (search results, the conversation log): a table for people or JSON."""

    text = "text"
    json = "json"


class ScriptFormat(str, Enum):
    """The conversation scripts (suggest, followup) share one set of formats."""

    text = "text"
    markdown = "markdown"
    email = "email"
    json = "json"


ContentOption = Annotated[
    Path | None,
    typer.Option(
        "--content",
        help="Content folder (or a repo holding content/). Default: $IMPROVEDIR_CONTENT, "
        "else the nearest content/ above this folder, else the bundled directory.",
        show_default=False,
    ),
]
VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="Say which content folder was used.")
]


def _stderr(message: str) -> None:
    from ..render.terminal import err_console

    err_console().print(message, markup=False, highlight=False, soft_wrap=True)


def _fail(message: str, code: int) -> NoReturn:
    _stderr(message)
    raise typer.Exit(code)


def _date_option(text: str | None, wanted: str) -> dt.date | None:
    """A date option written YYYY-MM-DD, or a usage error saying ``wanted`` and what was
    typed (fromisoformat alone would also take other ISO forms a person did not mean)."""
    if text is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        _fail(f"Error: {wanted}; got '{text}'.", EXIT_USAGE)


def _read_reported(read):
    """A store's ``read()`` (the conversation log, the invitations), with every unreadable
    line reported: skipping silently would hide a loss."""
    from ..store.convlog import LogError

    try:
        found = read()
    except LogError as exc:
        _fail(f"Error: {exc}", EXIT_PROBLEM)
    for problem in found.problems:
        _stderr(f"{problem.path}:{problem.line}: skipped corrupt entry ({problem.reason})")
    return found


def _content_root(content: Path | None, verbose: bool) -> Path:
    from ..content.locate import ContentNotFound, find_content

    try:
        located = find_content(content)
    except ContentNotFound as exc:
        _fail(f"Error: {exc}", EXIT_USAGE)
    if verbose:
        _stderr(f"Using content in {located.path} ({located.how})")
    return located.path


def _organisations(root: Path) -> list:
    """The organisations listed in ``root``'s organisations.yaml (none if it has none).

    A broken entry never stops a call being prepared: it is left out and the manager is
    told to run validate, as `suggest` does for broken content files.
    """
    from ..content.organisations import load_organisations

    loaded = load_organisations(root)
    if loaded.problems:
        _stderr(
            f"Note: organisations.yaml has {loaded.problems} problem(s); entries with errors "
            "are left out. Run: improvedir validate"
        )
    return loaded.organisations


def _version(value: bool) -> None:
    if value:
        print(f"improvedir {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Global options."""


# Commands live in topic modules that register themselves on ``app`` when imported. The
# order here is the order `improvedir --help` lists them: the main job first.
COMMAND_MODULES = {
    "suggest": "suggest",
    "search": "suggest",
    "log": "log",
    "followup": "log",
    "due": "log",
    "report": "log",
    "validate": "check",
    "check": "check",
    "gaps": "check",
    "new": "check",
    "measures": "browse",
    "show": "browse",
    "invite": "contacts",
    "consent": "contacts",
    "withdraw": "contacts",
    "site": "site",
    "export": "site",
}


def load_commands(name: str | None = None) -> typer.Typer:
    """Register the command ``name`` (or, without one, every command) on the app.

    A person running `improvedir suggest` should not pay for building the other seven
    commands; help, completion and tests load them all.
    """
    import importlib

    modules = [COMMAND_MODULES[name]] if name in COMMAND_MODULES else COMMAND_MODULES.values()
    for module in dict.fromkeys(modules):
        importlib.import_module(f"{__package__}.{module}")
    return app


def _command_in(argv: list[str]) -> str | None:
    for arg in argv:
        if not arg.startswith("-"):
            return arg
        if arg in ("--help", "-h", "--version"):
            return None
    return None


def main() -> None:
    """Console entry point: run the app and keep every exit code deliberate."""
    load_commands(_command_in(sys.argv[1:]))
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.exit(130)
    except BrokenPipeError:  # e.g. `improvedir check --verbose | head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)
