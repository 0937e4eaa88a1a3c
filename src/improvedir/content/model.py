"""The directory as plain, immutable values: what every command after loading works on.

Kept free of YAML, schemas and printing so search, coverage and scripts can be tested on
hand-built values and the cache can store and restore them cheaply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

#: How long a person's agreement to be listed with their email lasts, in years.
CONSENT_YEARS = 2
#: How a person told us they agree to be listed (the schema's enum).
CONSENT_HOW = ("email", "form", "in-person", "phone")


def today() -> dt.date:
    """The date consent is judged on. One function, so tests can replace it (monkeypatch
    ``improvedir.content.model.today``) and every output changes together."""
    return dt.date.today()


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class Consent:
    """A person's agreement to be listed with their email: when, and how they said so.

    A record rather than a flag, so an agreement can lapse: people change jobs and
    forget, and an address shown years after someone agreed is no longer their choice.
    """

    given: str  # YYYY-MM-DD, as written in the content
    how: str  # one of CONSENT_HOW

    def expires(self) -> dt.date | None:
        """The first day the agreement no longer holds (None when ``given`` is not a date)."""
        try:
            given = dt.date.fromisoformat(self.given)
        except (TypeError, ValueError):
            return None
        try:
            return given.replace(year=given.year + CONSENT_YEARS)
        except ValueError:  # 29 February: never last longer than two years
            return given.replace(year=given.year + CONSENT_YEARS, day=28)

    def live(self, on: dt.date | None = None) -> bool:
        """True when the agreement holds on ``on`` (default :func:`today`)."""
        ends = self.expires()
        return ends is not None and (on or today()) < ends


@dataclass(frozen=True, slots=True)
class Contact:
    name: str | None = None
    role: str | None = None
    email: str | None = None
    consent: Consent | None = None

    @property
    def reachable(self) -> bool:
        """True when we may show an email: the person agreed to be listed, and that
        agreement is less than two years old today. Every output asks this one question."""
        return self.reachable_on(None)

    def reachable_on(self, day: dt.date | None) -> bool:
        """:attr:`reachable` as judged on ``day`` (default :func:`today`)."""
        return bool(self.email) and self.consent is not None and self.consent.live(day)


def consent_from(value: Any) -> Consent | None:
    """The consent record as written (a mapping with ``given`` and ``how``), else None.

    Anything else, including the old ``consent: true``, is no record: validate reports it,
    and no email is shown on its strength."""
    if isinstance(value, dict) and isinstance(value.get("given"), str):
        return Consent(value["given"], str(value.get("how") or ""))
    return None


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    name: str
    path: str
    line: int = 1
    parent: str | None = None
    synonyms: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    # subjects within the area ("PSIRF"): found only in tactics that mention them
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Measure:
    """A national number a trust is held to: what "How are your numbers?" asks about."""

    id: str
    name: str
    standard: str
    path: str
    line: int = 1
    codes: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    sources: tuple[Link, ...] = ()
    research_gap: str | None = None


@dataclass(frozen=True, slots=True)
class Tactic:
    id: str
    title: str
    summary: str
    areas: tuple[str, ...]
    path: str
    keywords: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    evidence: tuple[Link, ...] = ()
    measures: tuple[str, ...] = ()
    considerations: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Organisation:
    """An organisation as an exemplar names it (name, ODS code), or as
    content/organisations.yaml lists it (also id, short names, type and region)."""

    name: str
    ods_code: str | None = None
    id: str | None = None
    short_names: tuple[str, ...] = ()
    type: str | None = None
    region: str | None = None


@dataclass(frozen=True, slots=True)
class Exemplar:
    id: str
    tactics: tuple[str, ...]
    organisation: Organisation
    summary: str
    path: str
    last_verified: str
    outcome: str | None = None
    contacts: tuple[Contact, ...] = ()
    sources: tuple[Link, ...] = ()
    result: str | None = None
    worked: str = "yes"
    lessons: str | None = None


@dataclass(slots=True)
class Directory:
    """Everything loaded from one content folder, keyed by id, in file order."""

    root: str
    areas: dict[str, Area] = field(default_factory=dict)
    tactics: dict[str, Tactic] = field(default_factory=dict)
    exemplars: dict[str, Exemplar] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    organisations: list[Organisation] = field(default_factory=list)
    _by_tactic: dict[str, list[Exemplar]] | None = field(default=None, repr=False, compare=False)

    def exemplars_for(self, tactic_id: str) -> list[Exemplar]:
        """Exemplars naming the tactic, in file order (indexed on first use: a directory is
        complete once loaded)."""
        if self._by_tactic is None:
            index: dict[str, list[Exemplar]] = {}
            for exemplar in self.exemplars.values():
                for tid in dict.fromkeys(exemplar.tactics):
                    index.setdefault(tid, []).append(exemplar)
            self._by_tactic = index
        return list(self._by_tactic.get(tactic_id, ()))

    def area_family(self, area_id: str) -> set[str]:
        """The area and every area below it (endoscopy sits under diagnostics)."""
        found = {area_id}
        changed = True
        while changed:
            changed = False
            for area in self.areas.values():
                if area.parent in found and area.id not in found:
                    found.add(area.id)
                    changed = True
        return found


def _links(items: Any) -> tuple[Link, ...]:
    return tuple(Link(i["title"], i["url"], i.get("kind")) for i in items or ())


def area_from(data: dict[str, Any], path: str, line: int) -> Area:
    return Area(
        id=data["id"],
        name=data["name"],
        path=path,
        line=line,
        parent=data.get("parent"),
        synonyms=tuple(data.get("synonyms") or ()),
        measures=tuple(data.get("measures") or ()),
        topics=tuple(data.get("topics") or ()),
    )


def measure_from(data: dict[str, Any], path: str, line: int) -> Measure:
    return Measure(
        id=data["id"],
        name=data["name"],
        standard=data["standard"],
        path=path,
        line=line,
        codes=tuple(data.get("codes") or ()),
        areas=tuple(data.get("areas") or ()),
        sources=_links(data.get("sources")),
        research_gap=data.get("research_gap"),
    )


def tactic_from(data: dict[str, Any], path: str) -> Tactic:
    return Tactic(
        id=data["id"],
        title=data["title"],
        summary=data["summary"],
        areas=tuple(data["areas"]),
        path=path,
        keywords=tuple(data.get("keywords") or ()),
        steps=tuple(data.get("steps") or ()),
        evidence=_links(data.get("evidence")),
        measures=tuple(data.get("measures") or ()),
        considerations=tuple(dict(data.get("considerations") or {}).items()),
    )


def exemplar_from(data: dict[str, Any], path: str) -> Exemplar:
    org = data["organisation"]
    return Exemplar(
        id=data["id"],
        tactics=tuple(data["tactics"]),
        organisation=Organisation(org["name"], org.get("ods_code")),
        summary=data["summary"],
        path=path,
        last_verified=data["last_verified"],
        outcome=data.get("outcome"),
        contacts=tuple(
            Contact(c.get("name"), c.get("role"), c.get("email"), consent_from(c.get("consent")))
            for c in data.get("contacts") or ()
        ),
        sources=_links(data.get("sources")),
        result=data.get("result"),
        worked=data.get("worked") or "yes",
        lessons=data.get("lessons"),
    )
