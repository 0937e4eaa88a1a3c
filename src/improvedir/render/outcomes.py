"""The call list (`due`) and the outcomes report (`report`) as text, JSON and Markdown.

Plain text is the same on a terminal and in a pipe: these are lists a manager copies from,
so there is nothing to colour. Markdown is for pasting into a board paper: tables, with
every name escaped so a stray ``|`` cannot break a row.
"""

from __future__ import annotations

import json
import re

from ..content.text import clean
from ..engine.outcomes import CallList, OutcomeReport
from .reports import _md_table, md_escape, plain_table


def followup_command(trust: str) -> str:
    """The exact command to paste into a shell: double quotes, with the characters a shell
    would still expand inside them escaped."""
    quoted = re.sub(r'(["\\$`])', r"\\\1", clean(trust))
    return f'improvedir followup "{quoted}"'


def _ago(days: int) -> str:
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''} ago"
    return f"{days // 7} weeks ago"


# --- due ---


def due_text(calls: CallList, weeks: int) -> str:
    lines = [
        f"Follow-ups due: {len(calls.due)} (the last call was {weeks} or more weeks ago and "
        "no outcome is recorded), oldest first:"
    ]
    for call in calls.due:
        c = call.conversation
        lines.append("")
        lines.append(
            f"{c.when:%Y-%m-%d}  {clean(call.trust.name)}  ({clean(c.query)}, {_ago(call.days)})"
        )
        lines.append(f"  {followup_command(call.trust.name)}")
    return "\n".join(lines)


def due_json(calls: CallList) -> str:
    return json.dumps(
        [
            {
                "trust": call.trust.name,
                "time": call.conversation.time,
                "recorded_as": call.conversation.trust,
                "query": call.conversation.query,
                "days": call.days,
                "weeks": call.weeks,
                "offered": [o.tactic for o in call.conversation.offers],
                "command": followup_command(call.trust.name),
            }
            for call in calls.due
        ],
        indent=2,
        ensure_ascii=False,
    )


# --- report ---

HEADERS = [
    "Tactic",
    "Offered",
    "Adopted",
    "Trying",
    "Worked",
    "Did not work",
    "Not adopted",
    "No result yet",
]
RIGHT = set(range(1, len(HEADERS)))
EXPLAINED = (
    "Each call that offered a tactic counts once. Adopted counts every trust that took it "
    "up; it worked unless they reported it did not."
)


def _counts(t) -> list[str]:
    return [
        str(n)
        for n in (t.offered, t.adopted, t.trying, t.worked, t.did_not_work, t.not_adopted, t.open)
    ]


def _scope(report: OutcomeReport) -> str:
    since = f" since {report.since.isoformat()}" if report.since else ""
    calls = f"{report.conversations} call{'s' if report.conversations != 1 else ''}"
    trusts = f"{report.trusts} trust{'s' if report.trusts != 1 else ''}"
    return f"{calls} with {trusts}{since}"


def report_text(report: OutcomeReport) -> str:
    rows = [[clean(t.title), *_counts(t)] for t in report.tactics]
    out = [f"Tactics offered: {_scope(report)}", plain_table(HEADERS, rows, RIGHT), EXPLAINED]
    out.append("")
    if report.open:
        out.append("Still open (offered, no result yet), oldest call first:")
        for item in report.open:
            out.append("")
            out.append(f"{clean(item.trust)} (last offered {item.last_call.when:%Y-%m-%d})")
            out.extend(f"  - {clean(o.title)} ({o.tactic})" for o in item.tactics)
            if item.note:
                out.append(f"  Noted: {clean(item.note)}")
    else:
        out.append("Nothing is open: every tactic offered has a result.")
    return "\n".join(out)


def report_json(report: OutcomeReport) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False)


def report_markdown(report: OutcomeReport) -> str:
    rows = [[md_escape(clean(t.title)), *_counts(t)] for t in report.tactics]
    out = [
        "## Improvement tactics offered to trusts",
        "",
        f"{md_escape(_scope(report))}.",
        "",
        _md_table(HEADERS, rows, RIGHT),
        "",
        EXPLAINED,
        "",
        "## Still open",
        "",
    ]
    if report.open:
        open_rows = [
            [
                md_escape(clean(item.trust)),
                f"{item.last_call.when:%Y-%m-%d}",
                "; ".join(md_escape(clean(o.title)) for o in item.tactics),
            ]
            for item in report.open
        ]
        out.append(
            _md_table(["Trust", "Last offered", "Tactics with no result yet"], open_rows, set())
        )
    else:
        out.append("Every tactic offered has a result.")
    return "\n".join(out) + "\n"
