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

from ..content.model import Area, Contact, Exemplar, Measure, Organisation, Tactic
from ..content.text import clean
from .evidence import counts, grade, grade_rank
from .orgs import OrgIndex, normalise_name, org_key, organisation_for

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
    region: str | None = None  # the trust's NHS England region, when organisations.yaml knows it
    nearby: set[str] = field(default_factory=set)  # ids of offered exemplars in that region

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

    Useful means: the strongest evidence (strong, moderate, weak, early); among equal
    evidence, ``nearby`` ones (in the trust's region) first; then someone agreed to be
    contacted, then most recently verified, then an outcome to quote. An attempt that did
    not work is never offered as help, and organisations whose :func:`org_key` is in
    ``exclude_org_keys`` (the trust being called) are never offered to themselves.
    """

    def rank(e: Exemplar) -> tuple[int, int, int, str, int, str]:
        reachable = any(c.reachable for c in e.contacts)
        near = 0 if nearby is not None and nearby(e) else 1
        return (
            grade_rank(grade(e)),
            near,
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
    organisations: Sequence[Organisation] | OrgIndex = (),
) -> Plan:
    """Turn search results into a plan: the top tactics and who can vouch for each.

    When the query names an area or a measure, only tactics of that area are offered, so
    the script's headline and its ideas agree. With a ``trust``, its own exemplars are
    never offered (matched by name, or through ``organisations`` by any name it answers
    to); a tactic it has done itself is not offered to it (the next one is) but noted, so
    the manager can ask how it went; and when its region is known, other organisations in
    that region come first among equal evidence.
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

    hits = results.hits
    if any(h.in_area for h in hits):
        hits = [h for h in hits if h.in_area]
    offers: list[Offer] = []
    already: list[tuple[Tactic, list[Exemplar]]] = []
    for hit in hits:
        if len(offers) == tactics:
            break
        pool = catalogue.exemplars_for(hit.tactic.id)
        mine = [e for e in pool if own(e)] if trust else []
        if mine:
            already.append((hit.tactic, mine))
            continue
        chosen = choose_exemplars(pool, exemplars, nearby=near if region else None)
        offers.append(
            Offer(hit.tactic, chosen, exemplars, learned=[e for e in pool if not counts(e)])
        )
    area_ids = list(results.areas)
    if not area_ids and offers:
        area_ids = list(offers[0].tactic.areas)
    areas = [catalogue.areas[a] for a in area_ids if a in catalogue.areas]
    nearby = {e.id for o in offers for e in o.exemplars if near(e)} if region else set()
    return Plan(
        results.query,
        areas,
        offers,
        trust=trust,
        corrections=dict(results.corrections),
        measures=_measures_for(catalogue, results, areas, offers),
        already=already,
        region=region,
        nearby=nearby,
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
