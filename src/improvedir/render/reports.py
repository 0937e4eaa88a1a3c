"""Coverage results as text, JSON, GitHub annotations and Markdown.

One result, several readers: a contributor at a terminal, a CI log, a bot posting a pull
request comment, a script. Each format is one function in a registry keyed by its
``--format`` name, so adding a format never touches the commands. Nothing here prints:
text reports come back as Rich renderables (tables on a terminal, plain aligned lines when
piped) and the others as strings.

Content text (titles, organisation names) is written by many people, so it is never read
as Rich markup, and in Markdown it is escaped so a stray ``|`` or ``<`` cannot break the
table or inject HTML into a pull request comment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..content.diagnostics import Diagnostic, render_github
from ..engine.coverage import CheckResult, GapsResult, MeasureCover


def _pct(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:g}%"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def plain_table(
    headers: Sequence[str] | None, rows: Sequence[Sequence[Any]], right: set[int]
) -> str:
    """Columns padded with spaces: what a pipe, a CI log or NO_COLOR should get."""
    cells = [[str(h) for h in headers]] if headers else []
    cells += [[str(c) for c in row] for row in rows]
    if not cells:
        return ""
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = []
    for row in cells:
        parts = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _table(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], right: set[int], plain: bool
) -> RenderableType:
    if plain:
        return f"{title}\n{plain_table(headers, rows, right)}"
    # The title goes above, not in, the table: a narrow table would wrap it.
    table = Table()
    for i, header in enumerate(headers):
        table.add_column(header, justify="right" if i in right else "left")
    for row in rows:
        # Text(), not str: content must never be parsed as markup.
        table.add_row(*(Text(str(c)) for c in row))
    return Group(Text(title), table)


def _short_rows(result: CheckResult) -> list[list[Any]]:
    return [
        [t.id, ", ".join(t.areas), t.exemplars, t.organisations, t.missing] for t in result.short
    ]


def _area_rows(result: CheckResult) -> list[list[Any]]:
    return [[a.id, a.tactics, a.covered, _pct(a.percent)] for a in result.areas]


def total_line(result: CheckResult) -> str:
    """One sentence a CI log or a chat message can quote."""
    scope = f" in area '{result.area}' and below" if result.area else ""
    return (
        f"Total: {result.covered_count} of {_plural(len(result.tactics), 'tactic')}{scope} "
        f"covered ({_pct(result.percent)}) by at least {result.min_orgs} exemplars from "
        f"{result.min_orgs} organisations; {len(result.short)} short, "
        f"{_plural(len(result.warnings), 'warning')}."
    )


def _rule_text(result: CheckResult) -> str:
    return f"each needs {result.min_orgs} exemplars from {result.min_orgs} different organisations"


_WARNING_NAMES = {
    "cover-stale": "not verified within the maximum age",
    "cover-no-contact": "no contact who agreed to share an email",
    "cover-no-exemplar": "tactics no exemplar names",
    "cover-empty-area": "areas with no tactic",
    "consent-expired": "contacts whose agreement to be listed lapsed (over two years old)",
}


def check_text(
    result: CheckResult, *, plain: bool, list_warnings: bool = True
) -> list[RenderableType]:
    """Short tactics, the per-area summary, warnings, then the total line.

    With ``plain`` every block is a str; otherwise tables are Rich tables and text is
    :class:`Text`, so nothing from the content is ever read as markup. Without
    ``list_warnings`` warnings are counted by kind, so a long list of advice does not bury
    the answer to "is every tactic covered?".
    """
    blocks: list[RenderableType] = []
    if result.short:
        blocks.append(
            _table(
                f"Tactics short of cover ({_rule_text(result)}):",
                ["Tactic", "Area", "Exemplars", "Organisations", "Missing"],
                _short_rows(result),
                {2, 3},
                plain,
            )
        )
    else:
        blocks.append(f"Every tactic is covered ({_rule_text(result)}).")
    if result.areas:
        blocks.append(
            _table(
                "By area (tactics in the area or below it):",
                ["Area", "Tactics", "Covered", "%"],
                _area_rows(result),
                {1, 2, 3},
                plain,
            )
        )
    if result.warnings:
        lines = [f"Warnings ({len(result.warnings)}; they fail only with --strict):"]
        if list_warnings:
            lines += [w.diagnostic().as_text() for w in result.warnings]
        else:
            counts: dict[str, int] = {}
            for warning in result.warnings:
                counts[warning.rule] = counts.get(warning.rule, 0) + 1
            lines += [
                f"  {n:>4}  {_WARNING_NAMES.get(rule, rule)} [{rule}]"
                for rule, n in sorted(counts.items())
            ]
            lines.append("  (list each one with --verbose; `improvedir gaps` gives the to-do list)")
        blocks.append("\n".join(lines))
    blocks.append(total_line(result))
    if plain:  # plain strings: printed as they are, fast even for thousands of lines
        return blocks
    return [Text(b) if isinstance(b, str) else b for b in blocks]


def check_json(result: CheckResult) -> str:
    data = {
        "min": result.min_orgs,
        "max_age_months": result.max_age_months,
        "today": result.today.isoformat(),
        "area": result.area,
        "tactics": [
            {
                "id": t.id,
                "title": t.title,
                "areas": list(t.areas),
                "path": t.path,
                "exemplars": t.exemplars,
                "organisations": t.organisations,
                "covered": t.covered,
                "needed": t.needed,
                "missing": t.missing,
                "exemplar_ids": list(t.exemplar_ids),
            }
            for t in result.tactics
        ],
        "areas": [
            {
                "id": a.id,
                "name": a.name,
                "tactics": a.tactics,
                "covered": a.covered,
                "percent": a.percent,
            }
            for a in result.areas
        ],
        "warnings": [
            {
                "rule": w.rule,
                "path": w.path,
                "line": w.line,
                "subject": w.subject,
                "message": w.message,
            }
            for w in result.warnings
        ],
        "totals": {
            "tactics": len(result.tactics),
            "covered": result.covered_count,
            "short": len(result.short),
            "percent": result.percent,
            "warnings": len(result.warnings),
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def check_github(result: CheckResult) -> str:
    """An error on each short tactic's file and a warning per warning, then a summary line."""
    lines = render_github(result.diagnostics())
    return f"{lines}\n{total_line(result)}" if lines else total_line(result)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~@])")


def md_escape(text: str) -> str:
    """Safe inside a Markdown table cell: one line, read literally, no HTML."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    align = ["---:" if i in right else "---" for i in range(len(headers))]
    out = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(out)


def check_markdown(result: CheckResult) -> str:
    """A report for a pull-request comment: verdict heading, tables, warnings, total."""
    n = len(result.tactics)
    if result.short:
        heading = (
            f"## improvedir check: {len(result.short)} of {_plural(n, 'tactic')} short of cover"
        )
    else:
        heading = f"## improvedir check: all {_plural(n, 'tactic')} covered"
    parts = [
        heading,
        "",
        f"A tactic is covered when at least {result.min_orgs} exemplars from "
        f"{result.min_orgs} different organisations name it.",
    ]
    if result.short:
        rows = [
            [
                f"`{t.id}` {md_escape(t.title)}",
                md_escape(", ".join(t.areas)),
                str(t.exemplars),
                str(t.organisations),
                md_escape(t.missing or ""),
            ]
            for t in result.short
        ]
        parts += [
            "",
            "### Tactics short of cover",
            "",
            _md_table(["Tactic", "Area", "Exemplars", "Organisations", "Missing"], rows, {2, 3}),
        ]
    if result.areas:
        rows = [
            [f"`{a.id}`", str(a.tactics), str(a.covered), _pct(a.percent)] for a in result.areas
        ]
        parts += [
            "",
            "### By area",
            "",
            _md_table(["Area", "Tactics", "Covered", "%"], rows, {1, 2, 3}),
        ]
    if result.warnings:
        parts += ["", f"### Warnings ({len(result.warnings)})", ""]
        parts += [f"- `{w.path}`: {md_escape(w.message)} (`{w.rule}`)" for w in result.warnings]
    parts += ["", f"**{total_line(result)}**"]
    return "\n".join(parts)


def content_errors_markdown(diags: list[Diagnostic]) -> str:
    """When the content does not load, the PR comment says so instead of a coverage table."""
    lines = [
        f"## improvedir check: {_plural(len(diags), 'content problem')}",
        "",
        "Coverage was not checked because the content does not validate. "
        "Run `improvedir validate` and fix these first:",
        "",
    ]
    lines += [
        f"- `{d.path}:{d.line}:{d.column}` {md_escape(d.message)} (`{d.rule}`)" for d in diags
    ]
    return "\n".join(lines)


CHECK_REPORTERS: dict[str, Callable[[CheckResult], str]] = {
    "json": check_json,
    "github": check_github,
    "markdown": check_markdown,
}


def gaps_text(result: GapsResult) -> str:
    """The to-do list, by area; plain text so it pastes into an email or a chat."""
    out: list[str] = []
    contacts = (
        f"Contacts: {_plural(result.no_contact, 'exemplar')} still "
        f"{'has' if result.no_contact == 1 else 'have'} no contact who agreed to be listed "
        "with an email; ask the people named in their sources (`improvedir check --verbose` lists them)."
        if result.no_contact
        else ""
    )
    measures = _measure_gap_lines(result)
    evidence = (
        f"Evidence: {_plural(len(result.weak_evidence), 'tactic')} "
        f"{'has' if len(result.weak_evidence) == 1 else 'have'} no organisation with strong or "
        "moderate evidence (a measured result not only from a vendor): "
        + ", ".join(result.weak_evidence)
        if result.weak_evidence
        else ""
    )
    topics = (
        "Topics people ask about that no tactic covers yet: "
        + "; ".join(f"{topic} ({name})" for _id, name, topic in result.topics)
        if result.topics
        else ""
    )
    tail = [*measures, *(line for line in (evidence, topics, contacts) if line)]
    if not result.areas and not result.empty_areas:
        done = (
            f"Nothing to do on coverage: every tactic has {result.min_orgs} exemplars from "
            f"{result.min_orgs} organisations and every exemplar was checked within "
            f"{result.max_age_months} months."
        )
        return "\n".join([done, *tail])
    for area in result.areas:
        out.append(f"{area.name} ({area.id})")
        if area.tactics:
            out.append("  Tactics needing exemplars, most needed first:")
            rows = [
                [
                    f"    {t.id}",
                    f"needs {t.needed}",
                    f"has {t.exemplars} from {t.organisations}",
                    t.title,
                ]
                for t in area.tactics
            ]
            out.append(plain_table(None, rows, set()))
        if area.stale:
            out.append(
                f"  Exemplars to re-check (last verified over {result.max_age_months} months ago):"
            )
            rows = [[f"    {s.id}", s.last_verified, s.organisation, s.path] for s in area.stale]
            out.append(plain_table(None, rows, set()))
        out.append("")
    if result.empty_areas:
        out.append("Areas with no tactics yet:")
        out += [f"  {ident} ({name})" for ident, name in result.empty_areas]
        out.append("")
    out.append(
        f"{_plural(result.short_count, 'tactic')} short of cover, "
        f"{_plural(result.stale_count, 'exemplar')} to re-check, "
        f"{_plural(len(result.empty_areas), 'area')} with no tactics."
    )
    out.extend(tail)
    return "\n".join(out)


def _measure_gap_lines(result: GapsResult) -> list[str]:
    if not result.measures:
        return []
    out = ["", f"National measures with fewer than {result.min_orgs} tactics behind them:"]
    for m in result.measures:
        out.append(f"  {m.id} ({m.name}): {_plural(m.tactics, 'tactic')}")
        if m.research_gap:
            out.append(f"    Researched: {m.research_gap}")
    return out


def gaps_json(result: GapsResult) -> str:
    data = {
        "min": result.min_orgs,
        "max_age_months": result.max_age_months,
        "no_contact": result.no_contact,
        "areas": [
            {
                "id": a.id,
                "name": a.name,
                "tactics": [
                    {
                        "id": t.id,
                        "title": t.title,
                        "path": t.path,
                        "exemplars": t.exemplars,
                        "organisations": t.organisations,
                        "needed": t.needed,
                    }
                    for t in a.tactics
                ],
                "stale": [
                    {
                        "id": s.id,
                        "path": s.path,
                        "organisation": s.organisation,
                        "last_verified": s.last_verified,
                        "months_old": s.months_old,
                    }
                    for s in a.stale
                ],
            }
            for a in result.areas
        ],
        "empty_areas": [{"id": i, "name": n} for i, n in result.empty_areas],
        "measures": [
            {
                "id": m.id,
                "name": m.name,
                "tactics": list(m.tactic_ids),
                "research_gap": m.research_gap,
            }
            for m in result.measures
        ],
        "weak_evidence": result.weak_evidence,
        "topics": [{"area": a, "topic": t} for a, _name, t in result.topics],
        "totals": {
            "short": result.short_count,
            "measures_short": len(result.measures),
            "weak_evidence": len(result.weak_evidence),
            "stale": result.stale_count,
            "empty_areas": len(result.empty_areas),
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


GAPS_REPORTERS: dict[str, Callable[[GapsResult], str]] = {"text": gaps_text, "json": gaps_json}


# --- the measures catalogue ---


def measures_text(cover: list[MeasureCover]) -> str:
    """The catalogue as a person reads it: each measure, its standard and what backs it."""
    out: list[str] = []
    for m in cover:
        out.append(f"{m.name} [{m.id}] - {_plural(m.tactics, 'tactic')}")
        out.append(f"  Standard: {m.standard}")
        for title, url in m.sources[:2]:
            out.append(f"  Source: {title} - {url}")
        if m.tactic_ids:
            out.append(f"  Tactics: {', '.join(m.tactic_ids)}")
        out.append("")
    short = sum(1 for m in cover if m.tactics < 3)
    out.append(f"{_plural(len(cover), 'measure')}; {short} with fewer than 3 tactics (see gaps).")
    return "\n".join(out)


def measures_json(cover: list[MeasureCover]) -> str:
    return json.dumps(
        [
            {
                "id": m.id,
                "name": m.name,
                "standard": m.standard,
                "areas": list(m.areas),
                "sources": [{"title": t, "url": u} for t, u in m.sources],
                "tactics": m.tactics,
                "tactic_ids": list(m.tactic_ids),
                "research_gap": m.research_gap,
            }
            for m in cover
        ],
        indent=2,
        ensure_ascii=False,
    )


def measures_markdown(cover: list[MeasureCover]) -> str:
    rows = [
        [
            md_escape(m.name),
            f"`{m.id}`",
            md_escape(m.standard),
            str(m.tactics),
            " ".join(f"[{md_escape(t)}](<{u}>)" for t, u in m.sources[:1]),
        ]
        for m in cover
    ]
    return _md_table(["Measure", "Id", "Standard", "Tactics", "Source"], rows, {3})


MEASURES_REPORTERS: dict[str, Callable[[list[MeasureCover]], str]] = {
    "text": measures_text,
    "json": measures_json,
    "markdown": measures_markdown,
}
