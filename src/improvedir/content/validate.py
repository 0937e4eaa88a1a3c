"""Loading a content folder into a :class:`Directory` and every problem found on the way.

Every problem is collected rather than raised, so one run shows a contributor all that is
wrong, each at its file, line and column. Files that fail their schema are left out of the
directory, but their ids still count when checking references, so one typo does not set
off a cascade of "unknown tactic" errors elsewhere.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import files
from . import model as _model
from .diagnostics import Diagnostic, sort_key
from .fuzzy import did_you_mean
from .model import (
    CONSENT_YEARS,
    Consent,
    Directory,
    area_from,
    exemplar_from,
    measure_from,
    tactic_from,
)
from .schemacheck import checker, field_name
from .yamlsafe import Located, YamlProblem

SCHEMA_FOR = {
    "areas": "areas",
    "measures": "measures",
    "tactics": "tactic",
    "exemplars": "exemplar",
}

# Raw text that could hide a control character (an escape) or holds a placeholder; only
# such files need the full walk over every string, which keeps valid files fast.
_SUSPECT = re.compile("[\\\\\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|TODO")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+\Z"
)


def valid_email(text: str) -> bool:
    """An address validate accepts (the same test `improvedir consent` applies)."""
    return bool(_EMAIL.match(text))


@dataclass
class Loaded:
    """The outcome of loading: the valid part of the directory and all problems."""

    directory: Directory
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)


class _Collector:
    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def add(self, shown: str, where: tuple[int, int], rule: str, message: str) -> None:
        self.items.append(Diagnostic(shown, where[0], where[1], rule, message))


def _check_text(doc: Located, shown: str, out: _Collector) -> None:
    if doc.text is None or _SUSPECT.search(doc.text):
        _walk_text(doc.data, (), doc, shown, out)


def checked_items(
    doc: Located, shown: str, schema: str, out: _Collector, noun: str
) -> list[tuple[int, dict[str, Any], int]]:
    """The items of a list file (areas, measures, organisations) that pass its schema, each
    with its index and the line of its id, after reporting every schema and text problem
    and every id used twice (the first use wins): what the three list files share, in one
    place."""
    bad: set[Any] = set()
    for p in checker(schema).problems(doc.data):
        out.add(shown, doc.where(p.path, key=p.at_key), p.rule, p.message)
        bad.add(p.path[0] if p.path else None)
    _check_text(doc, shown, out)
    if not isinstance(doc.data, list) or None in bad:
        return []
    seen: dict[str, int] = {}
    items = []
    for index, item in enumerate(doc.data):
        if index in bad or not isinstance(item, dict):
            continue
        where = doc.where((index, "id"))
        if item["id"] in seen:
            out.add(
                shown,
                where,
                "id-duplicate",
                f"the {noun} id '{item['id']}' is already used at line {seen[item['id']]}",
            )
            continue
        seen[item["id"]] = where[0]
        items.append((index, item, where[0]))
    return items


def _walk_text(value: Any, path: tuple[Any, ...], doc: Located, shown: str, out: _Collector):
    if isinstance(value, str):
        bad = _CONTROL.search(value)
        if bad:
            out.add(
                shown,
                doc.where(path),
                "text-control-char",
                f"{field_name(path)} contains the control character U+{ord(bad.group()):04X}; "
                "remove it",
            )
        if value.lstrip().startswith("TODO"):
            out.add(
                shown,
                doc.where(path),
                "todo-placeholder",
                f"{field_name(path)} still holds a placeholder: {value.strip()}",
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and _CONTROL.search(key):
                out.add(
                    shown,
                    doc.where(path + (key,), key=True),
                    "text-control-char",
                    "a field name contains a control character",
                )
            _walk_text(item, path + (key,), doc, shown, out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk_text(item, path + (index,), doc, shown, out)


def _reference(kind: str, ref: str, known: dict[str, Any] | set[str]) -> str:
    message = f"unknown {kind} '{ref}'"
    guess = did_you_mean(ref, known)
    if guess:
        message += f" (did you mean '{guess}'?)"
    return message


def load_directory(root: Path | str, today: dt.date | None = None) -> Loaded:
    """Read, check and assemble the content folder ``root`` (the one holding areas.yaml).

    ``today`` is the day consent is judged on (default: the model's ``today()``), so a
    test can say what validate reports two years from now.

    Loading creates hundreds of thousands of small objects that all live to the end, so
    the cyclic garbage collector only wastes time here; it is paused while loading.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_directory(Path(root), today or _model.today())
    finally:
        if enabled:
            gc.enable()


def _load_directory(root: Path, today: dt.date) -> Loaded:
    root = Path(root)
    directory = Directory(root=str(root))
    out = _Collector()
    docs: dict[str, list[tuple[files.ContentFile, Located]]] = {k: [] for k in SCHEMA_FOR}
    found = files.discover(root)
    unreadable: list[files.ContentFile] = []

    for file in found:
        if file.kind == "areas" and not file.path.exists():
            out.add(
                file.shown,
                (1, 1),
                "areas-missing",
                "this content folder has no areas.yaml; every directory needs one "
                "listing its areas (see CONTRIBUTING.md)",
            )
            continue
        try:
            doc = files.read(file, root)
        except YamlProblem as problem:
            out.add(file.shown, (problem.line, problem.column), problem.rule, problem.message)
            unreadable.append(file)
            continue
        docs[file.kind].append((file, doc))

    # ids first, valid or not, so references are judged against what contributors wrote
    ids: dict[str, set[str]] = {"tactics": set(), "exemplars": set(), "areas": set()}
    ids["measures"] = set()
    for kind in ("tactics", "exemplars"):
        for _file, doc in docs[kind]:
            if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
                ids[kind].add(doc.data["id"])
    for file in unreadable:  # its id is unknown; its file name is the best guess
        ids.setdefault(file.kind, set()).add(file.stem)
    for kind in ("areas", "measures"):
        for _file, doc in docs[kind]:
            if isinstance(doc.data, list):
                for item in doc.data:
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        ids[kind].add(item["id"])

    first_seen: dict[tuple[str, str], str] = {}

    def check_unique(kind: str, ident: str, shown: str, doc: Located) -> None:
        owner = first_seen.setdefault((kind, ident), shown)
        if owner != shown:  # positions are worked out only for a problem
            out.add(
                shown,
                doc.where(("id",)),
                "id-duplicate",
                f"the id '{ident}' is already used by {owner}",
            )

    for file, doc in docs["areas"]:
        items = checked_items(doc, file.shown, "areas", out, "area")
        for index, item, _line in items:
            _check_refs(
                item, "measures", ids["measures"], "measure", doc, file.shown, out, (index,)
            )
            directory.areas[item["id"]] = area_from(item, file.shown, doc.where((index,))[0])
        for index, item, _line in items:
            parent = item.get("parent")
            if parent is None:
                continue
            where = doc.where((index, "parent"))
            if parent == item["id"]:
                out.add(
                    file.shown, where, "ref-parent", f"area '{parent}' cannot be its own parent"
                )
            elif parent not in ids["areas"]:
                out.add(
                    file.shown,
                    where,
                    "ref-unknown-area",
                    _reference("parent area", parent, ids["areas"]),
                )
        _check_cycles(directory, file.shown, doc, out)

    _load_measures(docs["measures"], directory, ids, out)

    for kind, build in (("tactics", tactic_from), ("exemplars", exemplar_from)):
        check = checker(SCHEMA_FOR[kind])
        target = directory.tactics if kind == "tactics" else directory.exemplars
        for file, doc in docs[kind]:
            data = doc.data
            problems = check.problems(data)
            for p in problems:
                out.add(file.shown, doc.where(p.path, key=p.at_key), p.rule, p.message)
            _check_text(doc, file.shown, out)
            if not isinstance(data, dict):
                continue
            ident = data.get("id")
            if isinstance(ident, str):
                if ident != file.stem:
                    out.add(
                        file.shown,
                        doc.where(("id",)),
                        "id-mismatch",
                        f"the id '{ident}' must equal the file name; rename the file to "
                        f"{ident}{file.path.suffix} or set id: {file.stem}",
                    )
                check_unique(kind, ident, file.shown, doc)
            if kind == "tactics":
                refs, known, label = data.get("areas"), ids["areas"], "area"
            else:
                refs, known, label = data.get("tactics"), ids["tactics"], "tactic"
            if kind == "tactics" and not docs["areas"]:
                refs = None  # areas.yaml is missing or unreadable: already reported
            if isinstance(refs, list):
                field = "areas" if kind == "tactics" else "tactics"
                for index, ref in enumerate(refs):
                    if isinstance(ref, str) and ref not in known:
                        out.add(
                            file.shown,
                            doc.where((field, index)),
                            f"ref-unknown-{label}",
                            _reference(label, ref, known),
                        )
            if kind == "tactics":
                _check_refs(data, "measures", ids["measures"], "measure", doc, file.shown, out)
            if kind == "exemplars":
                _check_exemplar(data, doc, file.shown, out, today)
            if not problems and ident not in target:
                target[ident] = build(data, file.shown)

    from .organisations import load_organisations

    organisations = load_organisations(root)
    directory.organisations = organisations.organisations
    out.items.extend(organisations.diagnostics)
    diagnostics = sorted(set(out.items), key=sort_key)
    return Loaded(directory, diagnostics, len(found) + organisations.present)


def _check_refs(
    data: Any,
    field: str,
    known: set[str],
    label: str,
    doc: Located,
    shown: str,
    out: _Collector,
    at: tuple[Any, ...] = (),
) -> None:
    """Each id in ``data[field]`` must name something that exists, with a did-you-mean."""
    refs = data.get(field) if isinstance(data, dict) else None
    if not isinstance(refs, list):
        return
    for index, ref in enumerate(refs):
        if isinstance(ref, str) and ref not in known:
            out.add(
                shown,
                doc.where(at + (field, index)),
                f"ref-unknown-{label}",
                _reference(label, ref, known),
            )


def _load_measures(
    docs: list[tuple[files.ContentFile, Located]],
    directory: Directory,
    ids: dict[str, set[str]],
    out: _Collector,
) -> None:
    """The measures catalogue: each measure's areas exist and list it back, and every
    measure an area names is in the catalogue, so a script never asks about a number
    nobody has sourced."""
    listed = {(m, a.id) for a in directory.areas.values() for m in a.measures}
    for file, doc in docs:
        for index, item, line in checked_items(doc, file.shown, "measures", out, "measure"):
            _check_refs(item, "areas", ids["areas"], "area", doc, file.shown, out, (index,))
            for position, area in enumerate(item["areas"]):
                if area in directory.areas and (item["id"], area) not in listed:
                    out.add(
                        file.shown,
                        doc.where((index, "areas", position)),
                        "measure-area-mismatch",
                        f"measure '{item['id']}' names area '{area}', but that area does not "
                        f"list it: add {item['id']} to the measures of '{area}' in areas.yaml",
                    )
            directory.measures[item["id"]] = measure_from(item, file.shown, line)
    for area in directory.areas.values():
        for measure in area.measures:
            if measure in directory.measures and area.id not in directory.measures[measure].areas:
                out.add(
                    area.path,
                    (area.line, 1),
                    "measure-area-mismatch",
                    f"area '{area.id}' lists measure '{measure}', but the measure does not name "
                    f"the area: add {area.id} to its areas in measures.yaml",
                )


def _check_exemplar(
    data: dict[str, Any], doc: Located, shown: str, out: _Collector, today: dt.date
) -> None:
    contacts = data.get("contacts")
    if isinstance(contacts, list):
        for index, contact in enumerate(contacts):
            if isinstance(contact, dict):
                _check_contact(contact, index, doc, shown, out, today)
    verified = data.get("last_verified")
    if isinstance(verified, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", verified):
        try:
            dt.date.fromisoformat(verified)
        except ValueError:
            out.add(
                shown,
                doc.where(("last_verified",)),
                "date-invalid",
                f"last_verified '{verified}' is not a real calendar date",
            )


_CONSENT_SHAPE = "consent: {given: YYYY-MM-DD, how: email|form|in-person|phone}"


def _check_contact(
    contact: dict[str, Any], index: int, doc: Located, shown: str, out: _Collector, today: dt.date
) -> None:
    """An email only with a consent record, a real date in that record, and a warning
    once the agreement has lapsed (its email is then no longer shown anywhere)."""
    email = contact.get("email")
    consent = contact.get("consent")
    if isinstance(email, str):
        path = ("contacts", index, "email")
        if not _EMAIL.match(email):
            out.add(
                shown, doc.where(path), "email-invalid", f"'{email}' is not a valid email address"
            )
        if not isinstance(consent, dict):
            out.add(
                shown,
                doc.where(path),
                "email-consent",
                f"contacts[{index}].email may be listed only with a consent record, "
                f"{_CONSENT_SHAPE}, once the person has agreed to be contacted",
            )
    if not isinstance(consent, dict):
        return
    given = consent.get("given")
    if not isinstance(given, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", given):
        return  # the schema reports a missing or malformed date

    def where() -> tuple[int, int]:  # positions cost a second parse: only for a problem
        return doc.where(("contacts", index, "consent", "given"))

    record = Consent(given, str(consent.get("how") or ""))
    ends = record.expires()
    if ends is None:
        out.add(
            shown,
            where(),
            "date-invalid",
            f"contacts[{index}].consent.given '{given}' is not a real calendar date",
        )
    elif dt.date.fromisoformat(given) > today:
        out.add(
            shown,
            where(),
            "date-invalid",
            f"contacts[{index}].consent.given '{given}' is in the future; write the day the "
            "person agreed",
        )
    elif not record.live(today):
        who = contact.get("name") or contact.get("role") or f"contacts[{index}]"
        line, column = where()
        out.items.append(
            Diagnostic(
                shown,
                line,
                column,
                "consent-expired",
                f"{who} agreed to be listed on {given}; that lapsed on {ends.isoformat()} "
                f"(consent lasts {CONSENT_YEARS} years), so their email is no longer shown. "
                "Ask again (improvedir invite) and record it (improvedir consent), or remove "
                "it (improvedir withdraw)",
                "warning",
            )
        )


def _check_cycles(directory: Directory, shown: str, doc: Located, out: _Collector) -> None:
    for area in directory.areas.values():
        seen = {area.id}
        current = area.parent
        while current is not None and current in directory.areas:
            if current in seen:
                out.add(
                    shown,
                    (area.line, 1),
                    "ref-parent",
                    f"area '{area.id}' is its own ancestor through 'parent'",
                )
                break
            seen.add(current)
            current = directory.areas[current].parent
