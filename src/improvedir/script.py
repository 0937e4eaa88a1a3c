"""The conversation a performance manager can have: what to ask, what to offer, who can help.

The article behind improvedir asks that a performance conversation move from "why aren't
you doing better?" to "have you thought about x, y or z? green, white and red have done it
and can help". This module chooses the tactics and the organisations (a :class:`Plan`) and
renders the script in each format. Content is written by many people, so every piece of
it passes through :func:`clean` and is printed literally: no markup, no control codes, no
header injection in email.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from .model import Area, Contact, Exemplar, Tactic
from .orgs import org_key

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[ \t\r\n]+")


def clean(text: str | None) -> str:
    """One line of content, safe for a terminal, markdown source or an email header."""
    if not text:
        return ""
    return _SPACES.sub(" ", _UNSAFE.sub("", text)).strip()


@dataclass
class Offer:
    """One tactic offered, with the organisations chosen to vouch for it."""

    tactic: Tactic
    exemplars: list[Exemplar]
    wanted: int

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

    @property
    def measures(self) -> list[str]:
        seen: dict[str, None] = {}
        for area in self.areas:
            for measure in area.measures:
                seen.setdefault(measure)
        return list(seen)

    @property
    def topic(self) -> str:
        if self.areas:
            return " and ".join(a.name for a in self.areas[:2])
        return self.query


def choose_exemplars(exemplars: list[Exemplar], limit: int) -> list[Exemplar]:
    """Up to ``limit`` exemplars from distinct organisations, the most useful first.

    Useful means: someone agreed to be contacted, then most recently verified, then a
    measured outcome to quote.
    """

    def rank(e: Exemplar) -> tuple[int, str, int, str]:
        reachable = any(c.reachable for c in e.contacts)
        return (0 if reachable else 1, _negate(e.last_verified), 0 if e.outcome else 1, e.id)

    chosen: list[Exemplar] = []
    seen: set[str] = set()
    for exemplar in sorted(exemplars, key=rank):
        key = org_key(exemplar)
        if key in seen:
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


# --- text (plain and Rich share it: Rich only adds colour to headings) ---


def _greeting(plan: Plan) -> str:
    return f"Hello {clean(plan.trust)} team," if plan.trust else "Hello,"


#: How many sources a script lists per exemplar (the log keeps the same ones).
SOURCES_SHOWN = 2


def shown_contacts(e: Exemplar) -> list[Contact]:
    """The people a script names for ``e``: those who agreed to be listed, if any, else the
    named people to ask for (whose email, if any, is never shown)."""
    return [c for c in e.contacts if c.reachable] or [c for c in e.contacts if contact_line(c)]


def _org_block(e: Exemplar) -> list[str]:
    lines = [f"- {clean(e.organisation.name)}"]
    lines.append(f"  What they did: {clean(e.summary)}")
    if e.outcome:
        lines.append(f"  What they achieved: {clean(e.outcome)}")
    contacts = shown_contacts(e)
    if contacts:
        label = "Contact" if contacts[0].reachable else "Who to ask for"
        lines.append(f"  {label}: " + "; ".join(contact_line(c) for c in contacts))
    for source in e.sources[:SOURCES_SHOWN]:
        lines.append(f"  Source: {clean(source.title)} - {clean(source.url)}")
    return lines


def _needs_source_route(plan: Plan) -> bool:
    return any(not any(c.reachable for c in e.contacts) for o in plan.offers for e in o.exemplars)


def _letter(i: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i] if i < 26 else str(i + 1)


def render_text_sections(plan: Plan) -> list[tuple[str, list[str]]]:
    """The script as (heading, lines) sections: the text, markdown and email bodies."""
    who = f"with {clean(plan.trust)} " if plan.trust else ""
    sections: list[tuple[str, list[str]]] = []
    opening = [
        f'"{_greeting(plan)} thanks for making the time. How are things going with '
        f'{clean(plan.topic).lower()} at the moment? How are your numbers looking?"'
    ]
    if plan.measures:
        opening.append("")
        opening.append("Numbers worth asking about:")
        opening.extend(f"- {clean(m)}" for m in plan.measures)
    sections.append((f"1. Ask how things are going {who}".rstrip(), opening))

    ideas = ['"Have you thought about any of these? Other teams have made them work."', ""]
    for i, offer in enumerate(plan.offers):
        ideas.append(f"{_letter(i)}. {clean(offer.tactic.title)}")
        ideas.append(f"   {clean(offer.tactic.summary)}")
    sections.append(("2. Offer ideas", ideas))

    helpers = ['"If you decide to try any of these, these teams have done it and can help:"']
    if _needs_source_route(plan):
        helpers.append(
            "(Where no contact is listed with an email, nobody has agreed to be listed yet: "
            "the source is the way in, and the people it names are who to ask for.)"
        )
    for i, offer in enumerate(plan.offers):
        helpers.append("")
        helpers.append(f"{_letter(i)}. {clean(offer.tactic.title)}")
        for exemplar in offer.exemplars:
            helpers.extend("   " + line for line in _org_block(exemplar))
        if offer.shortfall:
            helpers.append(
                f"   The directory needs {offer.shortfall} more example"
                f"{'s' if offer.shortfall != 1 else ''} for this tactic. Know a team? "
                f'Add it: improvedir new exemplar --tactic {offer.tactic.id} --org "Name"'
            )
    sections.append(("3. Offer people who have done it", helpers))

    closing = [
        "\"Would any of these be worth a try? I'm happy to make an introduction, and I'll "
        'check in with you in a few weeks to see how it went and whether you need any help."',
        "",
        (
            f"For that next call: improvedir followup {quote_arg(clean(plan.trust))}"
            if plan.recorded and plan.trust
            else f"For that next call: improvedir suggest {quote_arg(plan.query)} --follow-up"
            + (f" --trust {quote_arg(clean(plan.trust))}" if plan.trust else "")
        ),
    ]
    sections.append(("4. Close kindly", closing))
    return sections


def render_follow_up_sections(plan: Plan) -> list[tuple[str, list[str]]]:
    """The script for the call a few weeks later, naming the same tactics and organisations."""
    lines = [
        f'"{_greeting(plan)} when we last spoke about {clean(plan.topic).lower()}, we talked about '
        'a few ideas and teams who could help. How did it go?"',
        "",
    ]
    for i, offer in enumerate(plan.offers):
        orgs = [clean(e.organisation.name) for e in offer.exemplars]
        lines.append(f"{_letter(i)}. {clean(offer.tactic.title)}")
        if orgs:
            lines.append(
                f'   "How did it go with {_join(orgs)}? Do you need any help to use their suggestions?"'
            )
        else:
            lines.append('   "Did you get a chance to look at this? Do you need any help with it?"')
    lines.append("")
    lines.append(
        '"Is there anything getting in the way that I can help with, or anyone else it would '
        'help to talk to?"'
    )
    return [("Follow-up call", lines)]


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def quote_arg(text: str) -> str:
    return text if re.fullmatch(r"[\w&.-]+", text) else '"' + text.replace('"', "'") + '"'


def title_line(plan: Plan, follow_up: bool) -> str:
    kind = "Follow-up" if follow_up else "Ideas and help"
    about = clean(plan.topic)
    trust = f" - {clean(plan.trust)}" if plan.trust else ""
    return f"{kind}: {about}{trust}"


def render_plain(plan: Plan, follow_up: bool = False) -> str:
    sections = render_follow_up_sections(plan) if follow_up else render_text_sections(plan)
    out = [title_line(plan, follow_up), ""]
    for heading, lines in sections:
        out.append(heading)
        out.extend(lines)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_markdown(plan: Plan, follow_up: bool = False) -> str:
    """Markdown whose every piece of content is escaped, so it renders as written."""
    sections = render_follow_up_sections(plan) if follow_up else render_text_sections(plan)
    out = [f"# {_md(title_line(plan, follow_up))}", ""]
    for heading, lines in sections:
        out.append(f"## {_md(heading)}")
        out.append("")
        for line in lines:
            url = re.search(r" - (https?://\S+)$", line)
            if url and "Source:" in line:
                head = line[: url.start()]
                link = url.group(1).replace(">", "%3E").replace("<", "%3C")
                out.append(f"{_md(head)} - <{link}>")
            else:
                out.append(_md(line) if line else "")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def render_email(
    plan: Plan, follow_up: bool = False, to: str | None = None, sender: str | None = None
) -> str:
    """A complete RFC 5322 message; header values are single-line by construction."""
    from email.message import EmailMessage
    from email.policy import SMTP

    message = EmailMessage(policy=SMTP)
    message["Subject"] = clean(title_line(plan, follow_up))
    if to:
        message["To"] = clean(to)
    if sender:
        message["From"] = clean(sender)
    message["MIME-Version"] = "1.0"
    body = render_plain(plan, follow_up).split("\n", 2)[2]  # the subject says the title
    # 8bit keeps the body readable when pasted; quoted-printable only if a line is too long
    # for SMTP (998 octets).
    long_line = any(len(line.encode()) > 990 for line in body.splitlines())
    message.set_content(body, charset="utf-8", cte="quoted-printable" if long_line else "8bit")
    # as_bytes keeps an 8bit UTF-8 body readable; as_string would re-encode it in base64.
    return message.as_bytes().decode("utf-8").replace("\r\n", "\n")


def as_dict(plan: Plan, follow_up: bool = False) -> dict:
    return {
        "query": plan.query,
        "trust": plan.trust,
        "follow_up": follow_up,
        "areas": [a.id for a in plan.areas],
        "measures": plan.measures,
        "corrections": plan.corrections,
        "tactics": [
            {
                "id": o.tactic.id,
                "title": o.tactic.title,
                "summary": o.tactic.summary,
                "needs_more_exemplars": o.shortfall,
                "exemplars": [
                    {
                        "id": e.id,
                        "organisation": e.organisation.name,
                        "outcome": e.outcome,
                        "contacts": [
                            {
                                "name": c.name,
                                "role": c.role,
                                "email": c.email if c.reachable else None,
                            }
                            for c in e.contacts
                        ],
                        "sources": [{"title": s.title, "url": s.url} for s in e.sources],
                    }
                    for e in o.exemplars
                ],
            }
            for o in plan.offers
        ],
    }


def render_json(plan: Plan, follow_up: bool = False) -> str:
    return json.dumps(as_dict(plan, follow_up), indent=2, ensure_ascii=False)


def plan_for(
    catalogue,
    results,
    tactics: int = 3,
    exemplars: int = 3,
    trust: str | None = None,
) -> Plan:
    """Turn search results into a plan: the top tactics and who can vouch for each."""
    offers = [
        Offer(
            hit.tactic,
            choose_exemplars(catalogue.exemplars_for(hit.tactic.id), exemplars),
            exemplars,
        )
        for hit in results.hits[:tactics]
    ]
    area_ids = list(results.areas)
    if not area_ids and results.hits:
        area_ids = list(results.hits[0].tactic.areas)
    areas = [catalogue.areas[a] for a in area_ids if a in catalogue.areas]
    return Plan(results.query, areas, offers, trust=trust, corrections=dict(results.corrections))
