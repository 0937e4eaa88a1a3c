"""Who to ask for consent: the named people behind exemplars, and what became of asking.

A script can only say "these teams can help" with a way in; an email is the best way in,
and it may be shown only when its owner agreed. This module chooses whom to invite (the
people an exemplar names, by name), in the order that helps managers soonest (the
tactics offered most often first), and judges the invitations already sent against the
content: an invitation is answered once the contact has a consent record given on or
after the day it was sent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.fuzzy import did_you_mean
from ..content.model import Contact, Directory, Exemplar, Tactic
from ..content.schemacheck import slugify
from ..content.text import clean

#: How long after an invitation it counts as unanswered.
WAIT = dt.timedelta(weeks=3)


class InviteError(Exception):
    """Nothing can be chosen: an unknown exemplar or tactic (with a did-you-mean)."""


@dataclass(frozen=True)
class Invitee:
    """One named person to invite, with the exemplar (and tactics) they would vouch for."""

    exemplar: Exemplar
    contact: Contact
    tactics: tuple[Tactic, ...]

    @property
    def name(self) -> str:
        return clean(self.contact.name)

    @property
    def key(self) -> tuple[str, str]:
        return (self.exemplar.id, person_key(self.contact.name or ""))

    @property
    def to(self) -> str | None:
        """The address already in the content (a lapsed agreement being renewed), else None."""
        c = self.contact
        return clean(c.email) if c.email and c.consent is not None else None


def person_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _people(exemplar: Exemplar, directory: Directory) -> list[Invitee]:
    tactics = tuple(directory.tactics[t] for t in exemplar.tactics if t in directory.tactics)
    return [
        Invitee(exemplar, c, tactics)
        for c in exemplar.contacts
        if c.name and clean(c.name) and not c.reachable
    ]


def offered_counts(conversations: Iterable[Any]) -> Counter[str]:
    """How often each tactic was offered on recorded calls (the conversation log)."""
    return Counter(o.tactic for c in conversations for o in c.offers)


def choose(
    directory: Directory,
    *,
    exemplars: Sequence[str] = (),
    tactic: str | None = None,
    missing: bool = False,
    offered: Counter[str] | None = None,
) -> list[Invitee]:
    """The people to invite, each once, for the exemplars named, a tactic, or (``missing``)
    every exemplar with no live consented contact, most-offered tactics first.

    People who already agreed (and whose agreement is live) are never chosen.
    """
    chosen: list[Exemplar] = []
    if exemplars:
        for ident in exemplars:
            if ident not in directory.exemplars:
                guess = did_you_mean(ident, directory.exemplars)
                hint = f" (did you mean '{guess}'?)" if guess else ""
                raise InviteError(f"unknown exemplar '{ident}'{hint}")
            chosen.append(directory.exemplars[ident])
    elif tactic is not None:
        if tactic not in directory.tactics:
            guess = did_you_mean(tactic, directory.tactics)
            hint = f" (did you mean '{guess}'?)" if guess else ""
            raise InviteError(f"unknown tactic '{tactic}'{hint}")
        chosen = directory.exemplars_for(tactic)
    elif missing:
        counts = offered or Counter()
        order = sorted(
            enumerate(directory.tactics), key=lambda item: (-counts.get(item[1], 0), item[0])
        )
        for _, tactic_id in order:
            for exemplar in directory.exemplars_for(tactic_id):
                if not any(c.reachable for c in exemplar.contacts):
                    chosen.append(exemplar)
    out: list[Invitee] = []
    seen: set[tuple[str, str]] = set()
    for exemplar in chosen:
        for person in _people(exemplar, directory):
            if person.key not in seen:
                seen.add(person.key)
                out.append(person)
    return out


def file_stem(person: Invitee) -> str:
    """A readable file name for one invitation: the exemplar and the person."""
    name = slugify(person.contact.name or "") or "contact"
    return f"{person.exemplar.id}--{name}"[:120]


def write_new(folder: Path, stem: str, data: bytes) -> Path:
    """Write ``data`` as ``stem``.eml in ``folder`` without ever replacing a file: a name
    that is taken gets -2, -3, ... (created exclusively, so a race cannot clobber either)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        path = folder / (f"{stem}.eml" if n == 1 else f"{stem}-{n}.eml")
        try:
            with open(path, "xb") as handle:
                handle.write(data)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder / stem}.eml and 998 numbered copies already exist")


@dataclass(frozen=True)
class Sent:
    """One invitation as remembered, judged against the content today."""

    time: str
    exemplar: str
    contact: str
    organisation: str
    file: str
    answered: str | None  # the consent date recorded since, if any
    waiting: bool  # unanswered for WAIT or more

    def as_dict(self) -> dict[str, Any]:
        return {
            "time": self.time,
            "exemplar": self.exemplar,
            "contact": self.contact,
            "organisation": self.organisation,
            "file": self.file,
            "answered": self.answered,
            "waiting": self.waiting,
        }


def status(entries: Iterable[dict[str, Any]], directory: Directory, now: dt.datetime) -> list[Sent]:
    """The latest invitation to each person, newest first, with whether they answered
    (a consent record given on or after it) and whether three weeks have passed without."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in entries:
        latest[(entry["exemplar"], person_key(entry["contact"]))] = entry
    out = []
    for (ident, key), entry in latest.items():
        sent = _parse(entry["time"])
        answered = None
        exemplar = directory.exemplars.get(ident)
        for c in exemplar.contacts if exemplar else ():
            if (
                person_key(c.name or "") == key
                and c.consent
                and c.consent.given >= entry["time"][:10]
            ):
                answered = c.consent.given
        out.append(
            Sent(
                entry["time"],
                ident,
                entry["contact"],
                entry.get("organisation", ""),
                entry.get("file", ""),
                answered,
                answered is None and now - sent >= WAIT,
            )
        )
    return sorted(out, key=lambda s: s.time, reverse=True)


def _parse(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(re.sub(r"Z$", "+00:00", text))
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
