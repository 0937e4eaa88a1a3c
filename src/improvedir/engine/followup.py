"""Following up a recorded conversation: which trust was meant, what was offered, what changed.

The log (:mod:`improvedir.store.convlog`) keeps what a manager offered; this module is what
the next call does with it. It works on logged values only, so a follow-up names what was
offered on the call, not what a search would offer today.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..content.model import Area, Contact, Exemplar, Link, Organisation, Tactic
from ..content.text import clean
from . import plan as script
from .orgs import normalise_name

# How close a mistyped trust name must be (rapidfuzz ratio, 0-100), and how far behind the
# best a second trust may score before the name counts as ambiguous rather than a typo.
MATCH_CUTOFF = 80.0
MATCH_MARGIN = 5.0


# --- what the log holds ---


@dataclass(frozen=True, slots=True)
class LoggedExemplar:
    id: str
    organisation: str
    contacts: tuple[Contact, ...] = ()
    sources: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class LoggedOffer:
    tactic: str
    title: str
    exemplars: tuple[LoggedExemplar, ...] = ()


@dataclass(frozen=True, slots=True)
class Outcome:
    time: str
    text: str
    line: int


@dataclass(slots=True)
class Conversation:
    """One recorded call, with any outcomes recorded for it later."""

    time: str
    trust: str
    query: str
    areas: tuple[tuple[str, str], ...]
    offers: tuple[LoggedOffer, ...]
    line: int
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def when(self) -> dt.datetime:
        return parse_time(self.time)

    @property
    def outcome(self) -> str | None:
        """The latest outcome: a manager may correct what they first wrote."""
        return self.outcomes[-1].text if self.outcomes else None

    @property
    def trust_key(self) -> str:
        return normalise_name(self.trust)

    def as_dict(self) -> dict[str, Any]:
        """The entry as logged, plus its outcomes: what `log --format json` promises."""
        return {
            "time": self.time,
            "trust": self.trust,
            "query": self.query,
            "areas": [{"id": i, "name": n} for i, n in self.areas],
            "offers": [
                {
                    "tactic": o.tactic,
                    "title": o.title,
                    "exemplars": [
                        {
                            "id": e.id,
                            "organisation": e.organisation,
                            "contacts": [_contact_dict(c) for c in e.contacts],
                            "sources": [{"title": s.title, "url": s.url} for s in e.sources],
                        }
                        for e in o.exemplars
                    ],
                }
                for o in self.offers
            ],
            "outcome": self.outcome,
            "outcomes": [{"time": x.time, "outcome": x.text} for x in self.outcomes],
        }


def parse_time(text: str) -> dt.datetime:
    """ISO 8601 as written by :func:`now` (or by hand); a time without a zone is UTC."""
    value = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


def logged_contacts(exemplar: Exemplar) -> list[Contact]:
    """The contacts a text script prints for ``exemplar`` (:func:`script.shown_contacts`),
    cleaned as printed, so the log never stores anything the manager did not see."""
    return [
        Contact(
            clean(c.name) or None,
            clean(c.role) or None,
            clean(c.email) if c.reachable else None,
            c.reachable,
        )
        for c in script.shown_contacts(exemplar)
    ]


def _contact_dict(contact: Contact) -> dict[str, str]:
    shown = {"name": contact.name, "role": contact.role, "email": contact.email}
    return {k: v for k, v in shown.items() if v}


# --- finding a trust ---

_NHS_TAIL = re.compile(r"\s+nhs(\s.*)?$|\s+(?:foundation\s+)?trust$|\s+ft$")


def _core(key: str) -> str:
    # A typo inside the suffix ("NHS Trsut") stops normalise_name from removing it.
    return _NHS_TAIL.sub("", key).strip() or key


def match_trust(query: str, trusts: Iterable[str]) -> list[str]:
    """The recorded trusts ``query`` plausibly means, best first, one spelling each.

    One name: that trust. Several: ambiguous, for a person to choose. None: no match.
    Managers type trust names from memory, so case, spacing, the NHS suffixes, a leading
    part of the name ("Red" for "Red Hospitals NHS Trust") and small typos all match;
    an exact match always wins over a prefix, and a prefix over a typo.
    """
    from rapidfuzz import fuzz, utils

    names: dict[str, str] = {}
    for trust in trusts:
        names[normalise_name(trust)] = trust  # the last spelling seen is the one shown
    wanted = normalise_name(query)
    if not wanted:
        return []
    if wanted in names:
        return [names[wanted]]
    prefixed = sorted(k for k in names if k.startswith(wanted + " "))
    if prefixed:
        return [names[k] for k in prefixed]

    def score(key: str) -> float:
        return max(
            fuzz.ratio(utils.default_process(wanted), utils.default_process(key)),
            fuzz.ratio(utils.default_process(_core(wanted)), utils.default_process(_core(key))),
        )

    scored = [(score(k), k) for k in names]
    scored = [(s, k) for s, k in scored if s >= MATCH_CUTOFF]
    if not scored:
        return []
    best = max(s for s, _ in scored)
    close = sorted((-s, k) for s, k in scored if s >= best - MATCH_MARGIN)
    return [names[k] for _, k in close]


# --- the follow-up, from the log alone ---


def plan_from(conversation: Conversation) -> script.Plan:
    """A script.Plan naming what was offered, so follow-ups reuse the script's wording.

    Only what was logged is known; everything else is left empty rather than looked up,
    because the follow-up must name what was offered, not what the directory says today.
    """
    areas = [Area(id=i, name=n, path="") for i, n in conversation.areas]
    offers = []
    for offer in conversation.offers:
        tactic = Tactic(offer.tactic, offer.title, "", (), "")
        exemplars = [
            Exemplar(
                id=e.id,
                tactics=(offer.tactic,),
                organisation=Organisation(e.organisation),
                summary="",
                path="",
                last_verified="",
                contacts=e.contacts,
                sources=e.sources,
            )
            for e in offer.exemplars
        ]
        offers.append(script.Offer(tactic, exemplars, len(exemplars)))
    return script.Plan(conversation.query, areas, offers, trust=conversation.trust)


@dataclass(frozen=True, slots=True)
class Change:
    """Something offered on the call that the directory in use no longer says."""

    kind: str  # exemplar-removed, organisation-changed, contacts-changed, tactic-removed
    id: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "message": self.message}


def _contact_text(contacts: Iterable[Contact]) -> str:
    return "; ".join(script.contact_line(c) for c in contacts) or "none listed"


def changes_since(conversation: Conversation, catalogue: Any) -> list[Change]:
    """What changed in the directory since the call, for each tactic and exemplar offered.

    ``catalogue`` needs ``tactic(id)`` and ``exemplar(id)``, as :class:`cache.Catalogue`
    has. An exemplar offered under two tactics is reported once.
    """
    found: list[Change] = []
    seen: set[str] = set()
    for offer in conversation.offers:
        if catalogue.tactic(offer.tactic) is None:
            found.append(
                Change(
                    "tactic-removed",
                    offer.tactic,
                    f"The tactic '{offer.title}' ({offer.tactic}) has since been removed "
                    "from the directory.",
                )
            )
        for logged in offer.exemplars:
            if logged.id in seen:
                continue
            seen.add(logged.id)
            current = catalogue.exemplar(logged.id)
            if current is None:
                found.append(
                    Change(
                        "exemplar-removed",
                        logged.id,
                        f"{logged.organisation} ({logged.id}), offered for '{offer.title}', "
                        "has since been removed from the directory.",
                    )
                )
                continue
            organisation = clean(current.organisation.name)
            if organisation != logged.organisation:
                found.append(
                    Change(
                        "organisation-changed",
                        logged.id,
                        f"{logged.organisation} ({logged.id}) is now listed as {organisation}.",
                    )
                )
            now_shown = logged_contacts(current)
            if [_contact_dict(c) for c in now_shown] != [_contact_dict(c) for c in logged.contacts]:
                found.append(
                    Change(
                        "contacts-changed",
                        logged.id,
                        f"The contacts for {organisation} ({logged.id}) have changed: "
                        f"offered {_contact_text(logged.contacts)}; now "
                        f"{_contact_text(now_shown)}.",
                    )
                )
    return found
