"""The conversation a performance manager can have: what to offer and who can vouch for it.

The article behind improvedir asks that a performance conversation move from "why aren't
you doing better?" to "have you thought about x, y or z? green, white and red have done it
and can help". This module chooses the tactics and the organisations once, as a
:class:`Plan`; :mod:`improvedir.render.script` turns a plan into text, markdown, email or
JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content.model import Area, Contact, Exemplar, Tactic
from ..content.text import clean
from .orgs import org_key


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


def choose_exemplars(exemplars: list[Exemplar], limit: int) -> list[Exemplar]:
    """Up to ``limit`` exemplars from distinct organisations, the most useful first.

    Useful means: someone agreed to be contacted, then most recently verified, then a
    measured outcome to quote.
    """

    def rank(e: Exemplar) -> tuple[int, str, int, str]:
        reachable = any(c.reachable for c in e.contacts)
        return (0 if reachable else 1, _negate(e.last_verified), 0 if e.outcome else 1, e.id)

    chosen: list[Exemplar] = []
    seen: set[str] = set()
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
) -> Plan:
    """Turn search results into a plan: the top tactics and who can vouch for each."""
    offers = [
        Offer(
            hit.tactic,
            choose_exemplars(catalogue.exemplars_for(hit.tactic.id), exemplars),
            exemplars,
        )
        for hit in results.hits[:tactics]
    ]
    area_ids = list(results.areas)
    if not area_ids and results.hits:
        area_ids = list(results.hits[0].tactic.areas)
    areas = [catalogue.areas[a] for a in area_ids if a in catalogue.areas]
    return Plan(results.query, areas, offers, trust=trust, corrections=dict(results.corrections))
