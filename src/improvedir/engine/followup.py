"""Following up a recorded conversation: which trust was meant, what was offered, what changed.

The log (:mod:`improvedir.store.convlog`) keeps what a manager offered; this module is what
the next call does with it. It works on logged values only, so a follow-up names what was
offered on the call, not what a search would offer today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..content.model import Area, Contact, Exemplar, Link, Organisation, Tactic
from ..content.text import clean
from . import plan as script
from .orgs import match_trust as match_trust  # re-exported: callers found it here first
from .orgs import normalise_name

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


#: How a tactic offered on a call went, as recorded at the follow-up. "did-not-work" means it
#: was taken up and did not help; "not-adopted" that the trust chose not to try it.
RESULTS = ("adopted", "trying", "not-adopted", "did-not-work")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One follow-up entry: free text, per-tactic results, or both (text is "" when absent)."""

    time: str
    text: str
    line: int
    results: tuple[tuple[str, str], ...] = ()


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
        """The latest outcome text: a manager may correct what they first wrote."""
        texts = [o.text for o in self.outcomes if o.text]
        return texts[-1] if texts else None

    @property
    def results(self) -> dict[str, str]:
        """The latest result for each tactic, in the order the tactics were offered.

        A later entry overrides an earlier one tactic by tactic, so "trying" recorded in
        November and "adopted" in January leaves "adopted".
        """
        latest: dict[str, str] = {}
        for outcome in self.outcomes:
            latest.update(outcome.results)
        order = {o.tactic: i for i, o in enumerate(self.offers)}
        return dict(sorted(latest.items(), key=lambda item: order.get(item[0], len(order))))

    def result_text(self, tactic: str) -> str | None:
        """What was said about ``tactic``: the text recorded with its latest result, else the
        latest outcome text of the conversation."""
        for outcome in reversed(self.outcomes):
            if tactic in dict(outcome.results):
                if outcome.text:
                    return outcome.text
                break
        return self.outcome

    @property
    def open_tactics(self) -> list[LoggedOffer]:
        """Offers with no result recorded yet: what the next call still has to ask about."""
        done = self.results
        return [o for o in self.offers if o.tactic not in done]

    @property
    def summary(self) -> str:
        """Results and the latest text on one line, for the log's outcome column."""
        parts = "; ".join(f"{t}: {r}" for t, r in self.results.items())
        text = self.outcome or ""
        if parts and text:
            return f"{parts}. {text}"
        return parts or text

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
            "results": [{"tactic": t, "result": r} for t, r in self.results.items()],
            "outcomes": [
                {
                    "time": x.time,
                    "outcome": x.text or None,
                    "results": [{"tactic": t, "result": r} for t, r in x.results],
                }
                for x in self.outcomes
            ],
        }


#: The letters a script labels its tactics with (A., B., ...), accepted as --tactic values.
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class ResultsError(Exception):
    """Per-tactic results that cannot be recorded; ``usage`` marks a misused command line."""

    def __init__(self, message: str, *, usage: bool = False):
        super().__init__(message)
        self.usage = usage


def pair_results(
    conversation: Conversation, tactics: Sequence[str], results: Sequence[str]
) -> list[tuple[str, str]]:
    """Pair ``--tactic`` and ``--result`` values in the order given, checked against the call.

    A tactic is its id or the letter the script gave it (A, B, ...). A manager types these
    on the phone, so anything that could file a result under the wrong tactic is refused
    rather than guessed: a count mismatch or a tactic named twice is a usage error, and a
    tactic not offered on that call gets a did-you-mean.
    """
    from ..content.fuzzy import did_you_mean

    if len(tactics) != len(results):
        raise ResultsError(
            f"give one --result for each --tactic, in the same order "
            f"({len(tactics)} --tactic, {len(results)} --result)",
            usage=True,
        )
    offered = [o.tactic for o in conversation.offers]
    pairs: list[tuple[str, str]] = []
    for typed, result in zip(tactics, results, strict=True):
        if result not in RESULTS:
            raise ResultsError(
                f"unknown result '{result}'; use one of {', '.join(RESULTS)}", usage=True
            )
        tactic = typed
        letter = LETTERS.find(typed) if len(typed) == 1 else -1
        if 0 <= letter < len(offered):  # the script's own label: "B. Run weekend lists"
            tactic = offered[letter]
        if tactic not in offered:
            guess = did_you_mean(tactic, offered)
            containing = [o for o in offered if tactic.lower() in o]
            if not guess and len(containing) == 1:
                guess = containing[0]
            hint = f" (did you mean '{guess}'?)" if guess else ""
            listed = ", ".join(offered) or "none"
            raise ResultsError(
                f"'{tactic}' was not offered in the conversation with {conversation.trust} "
                f"on {conversation.when:%Y-%m-%d}{hint}. Offered: {listed}."
            )
        if tactic in dict(pairs):
            raise ResultsError(f"--tactic {tactic} is given twice", usage=True)
        pairs.append((tactic, result))
    return pairs


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
            c.consent if c.reachable else None,
        )
        for c in script.shown_contacts(exemplar)
    ]


def _contact_dict(contact: Contact) -> dict[str, str]:
    # An email only while its consent is live: the log's own record lapses two years after
    # the call, like the consent it was shown under.
    email = contact.email if contact.reachable else None
    shown = {"name": contact.name, "role": contact.role, "email": email}
    return {k: v for k, v in shown.items() if v}


# --- finding a trust ---


@dataclass(slots=True)
class Trust:
    """One trust's recorded conversations, however its name was written on each call."""

    key: str  # "org:<id>" when organisations.yaml lists it, else "name:<normalised name>"
    name: str  # the full name from organisations.yaml, else the latest spelling in the log
    organisation: Organisation | None
    conversations: list[Conversation]  # newest first

    @property
    def latest(self) -> Conversation:
        return self.conversations[0]

    def spellings(self) -> list[str]:
        """Every name this trust may be typed as: as logged, then as listed."""
        names = list(dict.fromkeys(c.trust for c in reversed(self.conversations)))
        if self.organisation is not None:
            names += [self.organisation.name, *self.organisation.short_names]
        return names


def trusts_in(
    conversations: Iterable[Conversation], organisations: Sequence[Organisation] = ()
) -> list[Trust]:
    """Conversations grouped by trust, the most recently called first.

    Names resolve to organisations.yaml exactly (never by a guess), so "ELHT" and "East
    Lancashire Hospitals NHS Trust" are one trust when the file says so.
    """
    from .orgs import OrgIndex, organisation_for

    index = OrgIndex(organisations)
    groups: dict[str, Trust] = {}
    ordered = sorted(conversations, key=lambda c: (c.when, c.line), reverse=True)
    for conversation in ordered:
        org = organisation_for(conversation.trust, index) if organisations else None
        key = f"org:{org.id}" if org is not None else f"name:{conversation.trust_key}"
        if key not in groups:
            name = org.name if org is not None else conversation.trust
            groups[key] = Trust(key, name, org, [])
        groups[key].conversations.append(conversation)
    return list(groups.values())


def find_trust(
    typed: str, conversations: Iterable[Conversation], organisations: Sequence[Organisation] = ()
) -> list[Trust]:
    """The recorded trusts ``typed`` may mean: one, several (ambiguous) or none.

    Any name a trust answers to counts (as logged, its full name or a short name from
    organisations.yaml), with the forgiveness of :func:`match_trust`.
    """
    trusts = trusts_in(conversations, organisations)
    owner: dict[str, Trust] = {}
    for trust in reversed(trusts):  # the most recent trust keeps a shared spelling
        for name in trust.spellings():
            owner[normalise_name(name)] = trust
    found: list[Trust] = []
    for name in match_trust(typed, [n for t in trusts for n in t.spellings()]):
        trust = owner[normalise_name(name)]
        if trust not in found:
            found.append(trust)
    return found


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


def hide_lapsed(conversation: Conversation, catalogue: Any) -> Conversation:
    """The conversation with every logged email the directory no longer lets us show
    removed (consent withdrawn or lapsed, or the exemplar gone); names and roles stay.

    The log keeps what was shown on the call, but a follow-up weeks later must not show
    an address its owner has since withdrawn.
    """
    offers = []
    for offer in conversation.offers:
        exemplars = []
        for logged in offer.exemplars:
            current = catalogue.exemplar(logged.id)
            live = {c.email for c in current.contacts if c.reachable} if current else set()
            contacts = tuple(
                c if not c.email or c.email in live else replace(c, email=None, consent=None)
                for c in logged.contacts
            )
            exemplars.append(replace(logged, contacts=contacts))
        offers.append(replace(offer, exemplars=tuple(exemplars)))
    return replace(conversation, offers=tuple(offers), outcomes=list(conversation.outcomes))


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
