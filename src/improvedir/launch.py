"""The console entry point, kept tiny so that work can start before the heavy imports.

For the commands that read the cache (suggest, search, followup) it starts computing the
cache key in a child process (see :mod:`improvedir.fingerprint`) and only then imports the
command line, whose typer and pydantic imports take longer than the key does. For every
command that may open the directory it lets a cold run write the cache after the answer
is out, in the background (see :mod:`improvedir.store.cache`).
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

_READERS = {"suggest", "search", "followup"}
#: Commands that may open the directory through the cache (log: to hide lapsed emails).
_CACHE_USERS = _READERS | {"show", "log"}


def _content_option(argv: list[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--content" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--content="):
            return arg.split("=", 1)[1]
    return None


def _command(argv: list[str]) -> str | None:
    return next((a for a in argv if not a.startswith("-")), None)


def _head_start(argv: list[str]) -> None:
    if _command(argv) not in _READERS or "--no-cache" in argv or "--help" in argv or "-h" in argv:
        return
    try:
        from .content.locate import find_content
        from .store.fingerprint import start_early

        start_early(find_content(_content_option(argv)).path)
    except Exception:  # any doubt: no head start, the command works it out itself
        return


def main() -> None:
    argv = sys.argv[1:]
    _head_start(argv)
    cache = None
    if _command(argv) in _CACHE_USERS:
        from .store import cache

        cache.defer_writes = True
    from .cli import main as cli_main

    try:
        cli_main()
    except SystemExit as done:
        code = done.code
    except BaseException:
        if cache is not None:  # the directory loaded all the same
            cache.write_deferred()
        raise
    else:
        code = None
    # after the answer, whatever the exit code
    if cache is not None and cache.write_deferred():
        _leave(code)
    sys.exit(code)


def _leave(code: object) -> NoReturn:
    """Exit as ``sys.exit(code)`` would, but without tearing the interpreter down.

    The loaded directory is now shared copy-on-write with the child writing the cache:
    freeing it object by object would copy nearly every page of it first (0.2 to 0.3 s on
    20,000 files), for memory the system takes back at once anyway. Nothing on this path
    registers exit handlers, and the answer has been flushed; this flushes again.
    """
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(status)
