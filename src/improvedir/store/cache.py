"""A cache of the loaded directory and its search index, so `suggest` answers instantly.

Parsing thousands of YAML files takes seconds even with libyaml, and a person running
`improvedir suggest` minutes before a call should not wait. The cache is an SQLite file in
the user's cache folder (never in the content repo), keyed by the content's paths, sizes
and modification times, and rebuilt whenever any of them change. A warm run reads only
the postings for the query's words and the few tactics and exemplars it prints. It is
built in a temporary file and renamed into place, so two processes building it at once
never see a half-written cache, and deleting it at any time only costs one rebuild.

Writing it takes a cold run over a large directory most of a second that the answer does
not need. Run from the console (:mod:`improvedir.launch`), a cold run therefore prints
its answer first and then hands the write to a forked child that leaves the terminal
behind (its own session, standard streams on /dev/null), so the command returns at
once. The child holds an exclusive ``flock`` on ``<cache>.lock``, taken by the parent
before it forks, until it is done: a second cold run meanwhile skips writing rather than
write the same file again, and whoever must see the cache written (a test, the
benchmarks) can wait for that lock. A child that fails leaves no trace: any error or
signal discards its temporary file at worst, never the cache in place, and it prints
nothing. Without ``fork`` (Windows) the write happens in the process, after the answer
has been flushed. Library callers and tests get the cache written before
:func:`open_catalogue` returns, as always.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import sqlite3
import sys
import zlib
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NoReturn

from .. import __version__
from ..content.model import (
    Area,
    Directory,
    Exemplar,
    Measure,
    Tactic,
    area_from,
    exemplar_from,
    measure_from,
    tactic_from,
)
from ..engine.search import INDEX_VERSION, Index, Posting
from .fingerprint import fingerprint
from .paths import cache_dir

FORMAT = f"improvedir-cache-6/{INDEX_VERSION}/{__version__}"


class Catalogue:
    """What the reading commands need: areas, a search index, exemplars by tactic."""

    def __init__(
        self,
        root: Path,
        areas: dict[str, Area],
        index: Index,
        problems: int,
        measures: dict[str, Measure] | None = None,
    ):
        self.root = root
        self.areas = areas
        self.measures = measures or {}
        self.index = index
        self.problems = problems
        self.source = "loaded"

    def exemplars_for(self, tactic_id: str) -> list[Exemplar]:
        return self.index.directory.exemplars_for(tactic_id)

    def exemplar(self, exemplar_id: str) -> Exemplar | None:
        return self.index.directory.exemplars.get(exemplar_id)

    def tactic(self, tactic_id: str) -> Tactic | None:
        return self.index.directory.tactics.get(tactic_id)

    def area_family(self, area_id: str) -> set[str]:
        return self.index.area_family(area_id)

    def ids(self) -> list[str]:
        """Every tactic and exemplar id, for a did-you-mean."""
        d = self.index.directory
        return [*d.tactics, *d.exemplars]


def cache_path(root: Path) -> Path:
    name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:20]
    return cache_dir() / f"content-{name}.sqlite3"


def open_catalogue(root: Path, use_cache: bool = True) -> Catalogue:
    """The directory at ``root``, from the cache when it is current, else loaded (and cached)."""
    if use_cache:
        key = fingerprint(root)
        path = cache_path(root)
        cached = _read(path, key, root)
        if cached is not None:
            return cached
    from ..content.validate import load_directory

    loaded = load_directory(root)
    problems = sum(1 for d in loaded.diagnostics if d.severity == "error")
    index = Index(loaded.directory)
    if use_cache:
        _pending.append((path, key, loaded.directory, index, problems))
        if not defer_writes:
            write_deferred()
    return Catalogue(root, loaded.directory.areas, index, problems, loaded.directory.measures)


#: Whether a cold run may leave writing the cache until :func:`write_deferred` is called.
#: Off for library callers and tests, which expect the cache written when
#: :func:`open_catalogue` returns; the console entry point turns it on.
defer_writes = False
_pending: list[tuple[Path, str, Directory, Index, int]] = []


def write_deferred() -> bool:
    """Write the caches that cold runs left for later: now that the answer is out, in a
    forked child where there is ``fork``, else here (see the module's docstring). True
    when a child is writing one, sharing this process's memory copy-on-write.

    A read-only or full home folder only costs speed: this never fails the command.
    """
    forked = False
    while _pending:
        path, *what = _pending.pop()
        if not defer_writes or not hasattr(os, "fork"):
            _write_here(path, *what)
            continue
        for stream in (sys.stdout, sys.stderr):  # the answer goes out before the fork
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        lock = _lock(path)
        if lock is None:
            continue  # another run is writing this cache already
        try:
            pid = os.fork()
        except OSError:
            pid = -1
        if pid == 0:
            _write_in_child(path, *what)  # never returns
        os.close(lock)  # the child's copy holds the lock until it is done
        if pid < 0:  # no process to be had: write it here after all
            _write_here(path, *what)
        else:
            forked = True
    return forked


def _write_here(path: Path, *what) -> None:
    try:
        _write(path, *what)
    except (OSError, sqlite3.Error):
        pass


def _lock(path: Path) -> int | None:
    """An open, exclusively locked ``<cache>.lock``; None when another process holds it
    (or it cannot be made, in which case the cache cannot be written either)."""
    import fcntl  # every system with fork has it

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def lock_path(path: Path) -> Path:
    """The lock a background writer of the cache at ``path`` holds while it writes."""
    return path.with_name(path.name + ".lock")


def wait_for_writer(root: Path) -> None:
    """Return once no background child is writing the cache for ``root`` (for tests)."""
    if not hasattr(os, "fork"):
        return  # the cache was written in the process
    import fcntl

    try:
        fd = os.open(lock_path(cache_path(root)), os.O_RDONLY)
    except OSError:
        return  # no writer ever started here
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    finally:
        os.close(fd)


def _write_in_child(path: Path, *what) -> NoReturn:
    """The forked writer: off the terminal, silent, and gone with os._exit whatever
    happens, so it never runs the parent's clean-up or prints a traceback."""
    status = 1
    try:
        os.setsid()  # a Ctrl-C or a closed terminal meant for the next command misses it
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # and a pipe reading the answer sees its end now
            os.dup2(devnull, fd)
        os.nice(10)  # a background job: whatever the person runs next comes first
        gc.disable()  # all it makes dies with it a moment later
        _write(path, *what)
        status = 0
    except BaseException:  # noqa: BLE001 - nothing may escape the child
        pass
    finally:
        os._exit(status)


# --- the SQLite file ---

_SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE areas (id TEXT PRIMARY KEY, data BLOB);
CREATE TABLE measures (id TEXT PRIMARY KEY, data BLOB);
CREATE TABLE tactics (num INTEGER PRIMARY KEY, id TEXT UNIQUE, areas TEXT, measures TEXT,
                      page INTEGER, slot INTEGER);
CREATE TABLE exemplars (id TEXT PRIMARY KEY, page INTEGER, slot INTEGER);
CREATE TABLE pages (num INTEGER PRIMARY KEY, data BLOB);
CREATE TABLE links (tactic_id TEXT, position INTEGER, exemplar_id TEXT,
                    PRIMARY KEY (tactic_id, position)) WITHOUT ROWID;
CREATE TABLE postings (term TEXT PRIMARY KEY, rows BLOB) WITHOUT ROWID;
CREATE TABLE words (word TEXT PRIMARY KEY, stem TEXT) WITHOUT ROWID;
"""


def _write(path: Path, key: str, directory: Directory, index: Index, problems: int) -> None:
    from ..content.files import replacing  # only a cold run writes

    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path, prefix=path.name + ".") as (fd, tmp):
        os.close(fd)
        con = sqlite3.connect(tmp)
        # The file is private until renamed into place, so it needs no journal or fsyncs.
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        with con:
            con.executescript(_SCHEMA)
            meta = {
                "format": FORMAT,
                "key": key,
                "problems": str(problems),
                "count": str(index.count),
                "root": directory.root,
            }
            con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            con.executemany(
                "INSERT INTO areas VALUES (?, ?)",
                ((a.id, _dumps(a)) for a in directory.areas.values()),
            )
            con.executemany(
                "INSERT INTO measures VALUES (?, ?)",
                ((m.id, _dumps(m)) for m in directory.measures.values()),
            )
            tactic_at, pages = _paged(index.tactics, 0)
            exemplars = list(directory.exemplars.values())
            exemplar_at, more = _paged(exemplars, len(pages))
            con.executemany(
                "INSERT INTO tactics VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (num, t.id, " ".join(t.areas), " ".join(t.measures), *tactic_at[num])
                    for num, t in enumerate(index.tactics)
                ),
            )
            con.executemany(
                "INSERT INTO exemplars VALUES (?, ?, ?)",
                ((e.id, *exemplar_at[n]) for n, e in enumerate(exemplars)),
            )
            con.executemany("INSERT INTO pages VALUES (?, ?)", enumerate(pages + more))
            con.executemany("INSERT INTO links VALUES (?, ?, ?)", _links(directory))
            con.executemany(
                "INSERT INTO postings VALUES (?, ?)",
                ((term, pack_postings(rows)) for term, rows in index.postings.items()),
            )
            con.executemany("INSERT INTO words VALUES (?, ?)", index.vocabulary().items())
        con.close()


def _fields(value: object) -> dict:
    # The model holds only str, bool, None, tuples and slotted dataclasses: json's C encoder
    # writes all but the dataclasses itself and calls this for each of those, which is
    # several times faster than walking the values in Python (or dataclasses.asdict).
    try:
        return {name: getattr(value, name) for name in value.__dataclass_fields__}  # type: ignore[attr-defined]
    except AttributeError:
        raise TypeError(f"cannot cache a {type(value).__name__}") from None


_ENCODE = json.JSONEncoder(ensure_ascii=False, default=_fields).encode


def _dumps(value: object) -> bytes:
    # Compressed: the stored model is then smaller than the YAML it came from, and a warm
    # run inflates only the few rows it reads.
    return zlib.compress(_ENCODE(value).encode(), 1)


def _loads(data: bytes) -> dict:
    return json.loads(zlib.decompress(data))


#: Records per compressed page: large enough to compress well and cheaply, small enough
#: that a warm run inflates little more than the few records it shows.
PAGE_SIZE = 32


def _paged(items: list, first: int) -> tuple[list[tuple[int, int]], list[bytes]]:
    """Each item's (page, slot), and the pages: JSON lines, compressed a page at a time."""
    lines = [_ENCODE(item) for item in items]
    pages = [
        zlib.compress("\n".join(lines[i : i + PAGE_SIZE]).encode(), 1)
        for i in range(0, len(lines), PAGE_SIZE)
    ]
    at = [(first + n // PAGE_SIZE, n % PAGE_SIZE) for n in range(len(items))]
    return at, pages


# One row per term, its postings packed as three arrays (tactic numbers, weights, how
# each meets the term): a fraction of the size of a row per posting, one B-tree probe per query word,
# and packed or unpacked in C.
def pack_postings(rows: list[Posting]) -> bytes:
    nums, weights, how = zip(*rows, strict=True)
    return array("I", nums).tobytes() + array("f", weights).tobytes() + bytes(how)


def unpack_postings(data: bytes) -> list[Posting]:
    count = len(data) // 9
    nums, weights = array("I"), array("f")
    nums.frombytes(data[: 4 * count])
    weights.frombytes(data[4 * count : 8 * count])
    return list(zip(nums, weights, data[8 * count :], strict=True))


def _links(directory: Directory) -> Iterator[tuple[str, int, str]]:
    positions: dict[str, int] = {}
    for exemplar in directory.exemplars.values():
        for tactic_id in exemplar.tactics:
            position = positions.get(tactic_id, 0)
            positions[tactic_id] = position + 1
            yield (tactic_id, position, exemplar.id)


def _read(path: Path, key: str, root: Path) -> Catalogue | None:
    if not path.is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        meta = dict(con.execute("SELECT k, v FROM meta"))
        if meta.get("format") != FORMAT or meta.get("key") != key:
            con.close()
            return None
        areas = {}
        for area_id, data in con.execute("SELECT id, data FROM areas"):
            d = _loads(data)
            areas[area_id] = area_from(d, d["path"], d["line"])
        measures = {}
        for measure_id, data in con.execute("SELECT id, data FROM measures"):
            d = _loads(data)
            measures[measure_id] = measure_from(d, d["path"], d["line"])
    except (sqlite3.Error, ValueError, KeyError):
        return None  # a damaged or foreign file: rebuild over it
    directory = Directory(root=str(root), areas=areas, measures=measures)
    index = _SqliteIndex(con, directory, int(meta["count"]))
    catalogue = _SqliteCatalogue(root, areas, index, int(meta["problems"]), measures)
    catalogue.source = "cache"
    return catalogue


class _SqliteIndex(Index):
    """The search index read lazily from the cache: only the rows a query touches."""

    def __init__(self, con: sqlite3.Connection, directory: Directory, count: int):
        self.con = con
        self.directory = directory
        self.count = count
        self._tactics: dict[int, Tactic] = {}
        self._pages: dict[int, list[str]] = {}
        self._vocabulary: dict[str, str] | None = None

    def term_postings(self, word: str) -> list[Posting]:
        row = self.con.execute("SELECT rows FROM postings WHERE term = ?", (word,)).fetchone()
        return unpack_postings(row[0]) if row else []

    def vocabulary(self) -> dict[str, str]:
        if self._vocabulary is None:
            self._vocabulary = dict(self.con.execute("SELECT word, stem FROM words"))
        return self._vocabulary

    def tactic_tags(self, numbers: Iterable[int]) -> dict[int, tuple[str, tuple, tuple]]:
        wanted = sorted(numbers)
        out: dict[int, tuple[str, tuple, tuple]] = {}
        for start in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.con.execute(
                f"SELECT num, id, areas, measures FROM tactics WHERE num IN ({marks})", chunk
            )
            for num, ident, areas, measures in rows:
                out[num] = (ident, tuple(areas.split()), tuple(measures.split()))
        return out

    def tactic_at(self, number: int) -> Tactic:
        if number not in self._tactics:
            page, slot = self.con.execute(
                "SELECT page, slot FROM tactics WHERE num = ?", (number,)
            ).fetchone()
            d = self.record(page, slot)
            self._tactics[number] = tactic_from(d, d["path"])
        return self._tactics[number]

    def record(self, page: int, slot: int) -> dict:
        """One stored tactic or exemplar; each page is inflated once per run."""
        lines = self._pages.get(page)
        if lines is None:
            (data,) = self.con.execute("SELECT data FROM pages WHERE num = ?", (page,)).fetchone()
            lines = self._pages[page] = zlib.decompress(data).decode().split("\n")
        return json.loads(lines[slot])


class _SqliteCatalogue(Catalogue):
    def _exemplar(self, page: int, slot: int) -> Exemplar:
        d = self.index.record(page, slot)  # type: ignore[attr-defined]
        return exemplar_from(d, d["path"])

    def exemplars_for(self, tactic_id: str) -> list[Exemplar]:
        rows = self.index.con.execute(  # type: ignore[attr-defined]
            "SELECT e.page, e.slot FROM links l JOIN exemplars e ON e.id = l.exemplar_id "
            "WHERE l.tactic_id = ? ORDER BY l.position",
            (tactic_id,),
        ).fetchall()
        return [self._exemplar(page, slot) for page, slot in rows]

    def exemplar(self, exemplar_id: str) -> Exemplar | None:
        row = self.index.con.execute(  # type: ignore[attr-defined]
            "SELECT page, slot FROM exemplars WHERE id = ?", (exemplar_id,)
        ).fetchone()
        return self._exemplar(*row) if row else None

    def ids(self) -> list[str]:
        con = self.index.con  # type: ignore[attr-defined]
        rows = con.execute("SELECT id FROM tactics UNION ALL SELECT id FROM exemplars")
        return [ident for (ident,) in rows]

    def tactic(self, tactic_id: str) -> Tactic | None:
        row = self.index.con.execute(  # type: ignore[attr-defined]
            "SELECT page, slot FROM tactics WHERE id = ?", (tactic_id,)
        ).fetchone()
        if not row:
            return None
        d = self.index.record(*row)  # type: ignore[attr-defined]
        return tactic_from(d, d["path"])
