"""The invitations sent, kept in the user's data folder so nobody is asked twice by mistake.

Who was asked, and when, is the maintainer's own record: it names people who have not
agreed to anything, so it never goes into the content repo. It is JSON Lines beside the
conversation log and written the same way, by :func:`improvedir.store.convlog.append`
(one whole line per entry, under an exclusive lock, fsynced), and read under a shared
lock; a damaged line is reported and skipped, never repaired.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import convlog
from .paths import data_dir

VERSION = 1
LOG_NAME = "invitations.jsonl"
KIND = "invitation"


@dataclass(frozen=True, slots=True)
class Invitations:
    path: Path
    entries: list[dict[str, Any]]
    problems: list[convlog.Problem]

    def sent_to(self, exemplar: str, person: str) -> dict[str, Any] | None:
        """The latest invitation to ``person`` (a person_key) for ``exemplar``, if any."""
        found = None
        for entry in self.entries:
            if entry["exemplar"] == exemplar and _key(entry["contact"]) == person:
                found = entry
        return found


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def invitations_path() -> Path:
    return data_dir() / LOG_NAME


def record(
    exemplar: str,
    contact: str,
    organisation: str,
    file: Path,
    time: str | None = None,
    path: Path | None = None,
) -> Path:
    """Remember one invitation written to ``file``; returns the log's path."""
    entry = {
        "version": VERSION,
        "kind": KIND,
        "time": time or convlog.now(),
        "exemplar": exemplar,
        "contact": contact,
        "organisation": organisation,
        "file": str(file),
    }
    return convlog.append(entry, path or invitations_path())


def read(path: Path | None = None) -> Invitations:
    """Every readable invitation in file order, and a Problem for each line that is not."""
    path = path or invitations_path()
    data = convlog.read_locked(path)
    if data is None:
        return Invitations(path, [], [])
    entries, problems = [], []
    for number, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw.decode("utf-8"))
            if not isinstance(entry, dict) or entry.get("kind") != KIND:
                raise ValueError("not an invitation")
            if entry.get("version") != VERSION:
                raise ValueError(f"version {entry.get('version')!r}, expected {VERSION}")
            for field in ("time", "exemplar", "contact"):
                if not isinstance(entry.get(field), str) or not entry[field]:
                    raise ValueError(f"missing '{field}'")
            convlog.parse_time(entry["time"])
        except (ValueError, UnicodeDecodeError) as exc:
            problems.append(convlog.Problem(path, number, str(exc)))
            continue
        entries.append(entry)
    return Invitations(path, entries, problems)
