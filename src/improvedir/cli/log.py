"""Commands that remember conversations: log and followup (registered on the app)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated

import typer

from . import (
    EXIT_PROBLEM,
    EXIT_USAGE,
    ContentOption,
    ListFormat,
    ScriptFormat,
    VerboseOption,
    _content_root,
    _fail,
    _stderr,
    app,
)


def _read_log():
    """The log, with every unreadable line reported: skipping silently would hide a loss."""
    from ..store import convlog

    try:
        log = convlog.read_log()
    except convlog.LogError as exc:
        _fail(f"Error: {exc}", EXIT_PROBLEM)
    for problem in log.problems:
        _stderr(f"{problem.path}:{problem.line}: skipped corrupt entry ({problem.reason})")
    return log


def _with_trust(log, typed: str):
    """Conversations with the one trust ``typed`` means, newest first; else exit 1."""
    from ..engine.followup import match_trust
    from ..engine.orgs import normalise_name

    if not log.conversations:
        _fail(
            f"Error: no conversations are recorded yet (in {log.path}). Record one with: "
            'improvedir suggest QUERY --trust "NAME" --record',
            EXIT_PROBLEM,
        )
    matches = match_trust(typed, log.trusts())
    if not matches:
        _fail(f"Error: no conversation with '{typed}' is recorded (in {log.path}).", EXIT_PROBLEM)
    if len(matches) > 1:
        listed = "\n".join(f"  {name}" for name in matches)
        _fail(
            f"Error: '{typed}' could be more than one trust in the log:\n{listed}\n"
            "Give more of the name.",
            EXIT_PROBLEM,
        )
    if normalise_name(typed) != normalise_name(matches[0]):
        _stderr(f"Showing conversations with '{matches[0]}' (you typed '{typed}').")
    return log.with_trust(matches[0])


def _since(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        _fail(
            f"Error: --since must be a date as YYYY-MM-DD, e.g. 2026-11-01; got '{text}'.",
            EXIT_USAGE,
        )


def _when(conversation) -> str:
    return conversation.when.strftime("%Y-%m-%d %H:%M")


def _print_log(conversations) -> None:
    """A Rich table on a terminal; aligned plain text in a pipe, one conversation a line."""
    from rich.table import Table
    from rich.text import Text

    from ..render.script import clean
    from ..render.terminal import out_console

    console = out_console()
    if not console.is_terminal:
        rows = [("time (UTC)", "trust", "query", "offered", "outcome")]
        for c in conversations:
            offered = "; ".join(clean(o.title) for o in c.offers)
            rows.append((_when(c), clean(c.trust), clean(c.query), offered, clean(c.outcome)))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:4])] + [row[4]]
            print("  ".join(cells).rstrip())
        return
    table = Table(title="Conversations, newest first", title_justify="left")
    table.add_column("time (UTC)", no_wrap=True)
    for column in ("trust", "query", "offered", "outcome"):
        table.add_column(column)
    for c in conversations:
        offered = Text()
        for i, offer in enumerate(c.offers):
            if i:
                offered.append("\n")
            offered.append(clean(offer.title), style="bold")
            orgs = ", ".join(clean(e.organisation) for e in offer.exemplars)
            if orgs:
                offered.append("\n  " + orgs, style="dim")
        table.add_row(
            _when(c), Text(clean(c.trust)), Text(clean(c.query)), offered, Text(clean(c.outcome))
        )
    console.print(table)


@app.command("log")
def log_command(
    trust: Annotated[
        str | None,
        typer.Option("--trust", help="Only conversations with this trust (forgiving of typos)."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only conversations on or after this date (YYYY-MM-DD, UTC)."),
    ] = None,
    format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text for people, json for machines.")
    ] = ListFormat.text,
) -> None:
    """List recorded conversations, newest first, with how each went if recorded.

    Conversations are recorded by `improvedir suggest QUERY --trust NAME --record`.
    Exit 0 (also when none are recorded), 1 when --trust matches no trust or several,
    2 on a bad --since.
    """
    start = _since(since)
    log = _read_log()
    conversations = _with_trust(log, trust) if trust else log.newest_first()
    if start:
        conversations = [c for c in conversations if c.when.date() >= start]
    if format is ListFormat.json:
        print(json.dumps([c.as_dict() for c in conversations], indent=2, ensure_ascii=False))
        return
    if not conversations:
        _stderr(
            "No conversations match." if log.conversations else "No conversations recorded yet."
        )
        return
    _print_log(conversations)


@app.command()
def followup(
    trust: Annotated[
        str, typer.Argument(help="The trust you are calling again (forgiving of typos).")
    ],
    format: Annotated[
        ScriptFormat,
        typer.Option("--format", "-f", help="text, markdown, email (RFC 5322) or json."),
    ] = ScriptFormat.text,
    outcome: Annotated[
        str | None,
        typer.Option(
            "--outcome", help="Record how it went instead of printing the script; `log` shows it."
        ),
    ] = None,
    content: ContentOption = None,
    verbose: VerboseOption = False,
) -> None:
    """The follow-up script for the latest recorded conversation with a trust.

    It names the tactics and organisations exactly as offered on that call (from the log,
    not searched again) and says on stderr if the directory in use has since removed an
    exemplar or changed its organisation or contacts. Exit 0 with a script or a recorded
    outcome, 1 when no conversation (or more than one trust) matches.
    """
    from ..engine import followup as follow
    from ..render import script

    conversation = _with_trust(_read_log(), trust)[0]
    if outcome is not None:
        _record_outcome(conversation, outcome, format)
        return

    from ..store.cache import open_catalogue

    catalogue = open_catalogue(_content_root(content, verbose))
    changes = follow.changes_since(conversation, catalogue)
    plan = follow.plan_from(conversation)
    if format is ScriptFormat.json:
        data = script.as_dict(plan, follow_up=True)
        data["conversation"] = {"time": conversation.time, "trust": conversation.trust}
        data["outcome"] = conversation.outcome
        data["changes"] = [c.as_dict() for c in changes]
        print(json.dumps(data, indent=2, ensure_ascii=False))
    elif format is ScriptFormat.markdown:
        print(script.render_markdown(plan, follow_up=True), end="")
    elif format is ScriptFormat.email:
        print(script.render_email(plan, follow_up=True), end="")
    else:
        from ..render.search_list import print_script

        print_script(plan, follow_up=True)
    _stderr(
        f"From the conversation with {script.clean(conversation.trust)} on "
        f"{_when(conversation)} UTC."
    )
    if changes:
        _stderr("Changed in the directory since that call:")
        for change in changes:
            _stderr(f"- {change.message}")


def _record_outcome(conversation, text: str, format: ScriptFormat) -> None:
    from ..render import script
    from ..store import convlog

    if not script.clean(text):
        _fail(
            'Error: --outcome is empty; say how it went, e.g. --outcome "Trying weekend lists".',
            EXIT_USAGE,
        )
    try:
        path = convlog.record_outcome(conversation, text)
    except convlog.LogError as exc:
        _fail(f"Error: could not record the outcome: {exc}", EXIT_PROBLEM)
    recorded = script.clean(text)
    if format is ScriptFormat.json:
        print(
            json.dumps(
                {
                    "conversation": {"time": conversation.time, "trust": conversation.trust},
                    "outcome": recorded,
                    "log": str(path),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    print(
        f"Recorded the outcome of the conversation with {script.clean(conversation.trust)} "
        f"on {_when(conversation)} UTC: {recorded}"
    )
