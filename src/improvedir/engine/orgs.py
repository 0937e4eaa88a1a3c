"""When two exemplars come from the same organisation.

The article asks for three *different* organisations per tactic, and names are written
many ways ("Foo NHS Foundation Trust", "foo nhs trust", "Foo  NHS FT"), so coverage and
suggestions both compare organisations by this one key.
"""

from __future__ import annotations

import re

from ..content.model import Exemplar

_SUFFIX = re.compile(
    r"(?:\s+nhs\s+(?:foundation\s+trust|trust|ft)|\s+nhs\s+ft|\s+foundation\s+trust)\s*$"
)
_SPACE = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """Case-, spacing- and NHS-suffix-insensitive form of an organisation name."""
    text = _SPACE.sub(" ", name.replace("&", " and ").strip().lower())
    text = _SUFFIX.sub("", text)
    return text.strip(" .,")


def org_key(exemplar: Exemplar) -> str:
    """ODS code when present (it is unique), else the normalised name."""
    if exemplar.organisation.ods_code:
        return "ods:" + exemplar.organisation.ods_code.upper()
    return "name:" + normalise_name(exemplar.organisation.name)
