"""The cache key of a content folder, and a head start on computing it.

Checking that the cache is current means stat-ing every content file: about 0.06 s for
20,000 files, most of it in the kernel. On POSIX the console entry point forks a child to
do those stats while the parent imports typer and pydantic (about 0.1 s), so a warm
`suggest` rarely waits for them. The child only stats and hashes; it writes one line to a
pipe and leaves with os._exit, so it never prints or runs the parent's clean-up.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..content.layout import AREAS_FILE, KINDS, MEASURES_FILE, SUFFIXES

# resolved root -> (read end of the pipe, child pid), set by start_early()
_pending: dict[str, tuple[int, int]] = {}


def compute(root: Path) -> str:
    """A key that changes whenever a content file is added, removed, renamed or edited.

    It is checked on every warm run, so it must cost little more than the stats
    themselves: each folder's own mtime (which moves when a name in it changes) plus,
    over the files, their count, total size, and the sum and maximum of their mtimes.
    """
    parts: list[object] = [str(root.resolve())]
    for name in (AREAS_FILE, MEASURES_FILE):
        try:
            st = os.stat(root / name)
            parts.append((st.st_size, st.st_mtime_ns))
        except OSError:
            parts.append(f"no {name}")
    for kind in KINDS:
        folder = root / kind
        try:
            folder_mtime = os.stat(folder).st_mtime_ns
            entries = os.scandir(folder)
        except OSError:
            parts.append((kind, "missing"))
            continue
        count = size = total = newest = 0
        with entries:
            for entry in entries:
                if entry.name.endswith(SUFFIXES):
                    try:
                        st = entry.stat()
                    except OSError:  # vanished mid-listing: the folder mtime moved anyway
                        continue
                    count += 1
                    size += st.st_size
                    total += st.st_mtime_ns
                    if st.st_mtime_ns > newest:
                        newest = st.st_mtime_ns
        parts.append((kind, folder_mtime, count, size, total, newest))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def fingerprint(root: Path) -> str:
    """The key for ``root``: the head start's answer when there is one, else computed now."""
    key = str(root.resolve())
    pending = _pending.pop(key, None)
    if pending is not None:
        fd, pid = pending
        try:
            with os.fdopen(fd, "rb") as pipe:
                answer = pipe.read().decode("ascii", "replace").strip()
        except OSError:
            answer = ""
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        if len(answer) == 64 and all(c in "0123456789abcdef" for c in answer):
            return answer
    return compute(root)


def start_early(root: Path) -> None:
    """Fork a child that computes the key for ``root`` now; :func:`fingerprint` collects it."""
    if not hasattr(os, "fork") or str(root.resolve()) in _pending:
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: stat, hash, answer, vanish
        status = 0
        try:
            os.close(read_end)
            os.write(write_end, compute(root).encode("ascii"))
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    _pending[str(root.resolve())] = (read_end, pid)
