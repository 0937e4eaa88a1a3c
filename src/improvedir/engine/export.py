"""The whole directory as one machine-readable document (`improvedir export`, directory.json).

Described by ``schemas/directory.schema.json``. It carries what the content says plus the
few facts derived from it that every reader would otherwise recompute: each exemplar's
evidence grade and whether it counts toward its tactics. A contact's email is included
only when the person agreed to be listed (:attr:`Contact.reachable`).
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..content.model import Directory, Exemplar, Link
from .evidence import counts, grade

#: Bump when the document's shape changes incompatibly (the schema's $id says the same).
FORMAT_VERSION = 1
SCHEMA_NAME = "directory.schema.json"


def _links(links: tuple[Link, ...]) -> list[dict[str, Any]]:
    return [{"title": s.title, "url": s.url, "kind": s.kind} for s in links]


def _exemplar(e: Exemplar) -> dict[str, Any]:
    return {
        "id": e.id,
        "tactics": list(e.tactics),
        "organisation": {"name": e.organisation.name, "ods_code": e.organisation.ods_code},
        "summary": e.summary,
        "outcome": e.outcome,
        "result": e.result,
        "worked": e.worked,
        "lessons": e.lessons,
        "evidence": grade(e),
        "counts": counts(e),
        "contacts": [
            {"name": c.name, "role": c.role, "email": c.email if c.reachable else None}
            for c in e.contacts
        ],
        "sources": _links(e.sources),
        "last_verified": e.last_verified,
    }


def directory_document(directory: Directory) -> dict[str, Any]:
    """Every area, measure, tactic and exemplar, in file order, as plain JSON values."""
    return {
        "$schema": SCHEMA_NAME,
        "format": FORMAT_VERSION,
        "generator": f"improvedir {__version__}",
        "areas": [
            {
                "id": a.id,
                "name": a.name,
                "parent": a.parent,
                "synonyms": list(a.synonyms),
                "measures": list(a.measures),
            }
            for a in directory.areas.values()
        ],
        "measures": [
            {
                "id": m.id,
                "name": m.name,
                "codes": list(m.codes),
                "standard": m.standard,
                "areas": list(m.areas),
                "sources": _links(m.sources),
            }
            for m in directory.measures.values()
        ],
        "tactics": [
            {
                "id": t.id,
                "title": t.title,
                "summary": t.summary,
                "areas": list(t.areas),
                "measures": list(t.measures),
                "keywords": list(t.keywords),
                "steps": list(t.steps),
                "considerations": dict(t.considerations),
                "evidence": _links(t.evidence),
                "exemplars": [e.id for e in directory.exemplars_for(t.id)],
            }
            for t in directory.tactics.values()
        ],
        "exemplars": [_exemplar(e) for e in directory.exemplars.values()],
    }
