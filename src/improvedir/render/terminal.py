"""Consoles that behave: colour only on a terminal, never with NO_COLOR, never markup.

Content is written by many people; text such as ``[bold]`` in a YAML file must print as
written, so every console here has markup and emoji interpretation switched off.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def stdout_is_terminal() -> bool:
    """Rich's own test (FORCE_COLOR, then isatty) without importing Rich for a pipe."""
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _make(stderr: bool) -> Console:
    from rich.console import Console

    # No file= argument: Rich then looks up sys.stdout/sys.stderr at each write, so the
    # consoles follow redirection (tests, pagers) instead of holding a closed stream.
    no_color = bool(os.environ.get("NO_COLOR"))
    return Console(
        stderr=stderr,
        markup=False,
        emoji=False,
        highlight=False,
        no_color=no_color,
        color_system=None if no_color else "auto",
    )


def out_console() -> Console:
    """Console for results (stdout)."""
    return _make(stderr=False)


def err_console() -> Console:
    """Console for messages and warnings (stderr), so stdout stays clean for pipes."""
    return _make(stderr=True)
