"""When two names mean the same organisation.

The article asks for three *different* organisations per tactic, and names are written
many ways ("Foo NHS Foundation Trust", "foo nhs trust", "Foo  NHS FT"), so coverage and
suggestions both compare organisations by one key. Managers also use short names ("ELHT")
and make typos on the phone; content/organisations.yaml, when present, lists the names
each organisation answers to, and :func:`resolve_organisation` finds the entry meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..content.model import Exemplar, Organisation
from ..content.organisations import name_key, names_of, normalise_name

__all__ = [
    "OrgIndex",
    "match_trust",
    "name_key",
    "normalise_name",
    "org_key",
    "organisation_for",
    "resolve_organisation",
]

# How close a mistyped trust name must be (rapidfuzz ratio, 0-100), and how far behind the
# best a second trust may score before the name counts as ambiguous rather than a typo.
MATCH_CUTOFF = 80.0
MATCH_MARGIN = 5.0


def org_key(exemplar: Exemplar) -> str:
    """ODS code when present (it is unique), else the normalised name."""
    if exemplar.organisation.ods_code:
        return "ods:" + exemplar.organisation.ods_code.upper()
    return "name:" + normalise_name(exemplar.organisation.name)


_NHS_TAIL = re.compile(r"\s+nhs(\s.*)?$|\s+(?:foundation\s+)?trust$|\s+ft$")
_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")


def _core(key: str) -> str:
    # A typo inside the suffix ("NHS Trsut") stops normalise_name from removing it.
    return _NHS_TAIL.sub("", key).strip() or key


def match_trust(query: str, trusts: Iterable[str]) -> list[str]:
    """The names ``query`` plausibly means, best first, one spelling each.

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


class OrgIndex:
    """organisations.yaml's entries by every key they answer to, built once per command:
    plans look up each candidate exemplar's organisation, so lookups must be cheap."""

    def __init__(self, organisations: Sequence[Organisation]):
        self.entries = list(organisations)
        self.by_key: dict[str, list[Organisation]] = {}
        for org in self.entries:
            keys = {name_key(n) for n in names_of(org)} | {f"id:{org.id}"}
            if org.ods_code:
                keys.add(f"ods:{org.ods_code.upper()}")
            for key in keys:
                self.by_key.setdefault(key, []).append(org)

    def exact(self, typed: str) -> list[Organisation]:
        found: list[Organisation] = []
        for key in (name_key(typed), f"id:{typed.strip().lower()}", f"ods:{typed.strip().upper()}"):
            for org in self.by_key.get(key, ()):
                if org not in found:
                    found.append(org)
        return found


def _index(organisations: Sequence[Organisation] | OrgIndex) -> OrgIndex:
    return organisations if isinstance(organisations, OrgIndex) else OrgIndex(organisations)


def organisation_for(
    name: str, organisations: Sequence[Organisation] | OrgIndex
) -> Organisation | None:
    """The entry a name as published means, exactly: its full name or a short name.

    For names written in exemplars and the log, so never a guess: no prefixes, no typos.
    A trailing note in brackets ("Barts Health NHS Trust (Royal London Hospital)") is
    ignored when the name without it is listed.
    """
    index = _index(organisations)
    found = index.exact(name)
    if not found:
        bare = _PARENTHESIS.sub("", name)
        if bare != name and bare.strip():
            found = index.exact(bare)
    return found[0] if len(found) == 1 else None


def resolve_organisation(
    name_or_short_name: str,
    organisations: Sequence[Organisation] | OrgIndex,
    *,
    typos: bool = True,
) -> list[Organisation]:
    """The organisations a typed name may mean, best first: one, several (ambiguous) or none.

    Any of an entry's names resolves it (full name, a short name, its id or ODS code),
    forgiving case, spacing, NHS suffixes and a leading "the"; then a leading part of a
    name ("Leeds Teaching"), then, with ``typos``, a small typo. An exact name always wins.
    """
    if not name_or_short_name.strip():
        return []
    index = _index(organisations)
    found = index.exact(name_or_short_name)
    if found:
        return found
    spellings: dict[str, Organisation] = {}
    for org in index.entries:
        for name in names_of(org):
            spellings.setdefault(name, org)
            bare = name_key(name)
            if bare != normalise_name(name):  # "The X Trust" is also reached as "X"
                spellings.setdefault(bare, org)
    matched = match_trust(name_or_short_name, spellings)
    if not typos:
        wanted = normalise_name(name_or_short_name)
        matched = [m for m in matched if normalise_name(m).startswith(wanted + " ")]
    out: list[Organisation] = []
    for name in matched:
        if spellings[name] not in out:
            out.append(spellings[name])
    return out
