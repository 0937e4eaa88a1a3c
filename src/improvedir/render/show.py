"""One tactic or exemplar, whole: what `improvedir show ID` prints.

A manager weighing a tactic wants everything the directory knows in one place: every
organisation (not just the three a script picks), each one's evidence grade and sources,
what adopting it takes, and the attempts that did not work. Text, markdown and JSON say
the same things.
"""

from __future__ import annotations

import json
from typing import Any

from ..content.model import Exemplar, Tactic
from ..content.text import clean
from ..engine.evidence import KIND_LABELS, evidence_line, grade, grade_rank
from ..engine.plan import contact_line
from .script import CONSIDERATION_LABELS, md_text


def _exemplar_dict(e: Exemplar) -> dict[str, Any]:
    return {
        "id": e.id,
        "organisation": e.organisation.name,
        "tactics": list(e.tactics),
        "summary": e.summary,
        "outcome": e.outcome,
        "result": e.result,
        "evidence": grade(e),
        "worked": e.worked,
        "lessons": e.lessons,
        "contacts": [
            {"name": c.name, "role": c.role, "email": c.email if c.reachable else None}
            for c in e.contacts
        ],
        "sources": [{"title": s.title, "url": s.url, "kind": s.kind} for s in e.sources],
        "last_verified": e.last_verified,
        "path": e.path,
    }


def tactic_dict(tactic: Tactic, exemplars: list[Exemplar]) -> dict[str, Any]:
    ordered = sorted(exemplars, key=lambda e: (grade_rank(grade(e)), e.id))
    return {
        "kind": "tactic",
        "id": tactic.id,
        "title": tactic.title,
        "summary": tactic.summary,
        "areas": list(tactic.areas),
        "measures": list(tactic.measures),
        "keywords": list(tactic.keywords),
        "steps": list(tactic.steps),
        "considerations": dict(tactic.considerations),
        "evidence": [{"title": s.title, "url": s.url} for s in tactic.evidence],
        "exemplars": [_exemplar_dict(e) for e in ordered if e.worked != "no"],
        "learned": [_exemplar_dict(e) for e in ordered if e.worked == "no"],
        "path": tactic.path,
    }


def exemplar_dict(exemplar: Exemplar) -> dict[str, Any]:
    return {"kind": "exemplar", **_exemplar_dict(exemplar)}


def _exemplar_lines(e: dict[str, Any]) -> list[str]:
    lines = [f"- {clean(e['organisation'])} [{e['id']}]"]
    lines.append(f"  What they did: {clean(e['summary'])}")
    if e["outcome"]:
        lines.append(f"  What they achieved: {clean(e['outcome'])}")
    if e["lessons"]:
        lines.append(f"  What they learned: {clean(e['lessons'])}")
    lines.append(f"  Evidence: {e['evidence_line']}")
    contacts = [c for c in e["contact_lines"] if c]
    if contacts:
        lines.append("  People named: " + "; ".join(contacts))
    for s in e["sources"]:
        kind = KIND_LABELS.get(s["kind"] or "", "source")
        lines.append(f"  Source ({kind}): {clean(s['title'])} - {clean(s['url'])}")
    lines.append(f"  Last verified: {e['last_verified']} ({e['path']})")
    return lines


def _with_lines(e: Exemplar) -> dict[str, Any]:
    data = _exemplar_dict(e)
    data["evidence_line"] = evidence_line(e)
    data["contact_lines"] = [contact_line(c) for c in e.contacts]
    return data


def show_lines(tactic: Tactic | None, exemplars: list[Exemplar]) -> list[str]:
    """The record as text lines: a tactic with all its exemplars, or one exemplar."""
    if tactic is None:
        (e,) = exemplars
        return [f"Exemplar: {clean(e.organisation.name)}", "", *_exemplar_lines(_with_lines(e))]
    out = [f"Tactic: {clean(tactic.title)} [{tactic.id}]", "", clean(tactic.summary)]
    out.append("")
    out.append(f"Areas: {', '.join(tactic.areas)}")
    if tactic.measures:
        out.append(f"Measures it moves: {', '.join(tactic.measures)}")
    if tactic.steps:
        out.append("")
        out.append("Steps:")
        out.extend(f"  {n}. {clean(s)}" for n, s in enumerate(tactic.steps, 1))
    if tactic.considerations:
        out.append("")
        out.append("What it takes:")
        out.extend(
            f"  {CONSIDERATION_LABELS.get(k, k)}: {clean(v)}" for k, v in tactic.considerations
        )
    ordered = sorted(exemplars, key=lambda e: (grade_rank(grade(e)), e.id))
    worked = [e for e in ordered if e.worked != "no"]
    learned = [e for e in ordered if e.worked == "no"]
    out.append("")
    out.append(f"Organisations that made it work ({len(worked)}), strongest evidence first:")
    for e in worked:
        out.extend("  " + line for line in _exemplar_lines(_with_lines(e)))
    if learned:
        out.append("")
        out.append("What others learned (attempts that did not work):")
        for e in learned:
            out.extend("  " + line for line in _exemplar_lines(_with_lines(e)))
    out.append("")
    out.append(f"File: {tactic.path}")
    return out


def show_text(tactic: Tactic | None, exemplars: list[Exemplar]) -> str:
    return "\n".join(show_lines(tactic, exemplars)) + "\n"


def show_markdown(tactic: Tactic | None, exemplars: list[Exemplar]) -> str:
    lines = show_lines(tactic, exemplars)
    out = [f"# {md_text(lines[0])}"]
    out.extend(md_text(line) if line else "" for line in lines[1:])
    return "\n".join(out) + "\n"


def show_json(tactic: Tactic | None, exemplars: list[Exemplar]) -> str:
    data = tactic_dict(tactic, exemplars) if tactic else exemplar_dict(exemplars[0])
    return json.dumps(data, indent=2, ensure_ascii=False)


SHOW_RENDERERS = {"text": show_text, "markdown": show_markdown, "json": show_json}
