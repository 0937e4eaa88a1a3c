"""The conversation a performance manager can have: what to offer and who can vouch for it.

The article behind improvedir asks that a performance conversation move from "why aren't
you doing better?" to "have you thought about x, y or z? green, white and red have done it
and can help". This module chooses the tactics and the organisations once, as a
:class:`Plan`; :mod:`improvedir.render.script` turns a plan into text, markdown, email or
JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content.model import Area, Contact, Exemplar, Measure, Tactic
from ..content.text import clean
from .evidence import counts, grade, grade_rank
from .orgs import normalise_name, org_key

#: How many national measures a script asks about: enough to open, few enough to read.
MEASURES_SHOWN = 4


@dataclass
class Offer:
    """One tactic offered, with the organisations chosen to vouch for it."""

    tactic: Tactic
    exemplars: list[Exemplar]
    wanted: int
    learned: list[Exemplar] = field(default_factory=list)  # attempts that did not work

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
    measures: list[Measure] = field(default_factory=list)  # the numbers worth asking about
    # Tactics the trust itself has already done (with its own exemplars): not offered to
    # it, but worth asking about, since others could learn from it.
    already: list[tuple[Tactic, list[Exemplar]]] = field(default_factory=list)

    @property
    def topic(self) -> str:
        if self.areas:
            return " and ".join(a.name for a in self.areas[:2])
        return self.query


def choose_exemplars(
    exemplars: list[Exemplar],
    limit: int,
    exclude_org_keys: frozenset[str] | set[str] = frozenset(),
) -> list[Exemplar]:
    """Up to ``limit`` exemplars from distinct organisations, the most useful first.

    Useful means: the strongest evidence (strong, moderate, weak, early), then someone
    agreed to be contacted, then most recently verified, then an outcome to quote. An
    attempt that did not work is never offered as help, and organisations in
    ``exclude_org_keys`` (the trust being called) are never offered to themselves.
    """

    def rank(e: Exemplar) -> tuple[int, int, str, int, str]:
        reachable = any(c.reachable for c in e.contacts)
        return (
            grade_rank(grade(e)),
            0 if reachable else 1,
            _negate(e.last_verified),
            0 if e.outcome else 1,
            e.id,
        )

    chosen: list[Exemplar] = []
    seen: set[str] = set(exclude_org_keys)
    for exemplar in sorted(exemplars, key=rank):
        key = org_key(exemplar)
        if key in seen or not counts(exemplar):
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
    """Turn search results into a plan: the top tactics and who can vouch for each.

    When the query names an area or a measure, only tactics of that area are offered, so
    the script's headline and its ideas agree. A tactic the trust has done itself is not
    offered to it (the next one is), but noted, so the manager can ask how it went.
    """
    hits = results.hits
    if any(h.in_area for h in hits):
        hits = [h for h in hits if h.in_area]
    trust_key = normalise_name(trust) if trust else None
    offers: list[Offer] = []
    already: list[tuple[Tactic, list[Exemplar]]] = []
    for hit in hits:
        if len(offers) == tactics:
            break
        pool = catalogue.exemplars_for(hit.tactic.id)
        own = [e for e in pool if trust_key and normalise_name(e.organisation.name) == trust_key]
        if own:
            already.append((hit.tactic, own))
            continue
        offers.append(
            Offer(
                hit.tactic,
                choose_exemplars(pool, exemplars),
                exemplars,
                learned=[e for e in pool if not counts(e)],
            )
        )
    area_ids = list(results.areas)
    if not area_ids and offers:
        area_ids = list(offers[0].tactic.areas)
    areas = [catalogue.areas[a] for a in area_ids if a in catalogue.areas]
    return Plan(
        results.query,
        areas,
        offers,
        trust=trust,
        corrections=dict(results.corrections),
        measures=_measures_for(catalogue, results, areas, offers),
        already=already,
    )


def _measures_for(catalogue, results, areas: list[Area], offers: list[Offer]) -> list[Measure]:
    """The numbers to ask about: those the query named, then the areas' measures that the
    offered tactics move, then the areas' other measures; a handful at most."""
    known = getattr(catalogue, "measures", {}) or {}
    moved = {m for o in offers for m in o.tactic.measures}
    in_areas = [m for a in areas for m in a.measures]
    ordered = [
        *getattr(results, "measures", ()),
        *(m for m in in_areas if m in moved),
        *in_areas,
    ]
    chosen = [known[m] for m in dict.fromkeys(ordered) if m in known]
    return chosen[:MEASURES_SHOWN]
