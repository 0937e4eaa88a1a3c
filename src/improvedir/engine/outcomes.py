"""What the conversation log adds up to: who is due a call, and which tactics took hold.

The article's promise is the second call ("How did it go with them?"). These are pure
functions over the log's conversations, so the call list and the board report can be
tested on hand-built values and never depend on the clock or the disk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..content.model import Organisation
from .followup import Conversation, LoggedOffer, Trust, trusts_in

# --- the call list ---


@dataclass(frozen=True, slots=True)
class DueCall:
    """A trust whose latest call is old enough to follow up and has no outcome yet."""

    trust: Trust
    conversation: Conversation
    days: int  # whole days since the call

    @property
    def weeks(self) -> int:
        return self.days // 7


@dataclass(slots=True)
class CallList:
    due: list[DueCall]  # oldest call first
    not_yet: int  # trusts whose latest call is more recent, still waiting for an outcome
    trusts: int  # trusts with any recorded conversation


def due_calls(
    conversations: Iterable[Conversation],
    now: dt.datetime,
    weeks: int = 3,
    organisations: Sequence[Organisation] = (),
) -> CallList:
    """Trusts to call back: the latest call with each is ``weeks`` or more old, no outcome.

    Only each trust's latest call counts: a newer call replaces the follow-up of an older
    one, and `improvedir followup TRUST` works on the latest call too.
    """
    trusts = trusts_in(conversations, organisations)
    due: list[DueCall] = []
    not_yet = 0
    for trust in trusts:
        latest = trust.latest
        if latest.outcomes:
            continue
        age = now - latest.when
        if age >= dt.timedelta(weeks=weeks):
            due.append(DueCall(trust, latest, age.days))
        else:
            not_yet += 1
    due.sort(key=lambda d: (d.conversation.when, d.trust.name))
    return CallList(due, not_yet, len(trusts))


# --- the board report ---


@dataclass(slots=True)
class TacticTally:
    """How one tactic fared across the calls that offered it (one count per call).

    ``adopted`` counts every call where the trust took the tactic up; of those, it
    ``worked`` unless they reported it ``did_not_work``. ``open`` is still unanswered.
    """

    tactic: str
    title: str
    offered: int = 0
    adopted: int = 0
    trying: int = 0
    worked: int = 0
    did_not_work: int = 0
    not_adopted: int = 0
    open: int = 0

    def as_dict(self) -> dict[str, int | str]:
        return {
            "tactic": self.tactic,
            "title": self.title,
            "offered": self.offered,
            "adopted": self.adopted,
            "trying": self.trying,
            "worked": self.worked,
            "did_not_work": self.did_not_work,
            "not_adopted": self.not_adopted,
            "open": self.open,
        }


@dataclass(slots=True)
class TrustOpen:
    """Tactics offered to one trust that have no result yet: what the next call asks."""

    trust: str
    last_call: Conversation  # the latest call that offered any of them
    tactics: list[LoggedOffer]
    note: str | None = None  # the latest free-text outcome, if one was recorded

    def as_dict(self) -> dict[str, object]:
        return {
            "trust": self.trust,
            "last_call": self.last_call.time,
            "tactics": [{"tactic": o.tactic, "title": o.title} for o in self.tactics],
            "note": self.note,
        }


@dataclass(slots=True)
class OutcomeReport:
    since: dt.date | None
    conversations: int
    trusts: int
    tactics: list[TacticTally] = field(default_factory=list)
    open: list[TrustOpen] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "conversations": self.conversations,
            "trusts": self.trusts,
            "tactics": [t.as_dict() for t in self.tactics],
            "open": [o.as_dict() for o in self.open],
        }


_COUNTED = {
    "adopted": ("adopted", "worked"),
    "did-not-work": ("adopted", "did_not_work"),
    "trying": ("trying",),
    "not-adopted": ("not_adopted",),
}


def tally(
    conversations: Iterable[Conversation],
    since: dt.date | None = None,
    organisations: Sequence[Organisation] = (),
) -> OutcomeReport:
    """Count, per tactic, what happened after each call that offered it; list what is open.

    Calls before ``since`` (a UTC date) are left out. A tactic offered to one trust on two
    calls counts twice as offered, each with that call's latest result; for a trust, a
    tactic is open while no call with them has a result for it.
    """
    chosen = [c for c in conversations if since is None or c.when.date() >= since]
    tallies: dict[str, TacticTally] = {}
    for conversation in sorted(chosen, key=lambda c: (c.when, c.line)):
        results = conversation.results
        for offer in conversation.offers:
            row = tallies.setdefault(offer.tactic, TacticTally(offer.tactic, offer.title))
            row.title = offer.title  # the latest wording wins
            row.offered += 1
            result = results.get(offer.tactic)
            if result is None:
                row.open += 1
            for name in _COUNTED.get(result or "", ()):
                setattr(row, name, getattr(row, name) + 1)

    open_items: list[TrustOpen] = []
    trusts = trusts_in(chosen, organisations)
    for trust in trusts:
        answered: set[str] = set()
        for conversation in trust.conversations:
            answered.update(conversation.results)
        waiting: dict[str, tuple[LoggedOffer, Conversation]] = {}
        for conversation in trust.conversations:  # newest first: keep the latest offer
            for offer in conversation.offers:
                if offer.tactic not in answered and offer.tactic not in waiting:
                    waiting[offer.tactic] = (offer, conversation)
        if waiting:
            last = max((c for _, c in waiting.values()), key=lambda c: (c.when, c.line))
            notes = [c.outcome for c in trust.conversations if c.outcome]
            open_items.append(
                TrustOpen(
                    trust.name, last, [o for o, _ in waiting.values()], notes[0] if notes else None
                )
            )
    open_items.sort(key=lambda t: (t.last_call.when, t.trust))
    rows = sorted(tallies.values(), key=lambda t: (-t.offered, t.title.lower(), t.tactic))
    return OutcomeReport(since, len(chosen), len(trusts), rows, open_items)
