"""How strong an exemplar's evidence is, derived from what its sources are and show.

A manager about to recommend a tactic to a struggling trust needs to know whether a
success rests on a peer-reviewed evaluation or on a supplier's sales page. The grade is
never typed by a contributor: it follows from two facts the content records (each
source's ``kind``, the exemplar's ``result``), by the rules tabled in CONTRIBUTING.md, so
it cannot drift from them and one function decides it everywhere.
"""

from __future__ import annotations

from ..content.model import Exemplar

#: Best first: the order exemplars are offered in.
GRADES = ("strong", "moderate", "weak", "early")
#: Independent scrutiny: a journal's reviewers or a national body checked the figures.
INDEPENDENT = frozenset({"peer-reviewed", "national-body"})
#: Published by someone accountable for it, though not independently checked.
ACCOUNTABLE = frozenset({"organisation", "sector-body", "news"})

#: How a script names a source's kind to a reader.
KIND_LABELS = {
    "peer-reviewed": "peer-reviewed evaluation",
    "national-body": "national body report",
    "organisation": "the organisation's own report",
    "sector-body": "sector body case study",
    "news": "news report",
    "vendor": "vendor case study",
}
RESULT_LABELS = {
    "measured": "measured result",
    "reported": "reported result",
    "planned": "launched or planned",
}


def grade(exemplar: Exemplar) -> str:
    """strong, moderate, weak or early (the rules are tabled in CONTRIBUTING.md)."""
    if exemplar.result == "planned":
        return "early"
    if exemplar.result != "measured":
        return "weak"
    kinds = {s.kind for s in exemplar.sources}
    if kinds & INDEPENDENT:
        return "strong"
    if kinds & ACCOUNTABLE:
        return "moderate"
    return "weak"  # measured, but only a vendor (or an unclassified source) says so


def grade_rank(name: str) -> int:
    """0 for strong ... 3 for early; an unknown name ranks last."""
    return GRADES.index(name) if name in GRADES else len(GRADES)


def at_least(exemplar: Exemplar, minimum: str) -> bool:
    """True when the exemplar's grade is ``minimum`` or better."""
    return grade_rank(grade(exemplar)) <= grade_rank(minimum)


def counts(exemplar: Exemplar) -> bool:
    """An attempt that did not work is a lesson, not someone who can help: it never counts
    toward a tactic's organisations."""
    return exemplar.worked != "no"


def evidence_line(exemplar: Exemplar) -> str:
    """'strong: measured result, peer-reviewed evaluation' - what a script prints."""
    parts = [RESULT_LABELS.get(exemplar.result or "", "result not classified")]
    kinds = dict.fromkeys(KIND_LABELS[s.kind] for s in exemplar.sources if s.kind in KIND_LABELS)
    parts.extend(kinds)
    worked = {"partly": "partly worked", "no": "did not work"}.get(exemplar.worked)
    if worked:
        parts.append(worked)
    return f"{grade(exemplar)}: " + ", ".join(parts)
