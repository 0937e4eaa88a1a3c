"""Commands that remember conversations: log and followup (registered on the app)."""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
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
    _date_option,
    _fail,
    _organisations,
    _read_reported,
    _stderr,
    app,
)


class Result(str, Enum):
    """How a tactic offered on a call went (engine.followup.RESULTS)."""

    adopted = "adopted"
    trying = "trying"
    not_adopted = "not-adopted"
    did_not_work = "did-not-work"


def _read_log():
    from ..store import convlog

    return _read_reported(convlog.read_log)


def _with_trust(log, typed: str, organisations=()):
    """Conversations with the one trust ``typed`` means, newest first; else exit 1."""
    return _find_trust(log, typed, organisations).conversations


def _find_trust(log, typed: str, organisations=()):
    """The one recorded trust ``typed`` means (engine.followup.Trust); else exit 1.

    Any name the trust answers to finds it: as recorded, or its full or short name in
    organisations.yaml ("ELHT" finds "East Lancashire Hospitals NHS Trust").
    """
    from ..engine.followup import find_trust
    from ..engine.orgs import normalise_name

    if not log.conversations:
        _fail(
            f"Error: no conversations are recorded yet (in {log.path}). Record one with: "
            'improvedir suggest QUERY --trust "NAME" --record',
            EXIT_PROBLEM,
        )
    matches = find_trust(typed, log.conversations, organisations)
    if not matches:
        _fail(f"Error: no conversation with '{typed}' is recorded (in {log.path}).", EXIT_PROBLEM)
    if len(matches) > 1:
        listed = "\n".join(f"  {trust.name}" for trust in matches)
        _fail(
            f"Error: '{typed}' could be more than one trust in the log:\n{listed}\n"
            "Give more of the name.",
            EXIT_PROBLEM,
        )
    trust = matches[0]
    if normalise_name(typed) != normalise_name(trust.name):
        _stderr(f"Showing conversations with '{trust.name}' (you typed '{typed}').")
    return trust


def _since(text: str | None) -> dt.date | None:
    return _date_option(text, "--since must be a date as YYYY-MM-DD, e.g. 2026-11-01")


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
            rows.append((_when(c), clean(c.trust), clean(c.query), offered, clean(c.summary)))
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
            _when(c), Text(clean(c.trust)), Text(clean(c.query)), offered, Text(clean(c.summary))
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
    content: ContentOption = None,
    verbose: VerboseOption = False,
) -> None:
    """List recorded conversations, newest first, with how each went if recorded.

    Conversations are recorded by `improvedir suggest QUERY --trust NAME --record`.
    Exit 0 (also when none are recorded), 1 when --trust matches no trust or several,
    2 on a bad --since.
    """
    start = _since(since)
    log = _read_log()
    if trust:
        organisations = _organisations(_content_root(content, verbose))
        conversations = _with_trust(log, trust, organisations)
    else:
        conversations = log.newest_first()
    if start:
        conversations = [c for c in conversations if c.when.date() >= start]
    if format is ListFormat.json:
        if any(
            c.email
            for x in conversations
            for o in x.offers
            for e in o.exemplars
            for c in e.contacts
        ):
            from ..engine.followup import hide_lapsed
            from ..store.cache import open_catalogue

            catalogue = open_catalogue(_content_root(content, verbose))  # withdrawn since?
            conversations = [hide_lapsed(c, catalogue) for c in conversations]
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
    tactics: Annotated[
        list[str] | None,
        typer.Option(
            "--tactic",
            metavar="ID",
            help="A tactic offered on that call, by id or by the script's letter (A, B, ...); "
            "pair each with a --result, in order. Repeat for several tactics.",
        ),
    ] = None,
    results: Annotated[
        list[Result] | None,
        typer.Option(
            "--result",
            metavar="adopted|trying|not-adopted|did-not-work",
            help="How that --tactic went.",
            case_sensitive=False,
        ),
    ] = None,
    content: ContentOption = None,
    verbose: VerboseOption = False,
) -> None:
    """The follow-up script for the latest recorded conversation with a trust.

    It names the tactics and organisations exactly as offered on that call (from the log,
    not searched again) and says on stderr if the directory in use has since removed an
    exemplar or changed its organisation or contacts.

    To record how it went instead, give --outcome TEXT and/or, per tactic,
    --tactic ID --result adopted|trying|not-adopted|did-not-work (repeatable, paired in
    order). `improvedir report` counts the results. Exit 0 with a script or a recorded
    outcome, 1 when no conversation (or more than one trust) matches or a tactic was not
    offered on that call, 2 when --tactic and --result do not pair up.
    """
    from ..engine import followup as follow
    from ..render import script

    tactics, results = tactics or [], [r.value for r in results or []]
    if len(tactics) != len(results):
        _fail(
            f"Error: give one --result for each --tactic, in the same order "
            f"({len(tactics)} --tactic, {len(results)} --result).",
            EXIT_USAGE,
        )
    root = _content_root(content, verbose)
    conversation = _with_trust(_read_log(), trust, _organisations(root))[0]
    if outcome is not None or tactics:
        try:
            pairs = follow.pair_results(conversation, tactics, results)
        except follow.ResultsError as exc:
            _fail(f"Error: {exc}", EXIT_USAGE if exc.usage else EXIT_PROBLEM)
        _record_outcome(conversation, outcome, pairs, format)
        return

    from ..store.cache import open_catalogue

    catalogue = open_catalogue(root)
    conversation = follow.hide_lapsed(conversation, catalogue)
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
    if conversation.offers:
        from ..render.outcomes import followup_command

        labels = ", ".join(
            f"{follow.LETTERS[i]} = {o.tactic}" if i < len(follow.LETTERS) else o.tactic
            for i, o in enumerate(conversation.offers)
        )
        _stderr(
            f"To record how it went: {followup_command(conversation.trust)} --tactic A "
            f"--result adopted|trying|not-adopted|did-not-work (per tactic; {labels})"
        )


def _record_outcome(conversation, text: str | None, pairs, format: ScriptFormat) -> None:
    from ..render import script
    from ..store import convlog

    if text is not None and not script.clean(text):
        _fail(
            'Error: --outcome is empty; say how it went, e.g. --outcome "Trying weekend lists".',
            EXIT_USAGE,
        )
    try:
        path = convlog.record_outcome(conversation, text, results=pairs)
    except convlog.LogError as exc:
        _fail(f"Error: could not record the outcome: {exc}", EXIT_PROBLEM)
    recorded = script.clean(text) or None
    if format is ScriptFormat.json:
        print(
            json.dumps(
                {
                    "conversation": {"time": conversation.time, "trust": conversation.trust},
                    "outcome": recorded,
                    "results": [{"tactic": t, "result": r} for t, r in pairs],
                    "log": str(path),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    said = "; ".join(f"{t}: {r}" for t, r in pairs)
    if recorded:
        said = f"{said}. {recorded}" if said else recorded
    print(
        f"Recorded the outcome of the conversation with {script.clean(conversation.trust)} "
        f"on {_when(conversation)} UTC: {said}"
    )


@app.command()
def due(
    weeks: Annotated[
        int,
        typer.Option("--weeks", min=0, help="How many weeks after a call its follow-up falls due."),
    ] = 3,
    format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text for people, json for machines.")
    ] = ListFormat.text,
    content: ContentOption = None,
    verbose: VerboseOption = False,
) -> None:
    """The call list: trusts whose follow-up is due, oldest call first.

    A trust is due when its latest recorded call is --weeks or more old and no outcome
    has been recorded for it; each comes with the exact `improvedir followup` command to
    run. Names are matched through organisations.yaml, so calls recorded as "ELHT" and
    as the full name count as one trust. Exit 0, also when nothing is due.
    """
    import datetime as dt

    from ..engine.outcomes import due_calls
    from ..render import outcomes

    log = _read_log()
    organisations = _organisations(_content_root(content, verbose)) if log.conversations else []
    calls = due_calls(log.conversations, dt.datetime.now(dt.timezone.utc), weeks, organisations)
    if format is ListFormat.json:
        print(outcomes.due_json(calls))
    elif calls.due:
        print(outcomes.due_text(calls, weeks))
    if calls.due:
        return
    if not log.conversations:
        _stderr(
            "Nothing is due: no conversations are recorded yet. Record one with: "
            'improvedir suggest QUERY --trust "NAME" --record'
        )
        return
    later = (
        f" {calls.not_yet} more will fall due once {weeks} weeks have passed."
        if calls.not_yet
        else ""
    )
    _stderr(
        f"Nothing is due: no call from {weeks} or more weeks ago is waiting for an outcome.{later}"
    )


class OutcomeFormat(str, Enum):
    """The outcomes report: text for people, markdown for a board paper, JSON for machines."""

    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
def report(
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only calls on or after this date (YYYY-MM-DD, UTC)."),
    ] = None,
    format: Annotated[
        OutcomeFormat,
        typer.Option(
            "--format", "-f", help="text for people, markdown for a board paper, json for machines."
        ),
    ] = OutcomeFormat.text,
    content: ContentOption = None,
    verbose: VerboseOption = False,
) -> None:
    """What came of the tactics offered: per tactic and per trust, from the recorded outcomes.

    Per tactic: how often it was offered, adopted, is being tried, worked, did not work or
    was not adopted (from `followup --tactic ID --result ...`); adopted counts every
    trust that took it up, and it worked unless they said it did not. Per trust: the
    tactics offered that still have no result. --format markdown gives tables to paste
    into a board paper. Exit 0 (also when nothing is recorded), 2 on a bad --since.
    """
    from ..engine.outcomes import tally
    from ..render import outcomes

    start = _since(since)
    log = _read_log()
    organisations = _organisations(_content_root(content, verbose)) if log.conversations else []
    result = tally(log.conversations, start, organisations)
    if format is OutcomeFormat.json:
        print(outcomes.report_json(result))
    if not result.conversations:
        _stderr(
            "No conversations match." if log.conversations else "No conversations recorded yet."
        )
        return
    if format is OutcomeFormat.markdown:
        print(outcomes.report_markdown(result), end="")
    elif format is OutcomeFormat.text:
        print(outcomes.report_text(result))
