"""The invitation to be listed: a short, kind email a maintainer sends to one named person.

It says what the directory is and who uses it, shows their entry exactly as a manager
sees it today (the script's own organisation block), says plainly what agreeing means and
that they can withdraw at any time, and how to reply, with the exact command the
maintainer will run on a yes. Built with the standard library's email package, so every
header is single-line and the file opens in any mail client as a draft.
"""

from __future__ import annotations

import textwrap
from email.message import EmailMessage
from email.policy import SMTP

from ..content.model import CONSENT_YEARS
from ..content.text import clean
from ..engine.invite import Invitee
from .script import _org_block, quote_arg

_YEARS = {2: "two", 3: "three"}


def consent_command(person: Invitee) -> str:
    """The command the maintainer runs when this person says yes."""
    address = person.to or "ADDRESS"
    return (
        f"improvedir consent {person.exemplar.id} --contact {quote_arg(person.name)} "
        f"--email {address} --how email"
    )


def invitation_text(person: Invitee, sender: str | None = None) -> str:
    """The message body, as plain text."""
    e = person.exemplar
    titles = [f'"{clean(t.title)}"' for t in person.tactics] or ["its tactics"]
    role = clean(person.contact.role)
    listed = (
        f"your name, role ({role}) and email address" if role else "your name and email address"
    )
    lines = [
        f"Dear {person.name},",
        "",
        "I look after improvedir, a directory of NHS improvement tactics that have worked, "
        "each backed by the organisations that made them work. NHS performance managers "
        "use it to prepare their calls with trusts: rather than only asking about the "
        "numbers, they offer ideas that have worked elsewhere and the teams who can help.",
        "",
        f"Your team's work is in it, from public sources, under {_join(titles)}. This is "
        "the entry exactly as a manager sees it today:",
        "",
    ]
    lines += [f"  {line}" for line in _org_block(e)]
    lines += [
        "",
        "Would you be happy to be listed as someone they can contact about it? If you "
        f"agree, {listed} will be shown to NHS performance "
        "managers and trust teams looking for help with this. Your agreement lasts "
        f"{_YEARS.get(CONSENT_YEARS, CONSENT_YEARS)} years, and you can withdraw at any time: just tell me and your "
        "email is taken off straight away (your name stays only as the public source "
        "gives it).",
        "",
        "To agree, reply to this email saying yes, from the address you would like "
        "listed (or tell me which one). I will then record it with:",
        "",
        f"    {consent_command(person)}",
        "",
        "If you would rather not, there is no need to reply. Thank you for the work you "
        "did, and for considering this.",
        "",
        "Best wishes,",
        clean(sender) if sender else "",
    ]
    return "\n".join(_wrap(line) for line in lines).rstrip() + "\n"


def _wrap(line: str) -> str:
    # Prose is wrapped for reading in any client; the entry and the command are kept whole.
    if line.startswith(" ") or len(line) <= 76:
        return line
    return textwrap.fill(line, width=76, break_long_words=False, break_on_hyphens=False)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def invitation_email(person: Invitee, sender: str | None = None) -> bytes:
    """A complete RFC 5322 message (a draft: To is left for the sender to fill unless the
    content already holds this person's consented address)."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = clean(
        f"Would you be listed as a contact for {clean(person.exemplar.organisation.name)}?"
    )
    message["To"] = person.to or ""
    if sender and "@" in sender:
        message["From"] = clean(sender)
    message["X-Unsent"] = "1"  # opens as a draft to send, not a received message
    message["MIME-Version"] = "1.0"
    body = invitation_text(person, sender if sender and "@" not in sender else _name(sender))
    long_line = any(len(line.encode()) > 990 for line in body.splitlines())
    message.set_content(body, charset="utf-8", cte="quoted-printable" if long_line else "8bit")
    return message.as_bytes().replace(b"\r\n", b"\n")


def _name(sender: str | None) -> str | None:
    """The display name of "Name <address>" (None for a bare address)."""
    if not sender:
        return None
    from email.utils import parseaddr

    name, _ = parseaddr(sender)
    return name or None
