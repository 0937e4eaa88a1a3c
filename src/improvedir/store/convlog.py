"""The conversation log: what a performance manager offered each trust, kept for the next call.

Weeks after a call the manager needs exactly what was offered, not what a search would
offer today, so the log stores the tactics and organisations as they were printed. It is
JSON Lines in the user's data folder (never the content repo), holds nothing beyond what
the script showed, and is only ever appended to: each entry is one ``write`` of a whole
line on a file opened for appending, under an exclusive lock, then fsynced. Several
processes recording at once therefore never interleave or lose a line, and a damaged line
(a crash, a hand edit) is reported and skipped when reading, never repaired or deleted.
How a conversation went is a later entry of kind "outcome" that points back at it, so no
line is ever rewritten.

Versions: 1 wrote outcomes as free text only; 2 (written now) adds ``results``, a list of
``{tactic, result}`` per tactic offered. Both are read, so a log kept for years stays
whole; a line from a newer improvedir is reported, not guessed at.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.model import Consent, Contact, Link
from ..content.text import clean
from ..engine import plan as script
from ..engine.followup import (
    RESULTS,
    Conversation,
    LoggedExemplar,
    LoggedOffer,
    Outcome,
    _contact_dict,
    logged_contacts,
    parse_time,
)
from ..engine.orgs import normalise_name
from .paths import data_dir

VERSION = 2
READS = (1, 2)  # every version this improvedir can read
LOG_NAME = "conversations.jsonl"
CONVERSATION, OUTCOME = "conversation", "outcome"


class LogError(Exception):
    """The log could not be written or read."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A line that could not be read; it stays in the file for a person to look at."""

    path: Path
    line: int
    reason: str


@dataclass(slots=True)
class Log:
    path: Path
    conversations: list[Conversation]
    problems: list[Problem]

    def newest_first(self) -> list[Conversation]:
        return sorted(self.conversations, key=lambda c: (c.when, c.line), reverse=True)

    def trusts(self) -> list[str]:
        """Every trust name as spelt in the log, oldest first (so later spellings win)."""
        return [c.trust for c in sorted(self.conversations, key=lambda c: (c.when, c.line))]

    def with_trust(self, trust: str) -> list[Conversation]:
        """Conversations with this trust however its name was written, newest first."""
        key = normalise_name(trust)
        return [c for c in self.newest_first() if c.trust_key == key]


def log_path() -> Path:
    return data_dir() / LOG_NAME


def now() -> str:
    """UTC with microseconds, so two calls recorded in one second stay distinguishable."""
    stamp = dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")
    return stamp.replace("+00:00", "Z")


# --- writing ---


def conversation_entry(plan: script.Plan, time: str | None = None) -> dict[str, Any]:
    """The log entry for a script as printed: cleaned text, at most two sources each."""
    if not plan.trust or not clean(plan.trust):
        raise LogError("a conversation is recorded against a trust; none was given")
    return {
        "version": VERSION,
        "kind": CONVERSATION,
        "time": time or now(),
        "trust": clean(plan.trust),
        "query": clean(plan.query),
        "areas": [{"id": a.id, "name": clean(a.name)} for a in plan.areas],
        "offers": [
            {
                "tactic": offer.tactic.id,
                "title": clean(offer.tactic.title),
                "exemplars": [
                    {
                        "id": e.id,
                        "organisation": clean(e.organisation.name),
                        "contacts": [_contact_dict(c) for c in logged_contacts(e)],
                        "sources": [
                            {"title": clean(s.title), "url": clean(s.url)}
                            for s in e.sources[: script.SOURCES_SHOWN]
                        ],
                    }
                    for e in offer.exemplars
                ],
            }
            for offer in plan.offers
        ],
    }


def record_offer(plan: script.Plan, path: Path | None = None) -> Path:
    """Remember what ``plan`` offered its trust; returns the log's path."""
    return append(conversation_entry(plan), path)


def record_outcome(
    conversation: Conversation,
    text: str | None = None,
    path: Path | None = None,
    *,
    results: Sequence[tuple[str, str]] = (),
) -> Path:
    """Add how a call went as a new entry, so the conversation's own line is never touched.

    ``results`` pairs tactic ids with one of :data:`RESULTS`; ``text`` is what was said.
    Either may be left out, not both.
    """
    outcome = clean(text)
    if not outcome and not results:
        raise LogError("the outcome is empty")
    for tactic, result in results:
        if result not in RESULTS:
            raise LogError(f"unknown result '{result}' for {tactic}")
    entry: dict[str, Any] = {
        "version": VERSION,
        "kind": OUTCOME,
        "time": now(),
        "trust": conversation.trust,
        "conversation": {"time": conversation.time, "trust": conversation.trust},
    }
    if outcome:
        entry["outcome"] = outcome
    if results:
        entry["results"] = [{"tactic": t, "result": r} for t, r in results]
    return append(entry, path)


def append(entry: dict[str, Any], path: Path | None = None) -> Path:
    """Add one entry as one line, atomically with respect to every other writer.

    The whole line goes to the kernel in one ``write`` on an ``O_APPEND`` descriptor while
    holding an exclusive lock, so concurrent writers cannot interleave. If an earlier
    writer crashed mid-line, a newline is written first so that damage stays on its own
    line instead of swallowing this entry.
    """
    path = path or log_path()
    entry = {"version": VERSION, **entry}
    data = (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags, 0o600)  # it names people: private to the user
    except OSError as exc:
        raise LogError(f"cannot open {path}: {exc.strerror or exc}") from exc
    try:
        with _locked(fd, path, exclusive=True):
            if not _ends_with_newline(fd, path):
                data = b"\n" + data
            _write_all(fd, data)
            os.fsync(fd)
    except OSError as exc:
        raise LogError(f"cannot write to {path}: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    return path


def _ends_with_newline(fd: int, path: Path) -> bool:
    size = os.fstat(fd).st_size
    if size == 0:
        return True
    with open(path, "rb") as f:  # a second descriptor: the append one is write-only
        f.seek(size - 1)
        return f.read(1) == b"\n"


def _write_all(fd: int, data: bytes) -> None:
    written = os.write(fd, data)
    # A short write only happens when the disk is full or a signal lands; the lock is still
    # held, so finishing the line keeps it whole for every reader and writer.
    while written < len(data):
        more = os.write(fd, data[written:])
        if more <= 0:
            raise OSError(f"short write ({written} of {len(data)} bytes)")
        written += more


@contextlib.contextmanager
def _locked(fd: int, path: Path, exclusive: bool) -> Iterator[None]:
    """flock on POSIX; on Windows a byte lock on a side file, since msvcrt locks ranges."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        with _windows_lock(path):
            yield
        return
    fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def _windows_lock(path: Path) -> Iterator[None]:  # pragma: no cover - Windows
    import msvcrt
    import time

    lock = os.open(str(path) + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        while True:
            os.lseek(lock, 0, os.SEEK_SET)
            try:
                msvcrt.locking(lock, msvcrt.LK_LOCK, 1)  # retries for ~10 s, then raises
                break
            except OSError:
                time.sleep(0.05)
        try:
            yield
        finally:
            os.lseek(lock, 0, os.SEEK_SET)
            msvcrt.locking(lock, msvcrt.LK_UNLCK, 1)
    finally:
        os.close(lock)


# --- reading ---


class _Bad(Exception):
    """Why one line is not a usable entry."""


def read_log(path: Path | None = None) -> Log:
    """Every readable conversation in file order, and a Problem for each line that is not.

    Read under a shared lock so a line being appended is never seen half-written.
    """
    path = path or log_path()
    data = read_locked(path)
    return Log(path, [], []) if data is None else parse_log(data, path)


def read_locked(path: Path) -> bytes | None:
    """A JSON Lines file's bytes read under a shared lock, so a line being appended is never
    seen half-written; None when there is no file yet."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise LogError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        with _locked(fd, path, exclusive=False):
            chunks = []
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
    except OSError as exc:
        raise LogError(f"cannot read {path}: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    return b"".join(chunks)


def parse_log(data: bytes, path: Path) -> Log:
    conversations: list[Conversation] = []
    outcomes: list[tuple[str, str, Outcome]] = []
    problems: list[Problem] = []
    # Split on b"\n" only: JSON may hold U+2028 and friends, which str.splitlines breaks on.
    for number, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            entry = _entry(raw)
            if entry.get("kind", CONVERSATION) == CONVERSATION:
                conversations.append(_conversation(entry, number))
            else:
                outcomes.append(_outcome(entry, number))
        except _Bad as exc:
            problems.append(Problem(path, number, str(exc)))
    by_id = {(c.time, c.trust): c for c in conversations}
    for time, trust, outcome in outcomes:
        # An outcome whose conversation is unreadable has nothing to attach to; its line
        # is kept in the file and the conversation's line is already reported.
        if (time, trust) in by_id:
            by_id[(time, trust)].outcomes.append(outcome)
    return Log(path, conversations, problems)


def _entry(raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Bad(f"not UTF-8 at byte {exc.start + 1}") from None
    try:
        entry = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Bad(f"not JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(entry, dict):
        raise _Bad("not a JSON object")
    version = entry.get("version")
    if version not in READS or isinstance(version, bool):
        if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
            raise _Bad(f"version {version} is newer than this improvedir reads ({VERSION})")
        raise _Bad(f"version is {json.dumps(version)}, expected 1 or 2")
    kind = entry.get("kind", CONVERSATION)
    if kind not in (CONVERSATION, OUTCOME):
        raise _Bad(f"unknown kind {json.dumps(kind)}")
    return entry


def _get(data: Any, key: str, kind: type, where: str = "", optional: bool = False) -> Any:
    if not isinstance(data, dict):
        raise _Bad(f"{where or 'entry'} is not an object")
    if key not in data or data[key] is None:
        if optional:
            return None
        raise _Bad(f"missing '{where + '.' if where else ''}{key}'")
    value = data[key]
    if not isinstance(value, kind) or (kind is str and not optional and not value.strip()):
        noun = {str: "text", list: "a list", dict: "an object"}[kind]
        raise _Bad(f"'{where + '.' if where else ''}{key}' is not {noun}")
    return value


def _time(data: dict[str, Any], where: str = "") -> str:
    value = _get(data, "time", str, where)
    try:
        parse_time(value)
    except ValueError:
        raise _Bad(f"'{where + '.' if where else ''}time' is not an ISO 8601 time") from None
    return value


def _conversation(entry: dict[str, Any], line: int) -> Conversation:
    # Checked in the order the fields are written, so the reason names the first problem.
    time = _time(entry)
    trust = _get(entry, "trust", str)
    query = _get(entry, "query", str, optional=True) or ""
    areas = tuple(
        (_get(a, "id", str, "areas[]"), _get(a, "name", str, "areas[]"))
        for a in _get(entry, "areas", list)
    )
    offers = []
    for o in _get(entry, "offers", list):
        tactic = _get(o, "tactic", str, "offers[]")
        title = _get(o, "title", str, "offers[]")
        exemplars = [_exemplar(e, time[:10]) for e in _get(o, "exemplars", list, "offers[]")]
        offers.append(LoggedOffer(tactic, title, tuple(exemplars)))
    return Conversation(time, trust, query, areas, tuple(offers), line)


def _exemplar(data: Any, day: str) -> LoggedExemplar:
    """One exemplar as offered on ``day``. An email was logged only because the person's
    consent was live that day, so that is the consent it carries: it lapses no later than
    the one in the content did (and `followup` also hides it once the content's has)."""
    where = "offers[].exemplars[]"
    ident = _get(data, "id", str, where)
    organisation = _get(data, "organisation", str, where)
    contacts = tuple(
        Contact(
            _get(c, "name", str, where + ".contacts[]", optional=True),
            _get(c, "role", str, where + ".contacts[]", optional=True),
            _get(c, "email", str, where + ".contacts[]", optional=True),
            consent=Consent(day, "logged") if c.get("email") else None,
        )
        for c in _get(data, "contacts", list, where)
    )
    sources = tuple(
        Link(_get(s, "title", str, where + ".sources[]"), _get(s, "url", str, where + ".sources[]"))
        for s in _get(data, "sources", list, where)
    )
    return LoggedExemplar(ident, organisation, contacts, sources)


def _outcome(entry: dict[str, Any], line: int) -> tuple[str, str, Outcome]:
    ref = _get(entry, "conversation", dict)
    conversation = (_time(ref, "conversation"), _get(ref, "trust", str, "conversation"))
    time = _time(entry)
    if entry["version"] == 1:  # free text was the only way to say how it went
        return (*conversation, Outcome(time, _get(entry, "outcome", str), line))
    text = _get(entry, "outcome", str, optional=True) or ""
    results = []
    for item in _get(entry, "results", list, optional=True) or []:
        tactic = _get(item, "tactic", str, "results[]")
        result = _get(item, "result", str, "results[]")
        if result not in RESULTS:
            raise _Bad(f"'results[].result' is not one of {', '.join(RESULTS)}")
        results.append((tactic, result))
    if not text.strip() and not results:
        raise _Bad("an outcome needs 'outcome' text or 'results'")
    return (*conversation, Outcome(time, text.strip(), line, tuple(results)))
