"""Starting files for a new tactic or exemplar, so a first contribution begins valid-shaped.

Most contributors are improvement leads, not developers. A template that already has the
schema modeline (editor completion), the right id, every required field and a comment on
each leaves them only the facts to fill in; each fact is a ``TODO: ...`` placeholder that
``improvedir validate`` reports by name (rule todo-placeholder) until it is replaced.

The one placeholder validate reports twice is an exemplar's source URL: the schema wants an
http(s) address, and any address we made up would pass it silently, so the URL stays a
TODO and fails both as todo-placeholder and as url-scheme until a real one is pasted in.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..content import files
from ..content.fuzzy import did_you_mean
from ..content.model import Organisation
from ..content.schemacheck import slugify
from ..content.yamlsafe import YamlProblem
from .followup import Trust
from .orgs import normalise_name


class ScaffoldError(Exception):
    """The new file cannot be written; ``usage`` marks a mistake in how the command was used."""

    def __init__(self, message: str, *, usage: bool = False, path: Path | None = None):
        super().__init__(message)
        self.usage = usage
        self.path = path  # the file in the way, when that is the reason


@dataclass(frozen=True)
class NewFile:
    """What to write and where; kept apart from writing so templates are tested as text."""

    kind: str  # "tactic" or "exemplar"
    id: str
    path: Path
    text: str


def _q(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: any title is safe to embed.
    return json.dumps(text, ensure_ascii=False)


def _unknown(kind: str, ident: str, known: set[str], listing: str) -> ScaffoldError:
    message = f"unknown {kind} '{ident}'"
    guess = did_you_mean(ident, known)
    if guess:
        message += f"; did you mean '{guess}'?"
    else:
        message += f"; see {listing} for the ids"
    return ScaffoldError(message)


def area_ids(root: Path) -> set[str]:
    """Area ids from areas.yaml, read leniently: ``new`` should work while content is mid-edit."""
    path = root / "areas.yaml"
    if not path.is_file():
        raise ScaffoldError(f"{files.shown_path(path)} not found: is {root} a content folder?")
    try:
        doc = files.read(files.ContentFile("areas", path, files.shown_path(path)), root)
    except YamlProblem as problem:
        raise ScaffoldError(
            f"{files.shown_path(path)}:{problem.line}:{problem.column}: {problem.message}"
        ) from None
    items = doc.data if isinstance(doc.data, list) else []
    return {i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)}


def tactic_ids(root: Path) -> set[str]:
    """Tactic ids from file names (ids must equal them), so a just-scaffolded tactic counts."""
    found = files.discover(root)
    return {f.stem for f in found if f.kind == "tactics"}


def tactic_template(title: str, area: str) -> tuple[str, str]:
    """(id, file text) for a new tactic titled ``title`` in ``area``."""
    ident = slugify(title)
    if not ident:
        raise ScaffoldError(
            f"cannot make an id from the title {title!r}: use some letters or digits", usage=True
        )
    text = f"""\
# yaml-language-server: $schema=../../schemas/tactic.schema.json
# A new tactic: one proven way a trust can improve, backed by exemplars (organisations
# that made it work) in content/exemplars/. Full guide: CONTRIBUTING.md.
# Replace every value that starts with "TODO" (run `improvedir validate` to list any left),
# then add exemplars with: improvedir new exemplar --tactic {ident} --org "Organisation name"

# The id must equal this file's name without .yaml; change both together or neither.
id: {ident}
# A short plain-words name, as a lead would say it on a call.
title: {_q(title)}
# One to three sentences: what a team does and why it helps.
summary: "TODO: say in one to three sentences what a team does and why it helps"
# Area ids from content/areas.yaml; add more lines if the tactic helps several areas.
areas:
  - {area}
# Optional: words people type when looking for this (abbreviations, local names).
# Delete this section if you have none.
keywords:
  - "TODO: a word or abbreviation people search for, e.g. DNA, PIFU or SDEC"
# Optional: ids of the national measures (content/measures.yaml) this tactic moves, e.g.
# dm01 or ae-4-hour; `improvedir measures` lists them. Remove the # to use it.
# measures: [dm01]
# Optional: short imperative steps a trust would take. Delete this section if unsure.
steps:
  - "TODO: the first thing a team does, e.g. 'Agree referral criteria with local GPs'"
# Optional: what adopting it takes, from the sources, each a short sentence (cost, staff,
# time_to_impact, prerequisites, watch_out). Remove the # from the lines you can support.
# considerations:
#   time_to_impact: "TODO: how long before results showed, as the sources say"
#   watch_out: "TODO: what went wrong or what to avoid, as the sources say"
# Optional: national guidance or published evaluations, each with the page's title and
# its address exactly as published. Remove the # from these lines to use them.
# evidence:
#   - title: "The page's title as published"
#     url: "https://www.england.nhs.uk/..."
"""
    return ident, text


def exemplar_template(tactic: str, org: str, today: dt.date) -> tuple[str, str]:
    """(id, file text) for a new exemplar of ``tactic`` by organisation ``org``."""
    stem = slugify(normalise_name(org)) or slugify(org)
    if not stem:
        raise ScaffoldError(
            f"cannot make an id from the organisation {org!r}: use its published name", usage=True
        )
    ident = f"{stem}-{tactic}"
    text = f"""\
# yaml-language-server: $schema=../../schemas/exemplar.schema.json
# A new exemplar: one organisation that made a tactic work, with a public source that
# says so. Full guide, and what makes a good exemplar: CONTRIBUTING.md.
# Replace every value that starts with "TODO" (run `improvedir validate` to list any left).

# The id must equal this file's name without .yaml; change both together or neither.
id: {ident}
# Ids of the tactics (content/tactics/<id>.yaml) this organisation succeeded with.
tactics:
  - {tactic}
organisation:
  # The full name as published, e.g. "Example Hospitals NHS Foundation Trust".
  name: {_q(org)}
  # Optional: the organisation's ODS code (3 to 5 capital letters or digits), only when
  # you are certain of it. Remove the # to use it.
  # ods_code: ABC
# What they did, in your own words (do not paste the source's text).
summary: "TODO: in your own words, what this organisation did and how"
# The measured result as the source states it, with its period, e.g. "patients waiting
# over 6 weeks fell from 30% to 5% between April and September 2024".
outcome: "TODO: the measured result, with its period, as the source states it"
# What the sources show: measured (a figure against a baseline or target, with its
# period), reported (volumes, awards or results without a baseline) or planned (launched
# or planned, no result yet). The evidence grade a manager sees is worked out from this.
result: "TODO: measured, reported or planned"
# People who can help, as the public source names them. Leave the list empty if none.
# Add an email ONLY when the person has agreed to be listed, with the day and the way
# they agreed (email, form, in-person or phone); it is shown for two years from then.
# `improvedir invite` asks them, `improvedir consent` records the answer. Never guess an
# address. For example:
#   - name: Pat Example
#     role: Endoscopy clinical lead
#     email: pat.example@example.org
#     consent:
#       given: "2026-01-15"
#       how: email
contacts: []
# At least one public page that describes this work: its title and address as published.
# Until a real address replaces the TODO, validate reports it twice: as a placeholder
# (todo-placeholder) and as not being a web address (url-scheme).
# kind says who published it: peer-reviewed, national-body, organisation, sector-body,
# news or vendor (a supplier's or consultancy's case study).
sources:
  - title: "TODO: the page's title as published"
    url: "TODO: the page's address, starting with https://"
    kind: "TODO: peer-reviewed, national-body, organisation, sector-body, news or vendor"
# The date (YYYY-MM-DD) you last read the sources and confirmed this entry. It is set to
# the day this file was created; change it to the day you actually check the sources.
last_verified: "{today.isoformat()}"
"""
    return ident, text


def new_tactic(root: Path, title: str, area: str) -> NewFile:
    """Plan a new tactic file, refusing an area id the directory does not have."""
    known = area_ids(root)
    if area not in known:
        raise _unknown("area", area, known, "content/areas.yaml")
    ident, text = tactic_template(title, area)
    return NewFile("tactic", ident, root / "tactics" / f"{ident}.yaml", text)


def new_exemplar(root: Path, tactic: str, org: str, today: dt.date | None = None) -> NewFile:
    """Plan a new exemplar file, refusing a tactic id the directory does not have."""
    known = tactic_ids(root)
    if tactic not in known:
        raise _unknown("tactic", tactic, known, "content/tactics/")
    ident, text = exemplar_template(tactic, org, today or dt.date.today())
    return NewFile("exemplar", ident, root / "exemplars" / f"{ident}.yaml", text)


def write(new: NewFile, *, force: bool = False) -> Path:
    """Create the file; an existing one is left byte-for-byte untouched unless ``force``."""
    new.path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in (".yaml", ".yml"):
        twin = new.path.with_suffix(suffix)
        if not force and (twin.exists() or twin.is_symlink()):
            raise ScaffoldError(
                f"{files.shown_path(twin)} already exists; edit it, choose another "
                f"{'title' if new.kind == 'tactic' else 'organisation name'}, "
                "or pass --force to replace it"
            )
    if force and new.path.is_symlink():
        new.path.unlink()  # replace the link itself, never write through it
    mode = "w" if force else "x"  # "x": never clobber a file created since we looked
    try:
        with open(new.path, mode, encoding="utf-8", newline="\n") as handle:
            handle.write(new.text)
    except FileExistsError:
        raise ScaffoldError(
            f"{files.shown_path(new.path)} already exists; pass --force to replace it"
        ) from None
    except OSError as exc:
        raise ScaffoldError(
            f"cannot write {files.shown_path(new.path)}: {exc.strerror or exc}"
        ) from None
    return new.path


# --- an exemplar drafted from a follow-up call ---

#: What a follow-up result says about the evidence: "trying" has no result yet.
RESULT_KIND = {"adopted": "reported", "did-not-work": "reported", "trying": "planned"}


def existing_exemplar(
    root: Path, tactic: str, org: str, organisations: Sequence[Organisation] = ()
) -> Path | None:
    """A file in which ``org`` (by any of its names) already backs ``tactic``, if any.

    Read leniently, like the rest of `new`: a file mid-edit elsewhere must not stop it.
    """
    from .orgs import OrgIndex, organisation_for

    index = OrgIndex(organisations)
    wanted = normalise_name(org)
    home = organisation_for(org, index) if index.entries else None
    for file in files.discover(root):
        if file.kind != "exemplars":
            continue
        try:
            data = files.read(file, root).data
        except YamlProblem:
            continue
        if not isinstance(data, dict) or tactic not in (data.get("tactics") or ()):
            continue
        organisation = data.get("organisation")
        name = organisation.get("name") if isinstance(organisation, dict) else None
        if not isinstance(name, str):
            continue
        if normalise_name(name) == wanted or (
            home is not None and organisation_for(name, index) == home
        ):
            return file.path
    return None


def exemplar_from_conversation(
    root: Path,
    trust: Trust,
    tactic: str,
    organisations: Sequence[Organisation] = (),
    today: dt.date | None = None,
) -> NewFile:
    """Draft an exemplar from what ``trust`` reported about ``tactic`` on a follow-up.

    The call is the lead, not the evidence: the draft carries what was said, marked as
    reported (or planned, for a trust still trying), and a source placeholder that keeps
    `validate` failing until someone adds a public page that says so. It never replaces
    a file, and refuses when the trust already backs the tactic in another file.
    """
    offered = [o.tactic for c in trust.conversations for o in c.offers]
    if tactic not in offered:
        guess = did_you_mean(tactic, dict.fromkeys(offered))
        hint = f" (did you mean '{guess}'?)" if guess else ""
        listed = ", ".join(dict.fromkeys(offered)) or "none"
        raise ScaffoldError(
            f"'{tactic}' was never offered to {trust.name}{hint}. Offered: {listed}."
        )
    answered = [c for c in trust.conversations if tactic in c.results]  # newest first
    if not answered:
        raise ScaffoldError(
            f"no result is recorded for '{tactic}' with {trust.name}; record it first: "
            f'improvedir followup "{trust.name}" --tactic {tactic} --result adopted'
        )
    conversation = answered[0]
    result = conversation.results[tactic]
    if result not in RESULT_KIND:
        raise ScaffoldError(
            f"{trust.name} did not adopt '{tactic}' (recorded {result}); an exemplar is an "
            "organisation that tried it"
        )
    if tactic not in tactic_ids(root):
        raise ScaffoldError(f"the tactic '{tactic}' is no longer in {root / 'tactics'}")
    found = existing_exemplar(root, tactic, trust.name, organisations)
    if found is not None:
        raise ScaffoldError(
            f"{trust.name} already has an exemplar for '{tactic}': {files.shown_path(found)}",
            path=found,
        )
    title = next(o.title for o in conversation.offers if o.tactic == tactic)
    text = conversation.result_text(tactic)
    ident, body = conversation_template(
        tactic,
        title,
        trust.name,
        getattr(trust.organisation, "ods_code", None),
        result,
        text,
        conversation.when.date(),
        today or dt.date.today(),
    )
    path = root / "exemplars" / f"{ident}.yaml"
    for twin in (path, path.with_suffix(".yml")):
        if twin.exists() or twin.is_symlink():
            raise ScaffoldError(f"{files.shown_path(twin)} already exists", path=twin)
    return NewFile("exemplar", ident, path, body)


def conversation_template(
    tactic: str,
    title: str,
    org: str,
    ods_code: str | None,
    result: str,
    said: str | None,
    called: dt.date,
    today: dt.date,
) -> tuple[str, str]:
    """(id, file text) of an exemplar drafted from a follow-up result."""
    stem = slugify(normalise_name(org)) or slugify(org)
    if not stem:
        raise ScaffoldError(f"cannot make an id from the organisation {org!r}", usage=True)
    ident = f"{stem}-{tactic}"
    todo_said = "TODO: what they did and what came of it, as the source states it"
    on_call = f"after a performance conversation on {called.isoformat()}"
    if result == "adopted":
        summary = f"Took up '{title}' {on_call}."
        outcome: str | None = f"As reported on a follow-up call: {said}" if said else todo_said
        lessons = None
    elif result == "trying":
        summary = f"Started trying '{title}' {on_call}" + (f": {said}" if said else ".")
        outcome, lessons = None, None
    else:  # did-not-work
        summary = f"Tried '{title}' {on_call}; reported on a follow-up call that it did not work."
        outcome = None
        lessons = said or "TODO: what others can learn from this attempt, as the source shows it"
    ods = f"  ods_code: {ods_code}\n" if ods_code else ""
    about = (
        f"Drafted by `improvedir new exemplar --from-conversation` from what {org} reported "
        f"about this tactic after a call on {called.isoformat()}. A call is a lead, not a "
        "source: before this can be listed, find a public page that describes the work (a "
        "trust news item or board paper, an NHS England case study, a journal article), put "
        "its title and address under sources, and check and rewrite the summary and outcome "
        "against it. Full guide: CONTRIBUTING.md."
    )
    lines = [
        "# yaml-language-server: $schema=../../schemas/exemplar.schema.json",
        *textwrap.wrap(about, 88, initial_indent="# ", subsequent_indent="# "),
        "",
        "# The id must equal this file's name without .yaml; change both together or neither.",
        f"id: {ident}",
        "tactics:",
        f"  - {tactic}",
        "organisation:",
        f"  name: {_q(org)}",
    ]
    text = "\n".join(lines) + "\n" + ods
    text += "# What they did, in your own words, as the source describes it.\n"
    text += f"summary: {_q(summary)}\n"
    if outcome:
        text += "# The result as the source states it, with its period.\n"
        text += f"outcome: {_q(outcome)}\n"
    text += (
        "# reported: volumes or qualitative results without a baseline; change to measured\n"
        "# when the source gives a figure against a baseline, with its period.\n"
        if RESULT_KIND[result] == "reported"
        else "# planned: started, no result yet. Change it when the source reports one.\n"
    )
    text += f"result: {RESULT_KIND[result]}\n"
    if lessons:
        text += "# It did not work here; lessons says what others can learn from the attempt.\n"
        text += f'worked: "no"\nlessons: {_q(lessons)}\n'
    text += f"""\
# People who can help, as the public source names them. Add an email ONLY when the
# person has agreed to be listed, with a consent record (the day and how they agreed);
# `improvedir invite` asks them and `improvedir consent` records it. Never guess an address.
contacts: []
# A public page that describes this work. Until a real one replaces the TODOs, validate
# reports them (todo-placeholder, url-scheme for the address, schema-enum for the kind).
sources:
  - title: "TODO: the page's title as published"
    url: "TODO: the page's address, starting with https://"
    kind: "TODO: peer-reviewed, national-body, organisation, sector-body, news or vendor"
# The date (YYYY-MM-DD) you last read the sources and confirmed this entry.
last_verified: "{today.isoformat()}"
"""
    return ident, text
