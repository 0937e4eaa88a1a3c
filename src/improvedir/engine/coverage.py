"""Is every tactic backed by enough different organisations, and what is left to do?

The article behind the directory asks for "at least three different examples of people and
organisations that have succeeded" before a tactic is worth recommending. This module turns
that rule (and the upkeep that keeps exemplars trustworthy: recent checks, a way to reach
someone) into plain results. It only computes; reports.py renders and cli_check.py prints,
so the rules are tested on hand-built directories without a terminal.

Everything is one pass over the exemplars plus one over the tactics, so ``check`` adds
little to the cost of loading and validating the directory it works on.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..content.diagnostics import Diagnostic
from ..content.fuzzy import did_you_mean
from ..content.model import Directory, Exemplar, Tactic
from .evidence import at_least, counts
from .orgs import org_key

if TYPE_CHECKING:
    from .search import Index

#: Rule codes for what check reports, so CI annotations and CONTRIBUTING.md agree.
RULE_SHORT = "cover-short"
RULE_STALE = "cover-stale"
RULE_NO_CONTACT = "cover-no-contact"
RULE_UNBACKED = "cover-no-exemplar"
RULE_EMPTY_AREA = "cover-empty-area"
RULE_WEAK_EVIDENCE = "cover-weak-evidence"
#: The grades that make a tactic's evidence worth recommending on.
SOUND = "moderate"


class UnknownArea(ValueError):
    """--area named an id the directory does not have: the user's mistake, not the content's."""

    def __init__(self, area: str, suggestion: str | None):
        message = f"unknown area '{area}'"
        if suggestion:
            message += f" (did you mean '{suggestion}'?)"
        super().__init__(message)
        self.area = area
        self.suggestion = suggestion


@dataclass(frozen=True, slots=True)
class TacticCover:
    """How well one tactic is backed: counts, the verdict and, when short, what it needs."""

    id: str
    title: str
    areas: tuple[str, ...]
    path: str
    exemplars: int
    organisations: int
    needed: int  # more exemplars, each from an organisation not yet listed, to be covered
    exemplar_ids: tuple[str, ...] = ()

    @property
    def covered(self) -> bool:
        return self.needed == 0

    @property
    def missing(self) -> str | None:
        """What a contributor must add, in words; None when covered."""
        if self.covered:
            return None
        noun = "exemplar" if self.needed == 1 else "exemplars"
        where = "a new organisation" if self.needed == 1 else "new organisations"
        text = f"{self.needed} more {noun} from {where}"
        if self.exemplars > self.organisations:
            # Say why a tactic with "enough" files still falls short.
            orgs = "organisation" if self.organisations == 1 else "organisations"
            text += f" ({self.exemplars} exemplars but only {self.organisations} {orgs})"
        return text


@dataclass(frozen=True, slots=True)
class AreaCover:
    """One area's share of covered tactics, counting tactics in the area or any area below it."""

    id: str
    name: str
    tactics: int
    covered: int

    @property
    def percent(self) -> float | None:
        return None if self.tactics == 0 else round(100 * self.covered / self.tactics, 1)


@dataclass(frozen=True, slots=True)
class CoverWarning:
    """Upkeep that does not make a tactic short but fails ``check --strict``."""

    rule: str
    path: str
    line: int
    subject: str  # the exemplar, tactic or area id the warning is about
    message: str

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(self.path, self.line, 1, self.rule, self.message, "warning")


@dataclass(frozen=True, slots=True)
class StaleExemplar:
    """An exemplar whose sources nobody has re-read within the allowed age."""

    id: str
    path: str
    organisation: str
    tactics: tuple[str, ...]
    last_verified: str
    months_old: int


@dataclass
class CheckResult:
    """Everything ``check`` found; reporters render it and the CLI picks the exit code."""

    min_orgs: int
    max_age_months: int
    today: dt.date
    area: str | None
    tactics: list[TacticCover] = field(default_factory=list)
    areas: list[AreaCover] = field(default_factory=list)
    warnings: list[CoverWarning] = field(default_factory=list)
    stale: list[StaleExemplar] = field(default_factory=list)
    empty_areas: list[str] = field(default_factory=list)
    min_evidence: str | None = None  # only exemplars at or above this grade counted
    weak_evidence: list[str] = field(default_factory=list)  # tactics with nothing sound
    # with an area: the files of the tactics and exemplars checked; None: every file
    files: set[str] | None = None

    def concerns(self, path: str) -> bool:
        """A finding about the file at ``path`` belongs in this check: with ``--area``, a
        lapsed consent in another area's exemplar is someone else's to-do."""
        return self.files is None or str(path) in self.files

    @property
    def short(self) -> list[TacticCover]:
        return [t for t in self.tactics if not t.covered]

    @property
    def covered_count(self) -> int:
        return sum(1 for t in self.tactics if t.covered)

    @property
    def percent(self) -> float | None:
        if not self.tactics:
            return None
        return round(100 * self.covered_count / len(self.tactics), 1)

    def passed(self, strict: bool = False) -> bool:
        """The verdict CI acts on: every tactic covered, and under --strict no warnings."""
        return not self.short and not (strict and self.warnings)

    def diagnostics(self) -> list[Diagnostic]:
        """Short tactics as errors and warnings as warnings, for annotation reporters."""
        out = [
            Diagnostic(
                t.path,
                1,
                1,
                RULE_SHORT,
                f"tactic '{t.id}' has {t.exemplars} {_plural(t.exemplars, 'exemplar')} from "
                f"{t.organisations} {_plural(t.organisations, 'organisation')}; it needs "
                f"{self.min_orgs} from {self.min_orgs} different organisations: add {t.missing}",
            )
            for t in self.short
        ]
        out.extend(w.diagnostic() for w in self.warnings)
        return out


def _plural(n: int, noun: str) -> str:
    return noun if n == 1 else noun + "s"


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from ``earlier`` to ``later`` (negative when in the future)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return months


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _verified(exemplar: Exemplar) -> dt.date | None:
    try:
        return dt.date.fromisoformat(exemplar.last_verified)
    except ValueError:  # validate reports it; coverage just cannot judge its age
        return None


def _scope(directory: Directory, area: str | None) -> set[str] | None:
    if area is None:
        return None
    if area not in directory.areas:
        raise UnknownArea(area, did_you_mean(area, directory.areas))
    return directory.area_family(area)


def _families(directory: Directory) -> dict[str, set[str]]:
    """area id -> the ids of it and every ancestor, so a tactic counts for parents too."""
    up: dict[str, set[str]] = {}
    for area in directory.areas.values():
        seen = {area.id}
        current = area.parent
        while current is not None and current in directory.areas and current not in seen:
            seen.add(current)
            current = directory.areas[current].parent
        up[area.id] = seen
    return up


def check(
    directory: Directory,
    *,
    min_orgs: int = 3,
    area: str | None = None,
    max_age_months: int = 24,
    today: dt.date | None = None,
    min_evidence: str | None = None,
) -> CheckResult:
    """Judge every tactic (or those in ``area`` and below) against the three-organisation rule.

    Only exemplars that worked (fully or partly) count, and with ``min_evidence`` only
    those graded at least that well. ``today`` is a parameter so tests and reproducible
    reports do not depend on the clock. Raises :class:`UnknownArea` when ``area`` is not
    an area id.
    """
    today = today or dt.date.today()
    scope = _scope(directory, area)
    result = CheckResult(min_orgs, max_age_months, today, area, min_evidence=min_evidence)

    in_scope: dict[str, Tactic] = {
        t.id: t
        for t in directory.tactics.values()
        if scope is None or not scope.isdisjoint(t.areas)
    }

    named: dict[str, list[Exemplar]] = defaultdict(list)
    for exemplar in directory.exemplars.values():
        for tactic_id in dict.fromkeys(exemplar.tactics):  # a repeated id counts once
            named[tactic_id].append(exemplar)

    for tactic in in_scope.values():
        backing = [
            e
            for e in named.get(tactic.id, [])
            if counts(e) and (min_evidence is None or at_least(e, min_evidence))
        ]
        orgs = len({org_key(e) for e in backing})
        if named.get(tactic.id) and not any(
            counts(e) and at_least(e, SOUND) for e in named[tactic.id]
        ):
            result.weak_evidence.append(tactic.id)
        result.tactics.append(
            TacticCover(
                id=tactic.id,
                title=tactic.title,
                areas=tactic.areas,
                path=tactic.path,
                exemplars=len(backing),
                organisations=orgs,
                needed=max(0, min_orgs - orgs),
                exemplar_ids=tuple(e.id for e in backing),
            )
        )

    families = _families(directory)
    area_counts: dict[str, list[int]] = {a: [0, 0] for a in directory.areas}
    for cover in result.tactics:
        lifted: set[str] = set()
        for area_id in cover.areas:
            lifted |= families.get(area_id, set())
        for area_id in lifted:
            area_counts[area_id][0] += 1
            area_counts[area_id][1] += cover.covered
    for a in directory.areas.values():
        if scope is not None and a.id not in scope:
            continue
        total, covered = area_counts[a.id]
        result.areas.append(AreaCover(a.id, a.name, total, covered))

    _warn(directory, result, in_scope, named, scope)
    return result


def _warn(
    directory: Directory,
    result: CheckResult,
    in_scope: dict[str, Tactic],
    named: dict[str, list[Exemplar]],
    scope: set[str] | None,
) -> None:
    seen: set[str] = set()
    relevant: list[Exemplar] = []
    for exemplar in directory.exemplars.values():
        if scope is None or any(t in in_scope for t in exemplar.tactics):
            if exemplar.id not in seen:
                seen.add(exemplar.id)
                relevant.append(exemplar)

    if scope is not None:
        result.files = {str(t.path) for t in in_scope.values()} | {str(e.path) for e in relevant}
    cutoff = months_before(result.today, result.max_age_months)
    for exemplar in relevant:
        verified = _verified(exemplar)
        if verified is not None and verified < cutoff:
            age = months_between(verified, result.today)
            result.stale.append(
                StaleExemplar(
                    exemplar.id,
                    exemplar.path,
                    exemplar.organisation.name,
                    exemplar.tactics,
                    exemplar.last_verified,
                    age,
                )
            )
            result.warnings.append(
                CoverWarning(
                    RULE_STALE,
                    exemplar.path,
                    1,
                    exemplar.id,
                    f"exemplar '{exemplar.id}' was last verified on {exemplar.last_verified}, "
                    f"{age} months ago; entries are re-checked at least every "
                    f"{result.max_age_months} months: re-read its sources and update last_verified",
                )
            )
        if not any(c.reachable_on(result.today) for c in exemplar.contacts):
            result.warnings.append(
                CoverWarning(
                    RULE_NO_CONTACT,
                    exemplar.path,
                    1,
                    exemplar.id,
                    f"exemplar '{exemplar.id}' has no contact with an email they agreed to "
                    f"share; ask someone named in the source: improvedir invite {exemplar.id}",
                )
            )

    for cover in result.tactics:
        if cover.exemplars == 0:
            result.warnings.append(
                CoverWarning(
                    RULE_UNBACKED,
                    cover.path,
                    1,
                    cover.id,
                    f"no exemplar names tactic '{cover.id}'; add one from an organisation "
                    "that made it work, or remove the tactic",
                )
            )

    for tactic_id in result.weak_evidence:
        tactic = in_scope[tactic_id]
        result.warnings.append(
            CoverWarning(
                RULE_WEAK_EVIDENCE,
                tactic.path,
                1,
                tactic.id,
                f"no organisation behind tactic '{tactic.id}' has strong or moderate evidence "
                "(a measured result from a source other than a vendor); add one that does",
            )
        )

    for area in result.areas:
        if area.tactics == 0:
            result.empty_areas.append(area.id)
            where = directory.areas[area.id]
            result.warnings.append(
                CoverWarning(
                    RULE_EMPTY_AREA,
                    where.path,
                    where.line,
                    area.id,
                    f"area '{area.id}' has no tactic (nor do the areas below it)",
                )
            )


@dataclass(frozen=True, slots=True)
class AreaGaps:
    """One area's share of the to-do list."""

    id: str
    name: str
    tactics: tuple[TacticCover, ...]  # short of cover, most needed first
    stale: tuple[StaleExemplar, ...]


@dataclass
class GapsResult:
    """The community's to-do list: where an exemplar or a re-check would help most."""

    min_orgs: int
    max_age_months: int
    areas: list[AreaGaps]
    empty_areas: list[tuple[str, str]]  # (id, name)
    no_contact: int = 0  # exemplars nobody has yet agreed to be the contact for
    weak_evidence: list[str] = field(default_factory=list)  # tactics with nothing sound
    measures: list[MeasureCover] = field(default_factory=list)  # short of tactics
    # (area id, area name, topic): subjects people ask about that no tactic mentions yet
    topics: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def short_count(self) -> int:
        return len({t.id for a in self.areas for t in a.tactics})

    @property
    def stale_count(self) -> int:
        return len({s.id for a in self.areas for s in a.stale})


def gaps(
    directory: Directory,
    *,
    min_orgs: int = 3,
    max_age_months: int = 24,
    today: dt.date | None = None,
) -> GapsResult:
    """Group what is missing by the areas each tactic names, biggest need first.

    A tactic (or stale exemplar) that serves two areas appears under both: a lead working
    through one area's list should see everything that would help that area.
    """
    result = check(directory, min_orgs=min_orgs, max_age_months=max_age_months, today=today)
    tactics_by_area: dict[str, list[TacticCover]] = defaultdict(list)
    for cover in result.short:
        for area_id in dict.fromkeys(cover.areas):
            tactics_by_area[area_id].append(cover)
    tactic_areas = {t.id: t.areas for t in directory.tactics.values()}
    stale_by_area: dict[str, list[StaleExemplar]] = defaultdict(list)
    for stale in result.stale:
        areas: dict[str, None] = {}
        for tactic_id in stale.tactics:
            areas.update(dict.fromkeys(tactic_areas.get(tactic_id, ())))
        for area_id in areas:
            stale_by_area[area_id].append(stale)
    out: list[AreaGaps] = []
    for area in directory.areas.values():
        short = sorted(tactics_by_area.get(area.id, []), key=lambda t: (-t.needed, t.id))
        stale = sorted(stale_by_area.get(area.id, []), key=lambda s: (s.last_verified, s.id))
        if short or stale:
            out.append(AreaGaps(area.id, area.name, tuple(short), tuple(stale)))
    empty = [(a, directory.areas[a].name) for a in result.empty_areas]
    no_contact = sum(
        1 for e in directory.exemplars.values() if not any(c.reachable for c in e.contacts)
    )
    short_measures = [m for m in measure_cover(directory) if m.tactics < min_orgs]
    return GapsResult(
        min_orgs,
        max_age_months,
        out,
        empty,
        no_contact,
        weak_evidence=list(result.weak_evidence),
        measures=short_measures,
        topics=uncovered_topics(directory),
    )


def uncovered_topics(
    directory: Directory, index: Index | None = None
) -> list[tuple[str, str, str]]:
    """(area id, area name, topic) for each area topic that no tactic meets the way search
    meets it (the topic as one term in the index): what a search for it cannot answer yet,
    so `gaps`, the area pages and `search` always agree. ``index`` is built when not given."""
    if not any(area.topics for area in directory.areas.values()):
        return []
    from .search import Index

    index = index if index is not None else Index(directory)
    terms = index.topic_terms()
    return [
        (area.id, area.name, text)
        for area in directory.areas.values()
        for text, term in terms[area.id]
        if term and not index.term_postings(term)
    ]


@dataclass(frozen=True, slots=True)
class MeasureCover:
    """How many tactics stand behind one national measure, and what research found."""

    id: str
    name: str
    standard: str
    areas: tuple[str, ...]
    tactic_ids: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]
    research_gap: str | None = None

    @property
    def tactics(self) -> int:
        return len(self.tactic_ids)


def measure_cover(directory: Directory) -> list[MeasureCover]:
    """Every measure in catalogue order with the tactics that move it: the answer to
    "which number has nothing behind it?"."""
    moved: dict[str, list[str]] = defaultdict(list)
    for tactic in directory.tactics.values():
        for measure_id in dict.fromkeys(tactic.measures):
            moved[measure_id].append(tactic.id)
    return [
        MeasureCover(
            m.id,
            m.name,
            m.standard,
            m.areas,
            tuple(moved.get(m.id, ())),
            tuple((s.title, s.url) for s in m.sources),
            m.research_gap,
        )
        for m in directory.measures.values()
    ]
