"""The console entry point, kept tiny so that work can start before the heavy imports.

For the commands that read the cache (suggest, search, followup) it starts computing the
cache key in a child process (see :mod:`improvedir.fingerprint`) and only then imports the
command line, whose typer and pydantic imports take longer than the key does.
"""

from __future__ import annotations

import sys

_READERS = {"suggest", "search", "followup"}


def _content_option(argv: list[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--content" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--content="):
            return arg.split("=", 1)[1]
    return None


def _head_start(argv: list[str]) -> None:
    command = next((a for a in argv if not a.startswith("-")), None)
    if command not in _READERS or "--no-cache" in argv or "--help" in argv or "-h" in argv:
        return
    try:
        from .content.locate import find_content
        from .store.fingerprint import start_early

        start_early(find_content(_content_option(argv)).path)
    except Exception:  # any doubt: no head start, the command works it out itself
        return


def main() -> None:
    _head_start(sys.argv[1:])
    from .cli import main as cli_main

    cli_main()
