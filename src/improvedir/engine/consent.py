"""Recording and withdrawing a contact's consent by editing their exemplar file in place.

A maintainer records "yes, list me" by hand today, and hand edits of YAML go wrong in
small ways (indentation, a lost comment, a reordered key) that make a review diff hard to
trust. Here the edit is made by ``ruamel.yaml`` in round-trip mode, which keeps comments,
key order and quoting, so the diff is only the contact's new or removed lines. Reading
and judging the file stays with the safe loader (:mod:`improvedir.content.yamlsafe`) and
:func:`~improvedir.content.validate.load_directory`: ruamel is the pen, never the judge.

Every edit is checked before it lands: the whole file must round-trip unchanged first
(else we refuse rather than reformat someone's file), only the contact's own lines may
differ afterwards, and validate must accept the result; otherwise the original bytes are
put back. Files are written to a temporary file and renamed into place, so a crash never
leaves half a file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content import files
from ..content.fuzzy import did_you_mean
from ..content.layout import SUFFIXES
from ..content.model import CONSENT_HOW
from ..content.validate import load_directory, valid_email
from ..content.yamlsafe import YamlProblem, parse_bytes

# The indentation styles content is written in: improvedir's own files and templates
# (sequences indented under their key) first, then PyYAML's default (flush), then wider.
_STYLES = ((2, 4, 2), (2, 2, 0), (4, 6, 4), (4, 4, 0), (4, 4, 2))


class ConsentError(Exception):
    """The edit was refused; ``usage`` marks a mistake in how the command was used."""

    def __init__(self, message: str, *, usage: bool = False):
        super().__init__(message)
        self.usage = usage


@dataclass(frozen=True)
class Edit:
    """A change made to one exemplar file: where, to whom, and the diff it made."""

    path: Path
    exemplar: str
    contact: str
    diff: str


def exemplar_path(root: Path, ident: str) -> Path:
    """The file of exemplar ``ident``, or a refusal naming the nearest id."""
    folder = root / "exemplars"
    for suffix in SUFFIXES:
        candidate = folder / f"{ident}{suffix}"
        if candidate.is_file() and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", ident):
            if candidate.is_symlink():
                raise ConsentError(
                    f"{files.shown_path(candidate)} is a symlink; edit the file it points to"
                )
            return candidate
    known = sorted(p.name.rsplit(".", 1)[0] for p in folder.glob("*") if p.name.endswith(SUFFIXES))
    guess = did_you_mean(ident, known)
    hint = f"; did you mean '{guess}'?" if guess else ""
    raise ConsentError(f"unknown exemplar '{ident}'{hint}")


def _label(contact: Any) -> str:
    if not isinstance(contact, dict):
        return ""
    return str(contact.get("name") or contact.get("role") or "")


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def contact_index(data: Any, name: str, ident: str) -> int:
    """Which contact ``name`` means (by name, else role; case and spacing ignored)."""
    contacts = data.get("contacts") if isinstance(data, dict) else None
    contacts = contacts if isinstance(contacts, list) else []
    labels = [_label(c) for c in contacts]
    for index, contact in enumerate(contacts):
        if isinstance(contact, dict) and _norm(name) in (
            _norm(str(contact.get("name") or "")),
            _norm(str(contact.get("role") or "")),
        ):
            return index
    guess = did_you_mean(name, [label for label in labels if label])
    if guess:
        hint = f"; did you mean '{guess}'?"
    elif labels:
        hint = f"; it names {', '.join(repr(label) for label in labels if label)}"
    else:
        hint = "; it names nobody yet (add them under contacts first)"
    raise ConsentError(f"exemplar '{ident}' has no contact '{name}'{hint}")


def _yaml(style: tuple[int, int, int]):
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never re-wrap a long line
    yaml.indent(mapping=style[0], sequence=style[1], offset=style[2])
    return yaml


def _dump(yaml, data: Any) -> str:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def _round_trip(text: str):
    """The ruamel editor and document for ``text``, in a style that reproduces it exactly."""
    for style in _STYLES:
        yaml = _yaml(style)
        try:
            data = yaml.load(text)
        except Exception as exc:  # ruamel raises many kinds; the safe loader explains
            raise ConsentError(f"the file cannot be edited: {exc}") from None
        if _dump(yaml, data) == text:
            return yaml, data
    raise ConsentError(
        "the file's layout cannot be kept exactly by the editor (unusual indentation or "
        "spacing); edit the contact by hand, then run: improvedir validate"
    )


def _eol_split(token: Any) -> tuple[str, str]:
    """A comment token's text as (the comment on the key's own line, the lines after it)."""
    value = token.value
    if value.startswith("\n"):
        return "", value[1:]
    head, _, rest = value.partition("\n")
    return head + "\n", rest


def _last_leaf(mapping: Any) -> tuple[Any, Any] | None:
    """The innermost mapping and key where comments after ``mapping`` are attached."""
    from ruamel.yaml.comments import CommentedMap

    if not isinstance(mapping, CommentedMap) or not mapping:
        return None
    key = list(mapping)[-1]
    inner = _last_leaf(mapping[key])
    return inner or (mapping, key)


def _move_trailing(source: tuple[Any, Any] | None, target: tuple[Any, Any] | None) -> None:
    """Move the comment lines that follow ``source`` (after its own end-of-line comment) to
    follow ``target``: they belong to what comes next in the file, not to that key."""
    from ruamel.yaml.tokens import CommentToken

    if source is None or target is None or source == target:
        return
    mapping, key = source
    slot = mapping.ca.items.get(key)
    if not slot or len(slot) < 3 or slot[2] is None:
        return
    own, rest = _eol_split(slot[2])
    if not rest:
        return
    if own:
        slot[2].value = own
    else:
        slot[2] = None
    t_map, t_key = target
    t_slot = t_map.ca.items.setdefault(t_key, [None, None, None, None])
    if t_slot[2] is None:
        t_slot[2] = CommentToken("\n" + rest, _mark(), None)
    else:
        t_slot[2].value = t_slot[2].value + rest


def _mark():
    from ruamel.yaml.error import CommentMark

    return CommentMark(0)


def _span(data: Any, index: int, lines: int) -> tuple[int, int]:
    """0-based [start, end) of the lines that belong to contact ``index``: from its first
    line to the next contact or the next top-level field (comments in between included)."""
    contacts = data["contacts"]
    start = contacts[index].lc.line
    if index + 1 < len(contacts):
        return start, contacts[index + 1].lc.line
    keys = list(data)
    position = keys.index("contacts")
    end = data.lc.key(keys[position + 1])[0] if position + 1 < len(keys) else lines
    return start, end


def _diff(before: str, after: str, shown: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{shown}",
            tofile=f"b/{shown}",
        )
    )


def _only_within(before: str, after: str, span: tuple[int, int]) -> bool:
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), False)
    for op, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if op != "equal" and not (span[0] <= i1 and i2 <= span[1]):
            return False
    return True


def _edit(root: Path, ident: str, name: str, change) -> Edit:
    path = exemplar_path(root, ident)
    original = path.read_bytes()
    try:
        located = parse_bytes(original)  # the safe loader reads; ruamel only writes
    except YamlProblem as problem:
        raise ConsentError(
            f"{files.shown_path(path)}:{problem.line}: {problem.message}; fix it first "
            "(improvedir validate)"
        ) from None
    index = contact_index(located.data, name, ident)
    text = original.decode("utf-8")
    yaml, data = _round_trip(text)
    span = _span(data, index, len(text.splitlines()))
    contact = data["contacts"][index]
    label = _label(located.data["contacts"][index])
    change(contact, label, ident)
    edited = _dump(yaml, data)
    shown = files.shown_path(path)
    if not _only_within(text, edited, span):
        raise ConsentError(
            f"editing {shown} would change lines outside {label}'s entry; edit it by hand"
        )
    if edited == text:
        return Edit(path, ident, label, "")
    files.write_atomic(path, edited.encode("utf-8"))
    try:
        loaded = load_directory(root)
        errors = [
            d
            for d in loaded.diagnostics
            if d.severity == "error" and Path(d.path).resolve() == path.resolve()
        ]
    except BaseException:
        files.write_atomic(path, original)
        raise
    if errors:
        files.write_atomic(path, original)
        listed = "\n".join(d.as_text() for d in errors)
        raise ConsentError(f"the edited file did not validate, so it was put back:\n{listed}")
    return Edit(path, ident, label, _diff(text, edited, shown))


def record_consent(
    root: Path,
    ident: str,
    name: str,
    email: str,
    how: str,
    given: dt.date | None = None,
) -> Edit:
    """Add ``email`` and a consent record (``given``, default today; ``how``) to the contact
    ``name`` of exemplar ``ident``: a renewal when they already had one."""
    from ruamel.yaml.comments import CommentedMap

    from ..content import model

    email = email.strip()
    if not valid_email(email):
        raise ConsentError(f"'{email}' is not a valid email address")
    if how not in CONSENT_HOW:
        raise ConsentError(f"--how must be one of {', '.join(CONSENT_HOW)}", usage=True)
    given = given or model.today()
    if given > model.today():
        raise ConsentError(f"--date {given.isoformat()} is in the future", usage=True)

    def change(contact: Any, label: str, ident: str) -> None:
        before = _last_leaf(contact)
        record = CommentedMap()
        record["given"] = given.isoformat()
        record["how"] = how
        if "email" in contact:
            contact["email"] = email
        else:
            keys = list(contact)
            after = max((keys.index(k) for k in ("name", "role") if k in keys), default=-1)
            contact.insert(after + 1, "email", email)
        if "consent" in contact:
            old = contact["consent"]
            for key in ("given", "how"):
                old[key] = record[key]
        else:
            keys = list(contact)
            contact.insert(keys.index("email") + 1, "consent", record)
        _move_trailing(before, _last_leaf(contact))

    return _edit(root, ident, name, change)


def withdraw_consent(root: Path, ident: str, name: str) -> Edit:
    """Remove the email and the consent record of contact ``name`` of exemplar ``ident``;
    their name and role stay, as the public source gives them."""

    def change(contact: Any, label: str, ident: str) -> None:
        if "email" not in contact and "consent" not in contact:
            raise ConsentError(f"{label} in '{ident}' has no email or consent to withdraw")
        before = _last_leaf(contact)
        for key in ("email", "consent"):
            if key in contact:
                del contact[key]
        if not contact:
            raise ConsentError(f"{label} in '{ident}' would be left with neither name nor role")
        _move_trailing(before, _last_leaf(contact))

    return _edit(root, ident, name, change)
