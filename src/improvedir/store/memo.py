"""Results worth keeping between runs that are costly to work out and cheap to check.

The web site's search needs every English word a typo could be mistaken for near the
directory's words; finding them takes seconds, yet they change only when the directory's
vocabulary does. They are kept in the user cache folder under a key made from everything
they depend on, so a rebuild of unchanged content reuses them and any change recomputes.
A missing, damaged or unwritable file only costs the time to work it out again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ..content.files import write_atomic
from .paths import cache_dir


def _path(name: str, key: str) -> Path:
    return cache_dir() / f"{name}-{key[:32]}.json"


def recall(name: str, key: str) -> list[str] | None:
    """What :func:`remember` kept under ``name`` for ``key``, or None (never kept, damaged)."""
    try:
        value = json.loads(_path(name, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def remember(name: str, key: str, value: list[str]) -> None:
    """Keep ``value`` for :func:`recall`; a folder that cannot be written only costs speed."""
    path = _path(name, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(value).encode("utf-8"))
    except OSError:
        pass  # a read-only home folder only costs speed


def remembered(name: str, key: str, compute: Callable[[], list[str]]) -> list[str]:
    """``compute()``, or what it returned last time for the same ``key``."""
    value = recall(name, key)
    if value is None:
        value = compute()
        remember(name, key, value)
    return value
