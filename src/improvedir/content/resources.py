"""Where the schemas and the bundled directory live, installed or in a checkout.

A wheel carries copies under ``improvedir/_bundled``; an editable install or a plain
checkout uses the repository's own ``schemas/`` and ``content/`` so edits show at once.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent.parent  # src/improvedir (this file is in content/)
_BUNDLED = _HERE / "_bundled"
_CHECKOUT = _HERE.parent.parent  # src/improvedir -> repository root


def schema_dir() -> Path:
    """The folder holding areas/tactic/exemplar ``*.schema.json``."""
    bundled = _BUNDLED / "schemas"
    return bundled if bundled.is_dir() else _CHECKOUT / "schemas"


def bundled_content_dir() -> Path:
    """The directory shipped with the package (the last place content is looked for)."""
    bundled = _BUNDLED / "content"
    return bundled if bundled.is_dir() else _CHECKOUT / "content"
