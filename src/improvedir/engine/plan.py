"""The conversation a performance manager can have: what to offer and who can vouch for it.

The article behind improvedir asks that a performance conversation move from "why aren't
you doing better?" to "have you thought about x, y or z? green, white and red have done it
and can help". This module chooses the tactics and the organisations once, as a
:class:`Plan`; :mod:`improvedir.render.script` turns a plan into text, markdown, email or
JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from ..content.model import Area, Contact, Exemplar, Organisation, Tactic
from ..content.text import clean
from .orgs import OrgIndex, normalise_name, org_key, organisation_for


@dataclass
class Offer:
    """One tactic offered, with the organisations chosen to vouch for it."""

    tactic: Tactic
    exemplars: list[Exemplar]
    wanted: int

    @property
    def shortfall(self) -> int:
        return max(0, self.wanted - len(self.exemplars))


@dataclass
class Plan:
    """Everything a script says, chosen once and rendered in any format."""

    query: str
    areas: list[Area]
    offers: list[Offer]
    trust: str | None = None
    corrections: dict[str, str] = field(default_factory=dict)
    recorded: bool = False  # kept in the conversation log: `improvedir followup` finds it
    region: str | None = None  # the trust's NHS England region, when organisations.yaml knows it
    nearby: set[str] = field(default_factory=set)  # ids of offered exemplars in that region

    @property
    def measures(self) -> list[str]:
        seen: dict[str, None] = {}
        for area in self.areas:
            for measure in area.measures:
                seen.setdefault(measure)
        return list(seen)

    @property
    def topic(self) -> str:
        if self.areas:
            return " and ".join(a.name for a in self.areas[:2])
        return self.query


def choose_exemplars(
    exemplars: list[Exemplar],
    limit: int,
    *,
    exclude_org_keys: Collection[str] = (),
    nearby: Callable[[Exemplar], bool] | None = None,
) -> list[Exemplar]:
    """Up to ``limit`` exemplars from distinct organisations, the most useful first.

    Useful means: someone agreed to be contacted, then most recently verified, then a
    measured outcome to quote; among exemplars otherwise equal, ``nearby`` ones (in the
    trust's region) first. Organisations whose :func:`org_key` is in ``exclude_org_keys``
    are never chosen: a trust is not offered itself as someone to call.
    """

    def rank(e: Exemplar) -> tuple[int, str, int, int, str]:
        reachable = any(c.reachable for c in e.contacts)
        near = 0 if nearby is not None and nearby(e) else 1
        return (0 if reachable else 1, _negate(e.last_verified), 0 if e.outcome else 1, near, e.id)

    chosen: list[Exemplar] = []
    seen: set[str] = set(exclude_org_keys)
    for exemplar in sorted(exemplars, key=rank):
        key = org_key(exemplar)
        if key in seen:
            continue
        seen.add(key)
        chosen.append(exemplar)
        if len(chosen) == limit:
            break
    return chosen


def _negate(date: str) -> str:
    # Sort newest first while keeping a string key: invert each digit.
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in date)


def contact_line(contact: Contact) -> str:
    who = ", ".join(part for part in (clean(contact.name), clean(contact.role)) if part)
    if contact.reachable:
        return f"{who} <{clean(contact.email)}>" if who else clean(contact.email)
    return who


#: How many sources a script lists per exemplar (the log keeps the same ones).
SOURCES_SHOWN = 2


def shown_contacts(e: Exemplar) -> list[Contact]:
    """The people a script names for ``e``: those who agreed to be listed, if any, else the
    named people to ask for (whose email, if any, is never shown)."""
    return [c for c in e.contacts if c.reachable] or [c for c in e.contacts if contact_line(c)]


def plan_for(
    catalogue,
    results,
    tactics: int = 3,
    exemplars: int = 3,
    trust: str | None = None,
    organisations: Sequence[Organisation] | OrgIndex = (),
) -> Plan:
    """Turn search results into a plan: the top tactics and who can vouch for each.

    With a ``trust``, its own exemplars are left out (matched by name, or through
    ``organisations`` by any name it answers to) and, when its region is known, other
    organisations in that region come first among equals.
    """
    index = organisations if isinstance(organisations, OrgIndex) else OrgIndex(organisations)
    home = organisation_for(trust, index) if trust and index.entries else None
    region = home.region if home is not None else None
    looked_up: dict[str, Organisation | None] = {}

    def org_of(e: Exemplar) -> Organisation | None:
        if e.organisation.name not in looked_up:
            looked_up[e.organisation.name] = organisation_for(e.organisation.name, index)
        return looked_up[e.organisation.name]

    def own(e: Exemplar) -> bool:
        if trust and normalise_name(e.organisation.name) == normalise_name(trust):
            return True
        return home is not None and org_of(e) == home

    def near(e: Exemplar) -> bool:
        org = org_of(e)
        return org is not None and org.region == region

    offers = []
    for hit in results.hits[:tactics]:
        candidates = catalogue.exemplars_for(hit.tactic.id)
        excluded = {org_key(e) for e in candidates if own(e)} if trust else set()
        chosen = choose_exemplars(
            candidates, exemplars, exclude_org_keys=excluded, nearby=near if region else None
        )
        offers.append(Offer(hit.tactic, chosen, exemplars))
    area_ids = list(results.areas)
    if not area_ids and results.hits:
        area_ids = list(results.hits[0].tactic.areas)
    areas = [catalogue.areas[a] for a in area_ids if a in catalogue.areas]
    nearby = {e.id for o in offers for e in o.exemplars if near(e)} if region else set()
    return Plan(
        results.query,
        areas,
        offers,
        trust=trust,
        corrections=dict(results.corrections),
        region=region,
        nearby=nearby,
    )
