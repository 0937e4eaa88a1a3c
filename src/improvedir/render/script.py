"""The conversation a performance manager can have: what to ask, what to offer, who can help.

A :class:`~improvedir.engine.plan.Plan` says what to offer; this module says it, in each
format. Content is written by many people, so every piece of it passes through
:func:`~improvedir.content.text.clean` and is printed literally: no markup, no control
codes, no header injection in email.
"""

from __future__ import annotations

import json
import os
import re

from ..content.model import Exemplar, Measure, Tactic
from ..content.organisations import REGIONS
from ..content.text import clean
from ..engine.evidence import evidence_line, grade
from ..engine.plan import SOURCES_SHOWN, Plan, contact_line, shown_contacts

# --- text (plain and Rich share it: Rich only adds colour to headings) ---


def _greeting(plan: Plan) -> str:
    return f"Hello {clean(plan.trust)} team," if plan.trust else "Hello,"


def _org_block(e: Exemplar, plan: Plan | None = None) -> list[str]:
    lines = [f"- {clean(e.organisation.name)}"]
    if plan is not None and plan.region and e.id in plan.nearby:
        lines[0] += f" (also in {REGIONS.get(plan.region, plan.region)})"
    lines.append(f"  What they did: {clean(e.summary)}")
    if e.outcome:
        lines.append(f"  What they achieved: {clean(e.outcome)}")
    lines.append(f"  Evidence: {evidence_line(e)}")
    contacts = shown_contacts(e)
    if contacts:
        label = "Contact" if contacts[0].reachable else "Who to ask for"
        lines.append(f"  {label}: " + "; ".join(contact_line(c) for c in contacts))
    for source in e.sources[:SOURCES_SHOWN]:
        lines.append(f"  Source: {clean(source.title)} - {clean(source.url)}")
    return lines


def _learned_block(e: Exemplar) -> list[str]:
    lines = [f"- {clean(e.organisation.name)}: {clean(e.summary)}"]
    if e.lessons:
        lines.append(f"  What they learned: {clean(e.lessons)}")
    for source in e.sources[:SOURCES_SHOWN]:
        lines.append(f"  Source: {clean(source.title)} - {clean(source.url)}")
    return lines


def first_sentence(text: str) -> str:
    """The opening sentence of a measure's standard: what a call needs; the rest (history,
    interim targets) is in `improvedir measures`."""
    text = clean(text)
    match = re.search(r"(?<=[a-z0-9)%])\.\s+(?=[A-Z])", text)
    return text[: match.start() + 1] if match else text


def _measure_block(measure: Measure) -> list[str]:
    lines = [f"- {clean(measure.name)}: {first_sentence(measure.standard)}"]
    if measure.sources:
        source = measure.sources[0]
        lines.append(f"  Source: {clean(source.title)} - {clean(source.url)}")
    return lines


CONSIDERATION_LABELS = {
    "cost": "Cost",
    "staff": "Staff",
    "time_to_impact": "Time to impact",
    "prerequisites": "First",
    "watch_out": "Watch out",
}


def considerations_line(tactic: Tactic) -> str:
    """What adopting a tactic takes, as one line under it ('' when nothing is recorded)."""
    parts = [
        f"{CONSIDERATION_LABELS.get(key, key)}: {clean(text).rstrip('.')}"
        for key, text in tactic.considerations
    ]
    return "What it takes: " + "; ".join(parts) + "." if parts else ""


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
        for measure in plan.measures:
            opening.extend(_measure_block(measure))
    for tactic, own in plan.already:
        places = _join(sorted({clean(e.organisation.name) for e in own}))
        opening.append("")
        opening.append(
            f'"I see your team has already done this: {clean(tactic.title).rstrip(".")} '
            f'({places}). Would you share how it went with others?"'
        )
    sections.append((f"1. Ask how things are going {who}".rstrip(), opening))

    ideas = ['"Have you thought about any of these? Other teams have made them work."', ""]
    if not plan.offers:
        # Every tactic that matched is one the trust has done itself.
        ideas = [
            "The directory has no other tactic on this yet that your team has not done "
            "already. (`improvedir gaps` lists what contributors could add.)"
        ]
    for i, offer in enumerate(plan.offers):
        ideas.append(f"{_letter(i)}. {clean(offer.tactic.title)}")
        ideas.append(f"   {clean(offer.tactic.summary)}")
        takes = considerations_line(offer.tactic)
        if takes:
            ideas.append(f"   {takes}")
        page = page_url(offer.tactic)
        if page:
            ideas.append(f"   Full evidence: {page}")
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
            helpers.extend("   " + line for line in _org_block(exemplar, plan))
        if offer.learned:
            helpers.append("   What others learned (attempts that did not work):")
            for exemplar in offer.learned:
                helpers.extend("   " + line for line in _learned_block(exemplar))
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


def md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_markdown(plan: Plan, follow_up: bool = False) -> str:
    """Markdown whose every piece of content is escaped, so it renders as written."""
    sections = render_follow_up_sections(plan) if follow_up else render_text_sections(plan)
    out = [f"# {md_text(title_line(plan, follow_up))}", ""]
    for heading, lines in sections:
        out.append(f"## {md_text(heading)}")
        out.append("")
        for line in lines:
            url = re.search(r" - (https?://\S+)$", line)
            if url and "Source:" in line:
                head = line[: url.start()]
                link = url.group(1).replace(">", "%3E").replace("<", "%3C")
                out.append(f"{md_text(head)} - <{link}>")
            else:
                out.append(md_text(line) if line else "")
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
        "region": plan.region,
        "follow_up": follow_up,
        "areas": [a.id for a in plan.areas],
        "measures": [
            {
                "id": m.id,
                "name": m.name,
                "standard": m.standard,
                "sources": [{"title": s.title, "url": s.url} for s in m.sources],
            }
            for m in plan.measures
        ],
        "already_done": [
            {"tactic": t.id, "title": t.title, "exemplars": [e.id for e in own]}
            for t, own in plan.already
        ],
        "corrections": plan.corrections,
        "tactics": [
            {
                "id": o.tactic.id,
                "title": o.tactic.title,
                "summary": o.tactic.summary,
                "considerations": dict(o.tactic.considerations),
                **({"page": page_url(o.tactic)} if page_url(o.tactic) else {}),
                "needs_more_exemplars": o.shortfall,
                "exemplars": [
                    {
                        "id": e.id,
                        "organisation": e.organisation.name,
                        "nearby": e.id in plan.nearby,
                        "outcome": e.outcome,
                        "result": e.result,
                        "evidence": grade(e),
                        "worked": e.worked,
                        "contacts": [
                            {
                                "name": c.name,
                                "role": c.role,
                                "email": c.email if c.reachable else None,
                            }
                            for c in e.contacts
                        ],
                        "sources": [
                            {"title": s.title, "url": s.url, "kind": s.kind} for s in e.sources
                        ],
                    }
                    for e in o.exemplars
                ],
                "learned": [
                    {
                        "id": e.id,
                        "organisation": e.organisation.name,
                        "worked": e.worked,
                        "lessons": e.lessons,
                        "sources": [
                            {"title": s.title, "url": s.url, "kind": s.kind} for s in e.sources
                        ],
                    }
                    for e in o.learned
                ],
            }
            for o in plan.offers
        ],
    }


# --- links to the published site (IMPROVEDIR_SITE_URL, set where `improvedir site` is
# published): each tactic's page holds every exemplar, grade and source ---

SITE_URL_VARIABLE = "IMPROVEDIR_SITE_URL"


def page_url(tactic: Tactic) -> str | None:
    """The tactic's page on the published site, when $IMPROVEDIR_SITE_URL says where it is."""
    base = clean(os.environ.get(SITE_URL_VARIABLE))
    if not re.match(r"https?://\S+$", base):
        return None
    return f"{base.rstrip('/')}/tactics/{tactic.id}.html"


def render_json(plan: Plan, follow_up: bool = False) -> str:
    return json.dumps(as_dict(plan, follow_up), indent=2, ensure_ascii=False)
