"""content/organisations.yaml: the NHS organisations the directory knows, by the names people use.

Managers say "ELHT" or "Leeds Teaching Hospitals" on the phone; exemplars and the log spell
names as published. One optional file lists each organisation once, with its short names,
type and NHS England region, so every command can tell that these mean the same trust.
The file is optional: a content folder without it still validates, and names are then
compared as written (see :func:`normalise_name`).

Problems are reported like every other rule, each at its file and line: an id used twice
(``id-duplicate``), or one organisation listed twice under names that normalise alike
(``org-duplicate``), which would make a name resolve to two entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, sort_key
from .model import Organisation

ORGANISATIONS_FILE = "organisations.yaml"

TYPES = (
    "acute-trust",
    "mental-health-trust",
    "community-provider",
    "ambulance-trust",
    "integrated-care-board",
    "gp-practice",
    "primary-care-network",
    "health-board",
    "other",
)

#: The seven NHS England regions, as a sentence names them ("also in the North West").
REGIONS = {
    "north-east-and-yorkshire": "the North East and Yorkshire",
    "north-west": "the North West",
    "midlands": "the Midlands",
    "east-of-england": "the East of England",
    "london": "London",
    "south-east": "the South East",
    "south-west": "the South West",
}

_SUFFIX = re.compile(
    r"(?:\s+nhs\s+(?:foundation\s+trust|trust|ft)|\s+nhs\s+ft|\s+foundation\s+trust)\s*$"
)
_SPACE = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """Case-, spacing- and NHS-suffix-insensitive form of an organisation name."""
    text = _SPACE.sub(" ", name.replace("&", " and ").strip().lower())
    text = _SUFFIX.sub("", text)
    return text.strip(" .,")


def name_key(name: str) -> str:
    """:func:`normalise_name` without a leading "the": nobody says "The Mid Yorkshire"."""
    key = normalise_name(name)
    return key[4:] if key.startswith("the ") and len(key) > 4 else key


def names_of(org: Organisation) -> tuple[str, ...]:
    """Every name the organisation answers to: its full name, then its short names."""
    return (org.name, *org.short_names)


@dataclass
class LoadedOrganisations:
    """The valid entries of organisations.yaml and every problem found in it."""

    organisations: list[Organisation] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    present: bool = False

    @property
    def problems(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "error")


def organisation_from(data: dict[str, Any]) -> Organisation:
    return Organisation(
        name=data["name"],
        ods_code=data.get("ods_code"),
        id=data["id"],
        short_names=tuple(data.get("short_names") or ()),
        type=data["type"],
        region=data.get("region"),
    )


def load_organisations(root: Path) -> LoadedOrganisations:
    """Read and check ``root/organisations.yaml``; a missing file is no problem.

    Entries that fail their schema are left out; of two entries that clash, the first
    is kept, so a command still resolves every name it can.
    """
    # Imported here: name matching (above) is on every `suggest`'s path, YAML is not.
    from . import files
    from .validate import _Collector, checked_items  # validate imports this module
    from .yamlsafe import YamlProblem

    path = root / ORGANISATIONS_FILE
    if not path.exists() and not path.is_symlink():
        return LoadedOrganisations()
    file = files.ContentFile("organisations", path, files.shown_path(path))
    out = _Collector()
    loaded = LoadedOrganisations(present=True)
    try:
        doc = files.read(file, root)
    except YamlProblem as problem:
        out.add(file.shown, (problem.line, problem.column), problem.rule, problem.message)
        loaded.diagnostics = out.items
        return loaded
    items = checked_items(doc, file.shown, "organisations", out, "organisation")
    if items:
        keys: dict[str, tuple[str, str, int]] = {}  # key -> (id, name as written, line)
        for index, item, id_line in items:
            clash = False
            fields: list[tuple[tuple[Any, ...], str, str]] = [((index, "name"), item["name"], "")]
            fields += [
                ((index, "short_names", n), short, "short name ")
                for n, short in enumerate(item.get("short_names") or ())
            ]
            if item.get("ods_code"):
                fields.append(((index, "ods_code"), "ods:" + item["ods_code"], "ODS code "))
            mine: set[str] = set()
            for where, written, label in fields:
                key = written if written.startswith("ods:") else name_key(written)
                if key in mine:
                    continue
                mine.add(key)
                owner = keys.get(key)
                if owner is None:
                    continue
                clash = True
                shown = written.removeprefix("ods:")
                out.add(
                    file.shown,
                    doc.where(where),
                    "org-duplicate",
                    f"the {label}'{shown}' already names '{owner[1]}' ({owner[0]}, line "
                    f"{owner[2]}); list each organisation once, with its other names under "
                    "short_names",
                )
            if clash:
                continue
            for key in mine:
                keys[key] = (item["id"], item["name"], id_line)
            loaded.organisations.append(organisation_from(item))
    loaded.diagnostics = sorted(set(out.items), key=sort_key)
    return loaded
