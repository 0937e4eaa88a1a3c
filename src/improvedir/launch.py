"""The console entry point, kept tiny so that work can start before the heavy imports.

For the commands that read the cache (suggest, search, followup) it starts computing the
cache key in a child process (see :mod:`improvedir.fingerprint`) and only then imports the
command line, whose typer and pydantic imports take longer than the key does. For every
command that may open the directory it lets a cold run write the cache after the answer
is out, in the background (see :mod:`improvedir.store.cache`).
"""

from __future__ import annotations

import sys

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
    finally:  # after the answer, whatever the exit code: the directory loaded all the same
        if cache is not None:
            cache.write_deferred()
