"""Commands for contacts who agree to be called: invite, consent, withdraw (registered on the app)."""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from . import (
    EXIT_PROBLEM,
    EXIT_USAGE,
    ContentOption,
    ListFormat,
    VerboseOption,
    _content_root,
    _date_option,
    _fail,
    _read_reported,
    _stderr,
    app,
)


class How(str, Enum):
    """How the person said yes (content.model.CONSENT_HOW)."""

    email = "email"
    form = "form"
    in_person = "in-person"
    phone = "phone"


ContactOption = Annotated[
    str,
    typer.Option(
        "--contact", metavar="NAME", help="The person, by name as the exemplar lists them."
    ),
]


def _directory(content: Path | None, verbose: bool):
    """The valid part of the directory; a note when some files are left out."""
    from ..content.validate import load_directory

    loaded = load_directory(_content_root(content, verbose))
    errors = sum(1 for d in loaded.diagnostics if d.severity == "error")
    if errors:
        _stderr(
            f"Note: the content has {errors} problem(s); files with errors are left out. "
            "Run: improvedir validate"
        )
    return loaded.directory


def _read_invitations():
    from ..store import invites

    return _read_reported(invites.read)


def _print_rows(rows: list[tuple[str, ...]]) -> None:
    """Aligned plain columns: the same on a terminal and in a pipe, never coloured."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        print("  ".join(cells).rstrip())


@app.command()
def invite(
    exemplars: Annotated[
        list[str] | None,
        typer.Argument(metavar="EXEMPLAR", help="Exemplar ids whose named people to invite."),
    ] = None,
    tactic: Annotated[
        str | None,
        typer.Option("--tactic", metavar="ID", help="Invite the people behind this tactic."),
    ] = None,
    missing: Annotated[
        bool,
        typer.Option(
            "--missing",
            help="Invite the people behind every exemplar with no consented contact, the "
            "tactics offered most often (in your conversation log) first.",
        ),
    ] = False,
    out: Annotated[
        Path,
        typer.Option("--out", metavar="DIR", help="Where to write the .eml files."),
    ] = Path("invitations"),
    sender: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="NAME", help="Your name (or 'Name <address>') to sign with."
        ),
    ] = None,
    again: Annotated[
        bool, typer.Option("--again", help="Invite people who were already sent one.")
    ] = False,
    status: Annotated[
        bool,
        typer.Option(
            "--status",
            help="List the invitations sent, and who has not answered after three weeks.",
        ),
    ] = False,
    format: Annotated[
        ListFormat,
        typer.Option("--format", "-f", help="With --status: text for people, json for machines."),
    ] = ListFormat.text,
    content: ContentOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Write an invitation to be listed, one .eml file per named person.

    For the exemplars named, every exemplar of --tactic ID, or with --missing every
    exemplar with no consented contact (most-offered tactics first). Each message says what
    the directory is, shows the entry as a manager sees it, what agreeing means, that they
    can withdraw at any time, and the `improvedir consent` command you will run on a yes.
    Files go to --out (default ./invitations) and are never overwritten; To: is left for
    you to fill unless the content already holds their consented address. Invitations are
    remembered in your user data folder: a person already invited is skipped unless
    --again. --status lists them instead. Exit 0, 1 when nobody matches, 2 on a usage error.
    """
    from ..engine import invite as inv

    chosen = sum(bool(x) for x in (exemplars, tactic, missing))
    if status:
        if chosen:
            _fail("Error: --status lists invitations; give it without exemplars.", EXIT_USAGE)
        _status(content, verbose, format)
        return
    if chosen != 1:
        _fail("Error: give exemplar ids, --tactic ID or --missing (one of them).", EXIT_USAGE)
    if format is not ListFormat.text:
        _fail("Error: --format is for --status.", EXIT_USAGE)

    directory = _directory(content, verbose)
    offered = None
    if missing:
        from .log import _read_log

        offered = inv.offered_counts(_read_log().conversations)
    try:
        people = inv.choose(
            directory, exemplars=exemplars or (), tactic=tactic, missing=missing, offered=offered
        )
    except inv.InviteError as exc:
        _fail(f"Error: {exc}", EXIT_PROBLEM)
    if not people:
        _fail(
            "Nobody to invite: no exemplar matched names a person who has not already agreed.",
            EXIT_PROBLEM,
        )
    _write_invitations(people, out, sender, again)


def _write_invitations(people, out: Path, sender: str | None, again: bool) -> None:
    from ..content.files import shown_path
    from ..render.invitation import invitation_email
    from ..store import convlog, invites

    sent = _read_invitations()
    written = skipped = 0
    for person in people:
        before = sent.sent_to(person.exemplar.id, person.key[1])
        if before and not again:
            skipped += 1
            _stderr(
                f"Already invited {person.name} ({person.exemplar.id}) on {before['time'][:10]}; "
                "--again to send another."
            )
            continue
        from ..engine.invite import file_stem, write_new

        try:
            path = write_new(out, file_stem(person), invitation_email(person, sender))
        except OSError as exc:
            _fail(f"Error: cannot write to {out}: {exc.strerror or exc}", EXIT_PROBLEM)
        try:
            invites.record(
                person.exemplar.id, person.name, person.exemplar.organisation.name, path.resolve()
            )
        except convlog.LogError as exc:
            _fail(f"Error: wrote {path} but could not remember it: {exc}", EXIT_PROBLEM)
        print(shown_path(path))
        written += 1
    if written:
        _stderr(
            f"Wrote {written} invitation{'s' if written != 1 else ''}"
            + (f" ({skipped} already sent)" if skipped else "")
            + ". Fill in To: where it is empty, send them, and record each yes with the "
            "command in the message."
        )


def _status(content: Path | None, verbose: bool, format: ListFormat) -> None:
    from ..engine import invite as inv

    sent = _read_invitations()
    if not sent.entries:
        if format is ListFormat.json:
            print("[]")
        _stderr("No invitations sent yet. Write some with: improvedir invite --missing")
        return
    directory = _directory(content, verbose)
    rows = inv.status(sent.entries, directory, dt.datetime.now(dt.timezone.utc))
    if format is ListFormat.json:
        print(json.dumps([r.as_dict() for r in rows], indent=2, ensure_ascii=False))
        return
    table = [("sent (UTC)", "exemplar", "contact", "answer")]
    for r in rows:
        if r.answered:
            answer = f"agreed {r.answered}"
        elif r.waiting:
            answer = "no answer after 3 weeks"
        else:
            answer = "waiting"
        table.append((r.time[:16].replace("T", " "), r.exemplar, r.contact, answer))
    _print_rows(table)
    waiting = sum(r.waiting for r in rows)
    if waiting:
        _stderr(
            f"{waiting} {'person has' if waiting == 1 else 'people have'} not answered after "
            "3 weeks; remind them, or invite again with --again."
        )


def _date(text: str | None) -> dt.date | None:
    return _date_option(text, "--date must be a real date as YYYY-MM-DD")


def _edit(make) -> None:
    from ..engine.consent import ConsentError

    try:
        edit = make()
    except ConsentError as exc:
        _fail(f"Error: {exc}", EXIT_USAGE if exc.usage else EXIT_PROBLEM)
    except OSError as exc:
        _fail(f"Error: cannot write the file: {exc.strerror or exc}", EXIT_PROBLEM)
    print(edit.diff, end="")
    return edit


@app.command()
def consent(
    exemplar: Annotated[
        str, typer.Argument(metavar="EXEMPLAR", help="The exemplar id that lists the person.")
    ],
    contact: ContactOption,
    email: Annotated[
        str, typer.Option("--email", metavar="ADDRESS", help="The address they agreed to list.")
    ],
    how: Annotated[How, typer.Option("--how", help="How they said yes.")],
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="When they agreed. Default: today."),
    ] = None,
    content: ContentOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Record that a contact agreed to be listed: add their email and a consent record.

    Edits the exemplar file in place, changing only that contact's lines (comments and
    order are kept) and prints the diff; then validates the file and puts the original
    back if it fails. Their email is shown for two years from --date. Exit 0 when
    recorded, 1 for an unknown exemplar or contact, an invalid address or a file that
    would not validate, 2 on a usage error.
    """
    from ..engine.consent import record_consent
    from .check import _writable_root

    given = _date(date)
    root = _writable_root(content, verbose)
    edit = _edit(lambda: record_consent(root, exemplar, contact, email, how.value, given))
    _stderr(
        f"Recorded consent for {edit.contact} in {edit.exemplar}: their email is shown "
        "from now on. Commit the change."
        if edit.diff
        else f"Nothing to change: {edit.contact} in {edit.exemplar} already has that record."
    )


@app.command()
def withdraw(
    exemplar: Annotated[
        str, typer.Argument(metavar="EXEMPLAR", help="The exemplar id that lists the person.")
    ],
    contact: ContactOption,
    content: ContentOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Take a contact's email and consent record off their exemplar (they withdrew).

    Their name and role stay, as the public source gives them. Edits only that contact's
    lines, prints the diff and validates the file as `consent` does. Exit 0 when removed,
    1 for an unknown exemplar or contact or nothing to withdraw, 2 on a usage error.
    """
    from ..engine.consent import withdraw_consent
    from .check import _writable_root

    root = _writable_root(content, verbose)
    edit = _edit(lambda: withdraw_consent(root, exemplar, contact))
    _stderr(
        f"Withdrew {edit.contact}'s email from {edit.exemplar}; it is no longer shown. "
        "Commit the change."
    )
