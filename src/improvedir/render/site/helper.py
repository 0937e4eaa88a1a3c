"""Building the site on two processor cores: this process and one forked helper.

Rendering the pages of a large directory and finding the English words its search needs
are pure computations on data already in memory, and a forked process has that data
without being sent it. So the helper starts with one job (the search index), this
process with another (the other pages), and then both take numbered items (tactic pages)
from one queue until it is empty, so neither waits while the other still has work. The
helper sends back what it made; whatever it did not (it failed, or could not be started)
is made here, so the result never depends on the helper, only the time does.

The queue is a pipe filled before the fork with four-byte item numbers: a read of four
bytes from a pipe is never split, so each number goes to exactly one of the two readers.
"""

from __future__ import annotations

import os
import pickle
import struct
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Item numbers written into the queue at most (four bytes each): well inside any
#: pipe's buffer, so filling it before anyone reads never blocks.
_MAX_NUMBERS = 1024


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_share() -> bool:
    """A helper can be forked: the platform has fork, there are two cores or more, and
    this process runs no other thread (a fork copies only the calling thread, so a lock
    another thread holds would stay locked in the helper)."""
    return hasattr(os, "fork") and _cores() > 1 and threading.active_count() == 1


def share(
    count: int,
    helper_first: Callable[[], T],
    mine_first: Callable[[], R],
    item: Callable[[int], bytes],
) -> tuple[T, R, dict[int, bytes]]:
    """``helper_first()``, ``mine_first()`` and ``item(i)`` for every ``i`` below ``count``,
    the first in a forked helper when :func:`can_share`, the second here, the items by
    whichever process is free. Each must depend only on data that exists before the call,
    and ``helper_first``'s result must pickle."""
    if count < 1 or not can_share():
        return helper_first(), mine_first(), {i: item(i) for i in range(count)}
    size = -(-count // _MAX_NUMBERS)  # items a number stands for
    chunks = [range(start, min(start + size, count)) for start in range(0, count, size)]
    queue_in, queue_out = os.pipe()
    results_in, results_out = os.pipe()
    os.write(queue_out, b"".join(struct.pack("<I", n) for n in range(len(chunks))))
    os.close(queue_out)
    try:
        pid = os.fork()
    except OSError:  # no process to be had (a limit reached): all of it here
        for fd in (queue_in, results_in, results_out):
            os.close(fd)
        return helper_first(), mine_first(), {i: item(i) for i in range(count)}
    if pid == 0:  # the helper: never returns, never runs the caller's code after this
        status = 1
        try:
            os.close(results_in)
            made = (helper_first(), _take(queue_in, chunks, item))
            with os.fdopen(results_out, "wb") as out:
                pickle.dump(made, out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(results_out)
    incoming = os.fdopen(results_in, "rb")
    try:
        mine = mine_first()
        items = _take(queue_in, chunks, item)
        data = incoming.read()
    finally:
        incoming.close()  # first: a helper still writing stops (broken pipe) and exits
        os.close(queue_in)
        os.waitpid(pid, 0)
    try:
        first, theirs = pickle.loads(data)
    except Exception:  # the helper failed: make here what it should have made
        first, theirs = helper_first(), {}
    items.update(theirs)
    for i in range(count):
        if i not in items:
            items[i] = item(i)
    return first, mine, items


def _take(queue: int, chunks: list[range], item: Callable[[int], bytes]) -> dict[int, bytes]:
    """Items of the chunks whose numbers this process reads from the queue, until empty."""
    made: dict[int, bytes] = {}
    while len(number := os.read(queue, 4)) == 4:
        for i in chunks[struct.unpack("<I", number)[0]]:
            made[i] = item(i)
    return made
